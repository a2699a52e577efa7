"""Broker actions on a draft. Each one: permission, lock, rule, write, audit, commit — in one transaction.

Every function is keyword-only and returns the refreshed row. `expected_lock_version`
is the `lock_version` the caller read; if the draft changed since, StaleDraft.
`send` lives in draft_send.py and `refine` in draft_refine.py; both are re-exported here.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from echo_core.db.models import EmailDraft
from echo_core.errors import ValidationFailed
from echo_core.lifecycle import DraftAction, archive_reason, clean_body, find_version
from echo_core.permissions import Actor
from echo_core.schemas import DraftVersion, parse
from echo_core.services.draft_refine import refine
from echo_core.services.draft_send import send
from echo_core.services.draft_tx import atomic, check_body, close_draft, open_draft, utcnow

__all__ = ["approve", "archive", "edit", "refine", "restore", "send", "use_version"]


def approve(
    *,
    session: Session,
    draft_id: int,
    actor: Actor,
    expected_lock_version: int | None = None,
    override_failed_validation: bool = False,
    now: datetime | None = None,
) -> EmailDraft:
    """pending → approved, after a fresh fact check (the deal's data may have changed since)."""
    with atomic(session, actor):
        draft, _ = open_draft(session, draft_id, DraftAction.APPROVE, expected_lock_version, lock=False)
        seen = draft.lock_version
        validation = check_body(session, draft, draft.final_body or "")
        failed = validation["status"] == "failed"
        if failed and not override_failed_validation:
            raise ValidationFailed(list(validation.get("issues", [])))
        draft, to_status = open_draft(session, draft_id, DraftAction.APPROVE, seen, lock=True)
        from_status = draft.status
        draft.validation = validation
        draft.reviewed_at, draft.reviewed_by = now or utcnow(), actor.email
        details = {"version": draft.current_version, "validation": validation["status"]}
        if failed:
            details |= {"overrideFailedValidation": True, "issues": validation.get("issues", [])}
        return close_draft(session, draft, actor=actor, action=DraftAction.APPROVE,
                           from_status=from_status, to_status=to_status, details=details, now=now)


def edit(
    *,
    session: Session,
    draft_id: int,
    actor: Actor,
    body: str,
    expected_lock_version: int | None = None,
    now: datetime | None = None,
) -> EmailDraft:
    """Replace the text by hand; an approved draft goes back to pending for a fresh approval."""
    with atomic(session, actor):
        draft, _ = open_draft(session, draft_id, DraftAction.EDIT, expected_lock_version, lock=False)
        body = clean_body(body)
        seen = draft.lock_version
        validation = check_body(session, draft, body)
        draft, to_status = open_draft(session, draft_id, DraftAction.EDIT, seen, lock=True)
        from_status = draft.status
        draft.edited_body = draft.final_body = body
        draft.validation = validation
        # The edited text goes into the event: a later edit overwrites edited_body, the history keeps it.
        details = {"version": draft.current_version, "body": body, "validation": validation["status"]}
        return close_draft(session, draft, actor=actor, action=DraftAction.EDIT,
                           from_status=from_status, to_status=to_status, details=details, now=now)


def use_version(
    *, session: Session, draft_id: int, actor: Actor, version: int, expected_lock_version: int | None = None
) -> EmailDraft:
    """Make version N current: its body, confidence, reasoning, metadata (and fact check, if it kept one)."""
    with atomic(session, actor):
        draft, to_status = open_draft(session, draft_id, DraftAction.USE_VERSION, expected_lock_version, lock=True)
        raw = find_version(draft.draft_versions, version)
        entry = parse(DraftVersion, raw, what=f"version {version}")
        from_status, previous = draft.status, draft.current_version
        draft.current_version = version
        draft.final_body = entry.body
        draft.edited_body = None  # the text is the version's again
        draft.confidence_score = entry.confidence
        draft.reasoning = raw.get("reasoning")
        draft.metadata_ = raw.get("metadata")
        draft.validation = raw.get("validation")
        details = {"version": version, "previousVersion": previous}
        return close_draft(session, draft, actor=actor, action=DraftAction.USE_VERSION,
                           from_status=from_status, to_status=to_status, details=details)


def archive(
    *,
    session: Session,
    draft_id: int,
    actor: Actor,
    reason: str,
    note: str | None = None,
    expected_lock_version: int | None = None,
    now: datetime | None = None,
) -> EmailDraft:
    """Soft delete from any status; the row, its versions and its history stay."""
    with atomic(session, actor):
        draft, to_status = open_draft(session, draft_id, DraftAction.ARCHIVE, expected_lock_version, lock=True)
        why = archive_reason(reason, note)
        from_status = draft.status
        draft.archived_at, draft.archived_by = now or utcnow(), actor.email
        draft.archive_category, draft.archive_reason = why.category, why.text
        draft.archived_from_status = from_status
        details = {"reason": why.category, "label": why.label, "note": why.note}
        return close_draft(session, draft, actor=actor, action=DraftAction.ARCHIVE,
                           from_status=from_status, to_status=to_status, details=details, now=now)


def restore(
    *, session: Session, draft_id: int, actor: Actor, expected_lock_version: int | None = None
) -> EmailDraft:
    """Back to the status it was archived from; a sent draft comes back sent, never sendable."""
    with atomic(session, actor):
        draft, to_status = open_draft(session, draft_id, DraftAction.RESTORE, expected_lock_version, lock=True)
        # The archive columns describe the current archiving; the event keeps what they said.
        details = {
            "archivedAt": draft.archived_at.isoformat() if draft.archived_at else None,
            "archivedBy": draft.archived_by,
            "reason": draft.archive_category,
            "archiveReason": draft.archive_reason,
        }
        draft.archived_at = draft.archived_by = draft.archive_category = draft.archive_reason = None
        draft.archived_from_status = None
        return close_draft(session, draft, actor=actor, action=DraftAction.RESTORE,
                           from_status="archived", to_status=to_status, details=details)
