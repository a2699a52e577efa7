"""Acting on the text the broker sees: save an edit, approve, approve and send — one transaction each.

The dashboard sends the editor's text with every approve and send. When it differs from
the stored text it is saved first — as a version marked as the broker's hand edit — and
fact-checked, then approved (and sent) in the same transaction: one read-version check
under the row lock, one lock_version bump, one commit, one audit event per step. If any
step is refused (stale read, failed fact check, archived meanwhile) nothing is written and
the text stays in the broker's editor; it is never approved without being saved, nor dropped.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from echo_core.db.models import EmailDraft
from echo_core.errors import StaleDraft, UnchangedText, ValidationFailed
from echo_core.lifecycle import DraftAction, clean_body, next_status
from echo_core.permissions import Actor
from echo_core.services.draft_send import send
from echo_core.services.draft_tx import append_hand_edit, atomic, check_body, close_draft, load_draft, utcnow

EDIT, APPROVE, SEND = DraftAction.EDIT, DraftAction.APPROVE, DraftAction.SEND


def edit(
    *,
    session: Session,
    draft_id: int,
    actor: Actor,
    body: str,
    expected_lock_version: int | None = None,
    now: datetime | None = None,
) -> EmailDraft:
    """Save the broker's text as a new hand-edit version; an approved draft goes back to pending."""
    return _act_on_text(session, draft_id=draft_id, actor=actor, body=body, expected=expected_lock_version,
                        approve=False, send_too=False, override=False, now=now)


def approve(
    *,
    session: Session,
    draft_id: int,
    actor: Actor,
    expected_lock_version: int | None = None,
    override_failed_validation: bool = False,
    body: str | None = None,
    now: datetime | None = None,
) -> EmailDraft:
    """pending → approved after a fresh fact check of `body` (the editor's text; default: the stored text).

    A `body` that differs from the stored text is saved as a hand edit in the same transaction.
    """
    return _act_on_text(session, draft_id=draft_id, actor=actor, body=body, expected=expected_lock_version,
                        approve=True, send_too=False, override=override_failed_validation, now=now)


def approve_and_send(
    *,
    session: Session,
    draft_id: int,
    actor: Actor,
    body: str | None = None,
    expected_lock_version: int | None = None,
    override_failed_validation: bool = False,
    now: datetime | None = None,
) -> EmailDraft:
    """Send exactly the text the broker sees: saved and approved first when needed, all or nothing.

    A pending draft is fact-checked, approved and sent; an approved draft whose text is
    unchanged is sent as approved; an approved draft with changed text is saved, approved
    again after a fresh fact check, and sent.
    """
    return _act_on_text(session, draft_id=draft_id, actor=actor, body=body, expected=expected_lock_version,
                        approve=True, send_too=True, override=override_failed_validation, now=now)


def _steps(draft: EmailDraft, *, changed: bool, approve: bool, send_too: bool) -> list[DraftAction]:
    """The actions, in order, that bring the draft from where it is to what the broker asked.

    Each is checked against the transition table now, so a refusal names the real reason
    ("already sent", "archived — restore it first") before any fact check runs.
    """
    steps = [EDIT] if changed else []
    status = draft.status
    for action in steps:
        status = _next(draft, status, action)
    if approve and not (send_too and status == "approved"):
        steps.append(APPROVE)
        status = _next(draft, status, APPROVE)
    if send_too:
        steps.append(SEND)
        _next(draft, status, SEND)
    return steps


def _next(draft: EmailDraft, status: str, action: DraftAction) -> str:
    return next_status(status, action, archived_from=draft.archived_from_status, sent_email_id=draft.sent_email_id)


def _act_on_text(
    session: Session, *, draft_id: int, actor: Actor, body: str | None, expected: int | None, approve: bool,
    send_too: bool, override: bool, now: datetime | None,
) -> EmailDraft:
    now = now or utcnow()
    with atomic(session, actor):
        draft = load_draft(session, draft_id, lock=False)
        stored = (draft.final_body or "").strip()
        text = stored if body is None and approve else clean_body(body)
        changed = text != stored
        steps = _steps(draft, changed=changed, approve=approve, send_too=send_too)  # the rule first
        if not changed and not approve:
            raise UnchangedText()
        if expected is not None and draft.lock_version != expected:
            raise StaleDraft(draft_id)
        seen = draft.lock_version
        validation: dict[str, Any] | None = None
        if EDIT in steps or APPROVE in steps:  # the fact check runs before the row lock is taken
            validation = check_body(session, draft, text)
            if validation["status"] == "failed" and APPROVE in steps and not override:
                raise ValidationFailed(list(validation.get("issues", [])))
        draft = load_draft(session, draft_id, lock=True)
        if draft.lock_version != seen:  # changed meanwhile: its rule's refusal if there is one, else stale
            _steps(draft, changed=changed, approve=approve, send_too=send_too)
            raise StaleDraft(draft_id)
        return _apply(session, draft, steps, text=text, validation=validation, actor=actor, now=now)

def _apply(session: Session, draft: EmailDraft, steps: list[DraftAction], *, text: str,
           validation: dict[str, Any] | None, actor: Actor, now: datetime) -> EmailDraft:
    """Write each step under the lock; the last one bumps lock_version once and commits."""
    seen = draft.lock_version
    for index, action in enumerate(steps):
        final = index == len(steps) - 1
        if action is SEND:  # the send service writes the email and the outbox row, and commits everything
            return send(session=session, draft_id=draft.id, actor=actor, expected_lock_version=seen, now=now)
        from_status = draft.status
        to_status = _next(draft, from_status, action)
        assert validation is not None  # EDIT and APPROVE always ran the fact check
        if action is EDIT:
            number = append_hand_edit(draft, body=text, actor=actor, now=now, validation=validation)
            details: dict[str, Any] = {"version": number, "body": text, "validation": validation["status"],
                                       "handEdit": True}
        else:
            draft.validation = validation
            draft.reviewed_at, draft.reviewed_by = now, actor.email
            details = {"version": draft.current_version, "validation": validation["status"]}
            if validation["status"] == "failed":
                details |= {"overrideFailedValidation": True, "issues": validation.get("issues", [])}
        close_draft(session, draft, actor=actor, action=action, from_status=from_status, to_status=to_status,
                    details=details, now=now, final=final)
    return draft
