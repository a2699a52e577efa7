"""Refine a draft: regenerate it with the broker's instruction, as a new version made current.

The model is called before the row is locked (a generation may take seconds); the
write then locks the draft and insists nothing changed meanwhile (else StaleDraft).
A GenerationFailed leaves the draft untouched.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from echo_core.config import get_settings
from echo_core.db.models import EmailDraft
from echo_core.lifecycle import DraftAction, clean_instruction, next_regeneration_count, next_version_number
from echo_core.permissions import Actor
from echo_core.schemas import DraftVersion, parse
from echo_core.services.draft_tx import atomic, close_draft, initial_version, open_draft, utcnow


def refine(
    *,
    session: Session,
    draft_id: int,
    actor: Actor,
    prompt: str,
    expected_lock_version: int | None = None,
    provider: str | None = None,
    now: datetime | None = None,
) -> EmailDraft:
    """Append version N+1 generated with `prompt`; an approved draft goes back to pending."""
    from echo_core.generation import pipeline  # imported late: generation is the heavier module

    now = now or utcnow()
    with atomic(session, actor):
        draft, _ = open_draft(session, draft_id, DraftAction.REFINE, expected_lock_version, lock=False)
        prompt = clean_instruction(prompt)
        _regeneration_count(draft, now)  # refuse before paying for a generation
        seen = draft.lock_version
        reply = pipeline.generate_reply(
            session,
            inbound_email_id=draft.inbound_email_id,
            provider=provider,
            instruction=prompt,
            previous_body=draft.final_body,
        )
        draft, to_status = open_draft(session, draft_id, DraftAction.REFINE, seen, lock=True)
        count = _regeneration_count(draft, now)
        versions = list(draft.draft_versions or []) or [initial_version(draft)]
        number = next_version_number(versions, draft.current_version)
        entry = parse(
            DraftVersion,
            {
                "version": number,
                "body": reply.body,
                "prompt": prompt,
                "confidence": reply.confidence,
                "reasoning": reply.reasoning,
                "metadata": reply.metadata,
                "createdAt": now,
            },
            what="refined version",
        ).dump()
        entry["validation"] = reply.validation  # kept so `use_version` can bring the fact check back
        from_status = draft.status
        draft.draft_versions = [*versions, entry]
        draft.current_version = number
        draft.final_body, draft.edited_body = reply.body, None
        draft.confidence_score = reply.confidence
        draft.reasoning, draft.metadata_, draft.validation = entry["reasoning"], entry.get("metadata"), reply.validation
        draft.regeneration_count, draft.last_regeneration_at = count, now
        details = {"version": number, "prompt": prompt, "regenerationCount": count,
                   "provider": (reply.metadata or {}).get("provider") or provider}
        return close_draft(session, draft, actor=actor, action=DraftAction.REFINE,
                           from_status=from_status, to_status=to_status, details=details, now=now)


def _regeneration_count(draft: EmailDraft, now: datetime) -> int:
    settings = get_settings()
    return next_regeneration_count(
        count=draft.regeneration_count,
        last_at=draft.last_regeneration_at,
        now=now,
        limit=settings.refine_limit,
        cooldown=timedelta(hours=settings.refine_cooldown_hours),
    )

