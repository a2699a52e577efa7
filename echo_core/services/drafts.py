"""Broker actions on a draft. Each one: permission, lock, rule, write, audit, commit — in one transaction.

Every function is keyword-only and returns the refreshed row. `expected_lock_version`
is the `lock_version` the caller read; if the draft changed since, StaleDraft.
`edit`, `approve` and `approve_and_send` (they act on the editor's text) live in
draft_review.py, `send` in draft_send.py and `refine` in draft_refine.py; all are re-exported here.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from echo_core.db.durability import commit_without_flush_wait
from echo_core.db.models import DraftEvent, EmailDraft
from echo_core.lifecycle import HAND_EDIT, UNDER_REVIEW, DraftAction, archive_reason, find_version
from echo_core.permissions import Action, Actor
from echo_core.schemas import DraftVersion, parse
from echo_core.services.actors import acting
from echo_core.services.audit import record_event
from echo_core.services.draft_refine import refine
from echo_core.services.draft_review import approve, approve_and_send, edit
from echo_core.services.draft_send import send
from echo_core.services.draft_tx import atomic, check_body, close_draft, load_draft, open_draft, utcnow

__all__ = ["approve", "approve_and_send", "archive", "edit", "record_opened", "refine", "restore", "send",
           "use_version"]
OPENED = "opened"  # draft_events.action of "a reviewer opened the draft" (no status change)


def use_version(
    *, session: Session, draft_id: int, actor: Actor, version: int, expected_lock_version: int | None = None
) -> EmailDraft:
    """Make version N current: its body, confidence, reasoning and metadata, with the fact check and the coverage
    check re-run on its text against today's data (the version's stored check may be old, or missing)."""
    with atomic(session, actor):
        draft, to_status = open_draft(session, draft_id, DraftAction.USE_VERSION, expected_lock_version, lock=True)
        raw = find_version(draft.draft_versions, version)
        entry = parse(DraftVersion, raw, what=f"version {version}")
        from_status, previous = draft.status, draft.current_version
        draft.current_version = version
        draft.final_body = entry.body
        draft.edited_body = entry.body if raw.get("kind") == HAND_EDIT else None  # a hand edit stays one
        draft.confidence_score = entry.confidence
        draft.reasoning = raw.get("reasoning")
        draft.metadata_ = raw.get("metadata")
        draft.validation = check_body(session, draft, entry.body)
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


def record_opened(*, session: Session, draft_id: int, actor: Actor, now: datetime | None = None) -> bool:
    """Note that a reviewer opened a draft under review; True if an event was written.

    No status change and no lock bump (the reviewer's read stays current). Opening it again
    with nothing done in between writes nothing, so the history shows when review began and
    resumed, not every click; sent and archived drafts are only read, never "opened".
    """
    acting(session, actor, Action.REVIEW_DRAFTS)
    try:
        draft = load_draft(session, draft_id, lock=False)
        if draft.status not in UNDER_REVIEW:
            return False
        last = session.scalars(
            select(DraftEvent).where(DraftEvent.draft_id == draft_id).order_by(DraftEvent.id.desc()).limit(1)
        ).first()
        if last is not None and last.action == OPENED and last.actor == actor.email:
            return False
        commit_without_flush_wait(session)  # a mark of when review began: not worth a disk flush per open
        record_event(session, draft_id=draft_id, actor=actor, action=OPENED, from_status=draft.status,
                     to_status=draft.status, at=now)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return True
