"""The transaction every draft action runs in: lock, check, write, audit, commit — or nothing.

`open_draft(lock=True)` takes the row with SELECT … FOR UPDATE, so concurrent actions on
one draft run one after the other; the loser then sees the winner's status and gets the
rule's refusal (AlreadySent, InvalidTransition) or StaleDraft. Actions that call the model
first read without the lock (`lock=False`), generate, then lock and insist the draft is
unchanged since, so a slow model never holds a row lock.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from echo_core.db.models import EmailDraft
from echo_core.errors import DraftNotFound, StaleDraft
from echo_core.lifecycle import HAND_EDIT, DraftAction, next_status, next_version_number
from echo_core.permissions import Action, Actor
from echo_core.schemas import DraftVersion, Validation, parse
from echo_core.services.actors import acting
from echo_core.services.audit import record_event


def utcnow() -> datetime:
    return datetime.now(UTC)


@contextmanager
def atomic(session: Session, actor: Actor) -> Iterator[None]:
    """The acting account re-read and its permission first; then on any exception roll back, so
    nothing half-written remains."""
    acting(session, actor, Action.REVIEW_DRAFTS)  # only reads: nothing to roll back when it refuses
    try:
        yield
    except BaseException:
        session.rollback()
        raise


def open_draft(
    session: Session, draft_id: int, action: DraftAction, expected_lock_version: int | None, *, lock: bool
) -> tuple[EmailDraft, str]:
    """The draft (fresh from the database) and the status `action` leads to, or the named refusal."""
    draft = load_draft(session, draft_id, lock=lock)
    # The rule first: a loser of a send race hears "already sent", not "stale".
    to_status = next_status(
        draft.status, action, archived_from=draft.archived_from_status, sent_email_id=draft.sent_email_id
    )
    if expected_lock_version is not None and draft.lock_version != expected_lock_version:
        raise StaleDraft(draft_id)
    return draft, to_status


def load_draft(session: Session, draft_id: int, *, lock: bool) -> EmailDraft:
    """The draft fresh from the database (FOR UPDATE when `lock`), or DraftNotFound."""
    statement = select(EmailDraft).where(EmailDraft.id == draft_id).execution_options(populate_existing=True)
    if lock:
        statement = statement.with_for_update()
    draft = session.scalars(statement).one_or_none()
    if draft is None:
        raise DraftNotFound(draft_id)
    return draft


def close_draft(
    session: Session,
    draft: EmailDraft,
    *,
    actor: Actor,
    action: DraftAction,
    from_status: str,
    to_status: str,
    details: dict[str, Any],
    now: datetime | None = None,
    final: bool = True,
) -> EmailDraft:
    """Set the new status, bump the lock version, write the audit event and commit, together.

    The bump is a compare-and-set (the seed's optimistic locking): if the row's lock_version
    moved since this action read it, nothing is written. The row lock already prevents that;
    this is the second line of defence should a caller ever skip the lock.

    `final=False` is one step of a several-step action (save the edit, approve, send): its
    status and event are written, and the last step bumps the lock once and commits them all.
    """
    draft.status = to_status
    seen = draft.lock_version
    session.flush()
    if not final:
        _record(session, draft, actor, action, from_status, to_status, details, now)
        session.flush()
        return draft
    bumped = session.execute(
        update(EmailDraft)
        .where(EmailDraft.id == draft.id, EmailDraft.lock_version == seen)
        .values(lock_version=seen + 1)
        .execution_options(synchronize_session="evaluate")
    )
    if cast(CursorResult[Any], bumped).rowcount != 1:
        raise StaleDraft(draft.id)
    _record(session, draft, actor, action, from_status, to_status, details, now)
    session.commit()
    return draft


def _record(session: Session, draft: EmailDraft, actor: Actor, action: DraftAction, from_status: str,
            to_status: str, details: dict[str, Any], now: datetime | None) -> None:
    record_event(
        session,
        draft_id=draft.id,
        actor=actor,
        action=action.value,
        from_status=from_status,
        to_status=to_status,
        details={key: value for key, value in details.items() if value is not None},
        at=now,
    )


def check_body(session: Session, draft: EmailDraft, body: str) -> dict[str, Any]:
    """The fact check of `body` against the deal's data, in the seed's `validation` shape."""
    from echo_core.generation import pipeline  # imported late: generation is the heavier module

    result = pipeline.validate_body(
        session, deal_id=draft.deal_id, inbound_email_id=draft.inbound_email_id, body=body
    )
    return parse(Validation, result, what="validation").dump()


def initial_version(draft: EmailDraft) -> dict[str, Any]:
    """Version 0 rebuilt from the row (the AI's text), for a draft stored without a version list."""
    return parse(
        DraftVersion,
        {
            "version": draft.current_version,
            "body": draft.ai_generated_body,
            "prompt": None,
            "confidence": draft.confidence_score,
            "reasoning": draft.reasoning or {},
            "metadata": draft.metadata_,
            "createdAt": draft.created_at,
        },
        what="initial version",
    ).dump()


def append_hand_edit(draft: EmailDraft, *, body: str, actor: Actor, now: datetime,
                     validation: dict[str, Any]) -> int:
    """Make `body` the current text as a new version marked as the broker's hand edit; returns its number.

    The entry keeps the AI's reasoning and confidence of the version it was edited from (a hand
    edit has no model behind it), so `use_version` can bring it back like any other version,
    and a diff of any two entries shows the AI's text against the broker's.
    """
    versions = list(draft.draft_versions or []) or [initial_version(draft)]
    number = next_version_number(versions, draft.current_version)
    entry = parse(
        DraftVersion,
        {"version": number, "body": body, "prompt": None, "confidence": draft.confidence_score, "createdAt": now},
        what="hand edit",
    ).dump()
    entry |= {"prompt": None, "kind": HAND_EDIT, "editedBy": actor.email, "basedOn": draft.current_version,
              "reasoning": draft.reasoning or {}, "validation": validation}
    if draft.metadata_:
        entry["metadata"] = draft.metadata_
    draft.draft_versions = [*versions, entry]
    draft.current_version = number
    draft.edited_body = draft.final_body = body
    draft.validation = validation
    return number
