"""Approve and send act on the editor's text: saved, fact-checked and approved in one transaction, or refused.

Also: a hand edit becomes a version (editor, time, the version it was based on), and
"opened" events mark when review began without touching the draft.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from echo_core.db.models import DraftEvent, Email, EmailDraft
from echo_core.errors import (
    AlreadySent,
    InvalidTransition,
    PermissionDenied,
    StaleDraft,
    UnchangedText,
    ValidationFailed,
)
from echo_core.permissions import Actor, Role
from echo_core.services import drafts
from tests.factories import make_deal, make_deal_space, make_draft, make_space

BROKER = Actor("broker@tandem.space")
OTHER = Actor("other@tandem.space")
T0 = datetime(2025, 3, 4, 9, 0, tzinfo=UTC)
AI_TEXT = "Hi! Yes, Harbor Loft is dog friendly. Parking is $250/month. Tuesday at 2pm works for a tour."
EDITED = "Hi Sam! Harbor Loft is dog friendly and parking is $250/month. Tuesday at 2pm is booked for you."
WRONG_RENT = "Hi! Harbor Loft rent is $1,000 per month."


def linked_draft(session: Session, **overrides: Any) -> EmailDraft:
    """A committed draft whose deal has a space, so the fact check has figures to compare."""
    deal = make_deal(session)
    make_deal_space(session, deal=deal, space=make_space(session, name="Harbor Loft", monthly_rate=12000))
    draft = make_draft(session, deal=deal, body=AI_TEXT, **overrides)
    session.commit()
    return draft


def stored(session: Session, draft_id: int) -> dict[str, Any]:
    row = session.execute(select(EmailDraft.__table__).where(EmailDraft.id == draft_id)).mappings().one()
    return dict(row)


def actions(session: Session, draft_id: int) -> list[tuple[str, str | None, str | None]]:
    rows = session.scalars(select(DraftEvent).where(DraftEvent.draft_id == draft_id).order_by(DraftEvent.id))
    return [(e.action, e.from_status, e.to_status) for e in rows]


def test_approving_with_unsaved_text_saves_it_as_a_hand_edit_and_approves_it(session: Session) -> None:
    draft = linked_draft(session)
    approved = drafts.approve(session=session, draft_id=draft.id, actor=BROKER, body=f"  {EDITED}\n",
                              expected_lock_version=1, now=T0)
    assert (approved.status, approved.final_body, approved.edited_body) == ("approved", EDITED, EDITED)
    assert approved.ai_generated_body == AI_TEXT
    assert approved.lock_version == 2, "one compare-and-set for the whole action"
    assert approved.validation is not None and approved.validation["status"] == "passed"
    assert actions(session, draft.id) == [("edit", "pending", "pending"), ("approve", "pending", "approved")]
    version = approved.draft_versions[-1]
    assert approved.current_version == version["version"] == 1
    assert (version["kind"], version["editedBy"], version["basedOn"], version["body"]) == (
        "hand_edit", BROKER.email, 0, EDITED)
    assert datetime.fromisoformat(version["createdAt"]) == T0
    assert approved.draft_versions[0]["body"] == AI_TEXT, "the AI's text stays in the history"


def test_approving_the_unchanged_text_writes_no_version(session: Session) -> None:
    draft = linked_draft(session)
    approved = drafts.approve(session=session, draft_id=draft.id, actor=BROKER, body=AI_TEXT + "\n")
    assert len(approved.draft_versions) == 1 and approved.edited_body is None
    assert actions(session, draft.id) == [("approve", "pending", "approved")]


def test_an_edit_that_fails_the_fact_check_is_refused_at_approval_and_nothing_is_written(session: Session) -> None:
    draft = linked_draft(session)
    before = stored(session, draft.id)
    with pytest.raises(ValidationFailed, match="fact check failed"):
        drafts.approve(session=session, draft_id=draft.id, actor=BROKER, body=WRONG_RENT)
    assert stored(session, draft.id) == before
    assert actions(session, draft.id) == []


def test_an_overridden_failing_edit_is_saved_and_approved_together(session: Session) -> None:
    draft = linked_draft(session)
    approved = drafts.approve(session=session, draft_id=draft.id, actor=BROKER, body=WRONG_RENT,
                              override_failed_validation=True)
    assert (approved.status, approved.final_body) == ("approved", WRONG_RENT)
    [edit, approve] = session.scalars(select(DraftEvent).where(DraftEvent.draft_id == draft.id)
                                      .order_by(DraftEvent.id))
    assert edit.details["handEdit"] is True and approve.details["overrideFailedValidation"] is True


def test_approving_unsaved_text_on_a_stale_read_is_refused_and_keeps_the_other_edit(session: Session) -> None:
    draft = linked_draft(session)
    drafts.edit(session=session, draft_id=draft.id, actor=OTHER, body="Their text, saved first.")
    with pytest.raises(StaleDraft, match="reload"):
        drafts.approve(session=session, draft_id=draft.id, actor=BROKER, body=EDITED, expected_lock_version=1)
    row = stored(session, draft.id)
    assert (row["final_body"], row["status"], row["lock_version"]) == ("Their text, saved first.", "pending", 2)


def test_approve_and_send_sends_exactly_the_editor_text_in_one_transaction(session: Session) -> None:
    draft = linked_draft(session)
    sent = drafts.approve_and_send(session=session, draft_id=draft.id, actor=BROKER, body=EDITED,
                                   expected_lock_version=1, now=T0)
    assert sent.status == "sent" and sent.lock_version == 2
    email = session.get(Email, sent.sent_email_id)
    assert email is not None and email.body == EDITED
    assert actions(session, draft.id) == [("edit", "pending", "pending"), ("approve", "pending", "approved"),
                                          ("send", "approved", "sent")]


def test_sending_an_approved_draft_with_changed_text_approves_the_new_text_first(session: Session) -> None:
    draft = linked_draft(session, status="approved")
    sent = drafts.approve_and_send(session=session, draft_id=draft.id, actor=BROKER, body=EDITED)
    email = session.get(Email, sent.sent_email_id)
    assert email is not None and email.body == EDITED
    assert actions(session, draft.id) == [("edit", "approved", "pending"), ("approve", "pending", "approved"),
                                          ("send", "approved", "sent")]


def test_sending_an_approved_draft_with_the_same_text_only_sends(session: Session) -> None:
    draft = linked_draft(session, status="approved")
    sent = drafts.approve_and_send(session=session, draft_id=draft.id, actor=BROKER, body=AI_TEXT)
    assert actions(session, draft.id) == [("send", "approved", "sent")]
    assert sent.validation is None, "no fact check ran for an unchanged approved text"


def test_a_failing_send_after_the_edit_rolls_back_the_edit_and_the_approval(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    from echo_core.services import draft_send

    draft = linked_draft(session)
    before = stored(session, draft.id)

    def refuse(**_: Any) -> None:
        raise InvalidTransition("The mail queue refused it.")

    monkeypatch.setattr(draft_send, "enqueue_reply", lambda *a, **k: refuse())
    with pytest.raises(InvalidTransition, match="mail queue"):
        drafts.approve_and_send(session=session, draft_id=draft.id, actor=BROKER, body=EDITED)
    assert stored(session, draft.id) == before
    assert actions(session, draft.id) == []


@pytest.mark.parametrize("status", ["sent", "archived"])
def test_approve_and_send_names_the_rule_before_any_fact_check(session: Session, status: str) -> None:
    draft = linked_draft(session, status="approved")
    if status == "sent":
        drafts.send(session=session, draft_id=draft.id, actor=BROKER)
        expected: type[Exception] = AlreadySent
    else:
        drafts.archive(session=session, draft_id=draft.id, actor=BROKER, reason="duplicate")
        expected = InvalidTransition
    with pytest.raises(expected):
        drafts.approve_and_send(session=session, draft_id=draft.id, actor=BROKER, body=EDITED)


def test_saving_the_unchanged_text_is_refused(session: Session) -> None:
    draft = linked_draft(session)
    with pytest.raises(UnchangedText, match="unchanged"):
        drafts.edit(session=session, draft_id=draft.id, actor=BROKER, body=f"{AI_TEXT}  ")


def test_each_saved_edit_is_a_version_and_using_one_keeps_it_a_hand_edit(session: Session) -> None:
    draft = linked_draft(session)
    drafts.edit(session=session, draft_id=draft.id, actor=BROKER, body="First edit.")
    second = drafts.edit(session=session, draft_id=draft.id, actor=OTHER, body="Second edit.")
    assert [(v["version"], v.get("kind"), v.get("editedBy"), v.get("basedOn")) for v in second.draft_versions] == [
        (0, None, None, None), (1, "hand_edit", BROKER.email, 0), (2, "hand_edit", OTHER.email, 1)]
    back = drafts.use_version(session=session, draft_id=draft.id, actor=BROKER, version=1)
    assert (back.final_body, back.edited_body) == ("First edit.", "First edit.")
    ai = drafts.use_version(session=session, draft_id=draft.id, actor=BROKER, version=0)
    assert (ai.final_body, ai.edited_body) == (AI_TEXT, None)


def test_a_draft_without_versions_keeps_the_ai_text_as_version_zero_before_the_edit(session: Session) -> None:
    draft = linked_draft(session, draft_versions=None)
    edited = drafts.edit(session=session, draft_id=draft.id, actor=BROKER, body=EDITED)
    assert [(v["version"], v["body"]) for v in edited.draft_versions] == [(0, AI_TEXT), (1, EDITED)]


# --- opened ----------------------------------------------------------------------------


def test_opening_a_draft_records_one_event_and_changes_nothing_else(session: Session) -> None:
    draft = linked_draft(session)
    before = stored(session, draft.id)
    assert drafts.record_opened(session=session, draft_id=draft.id, actor=BROKER, now=T0)
    assert stored(session, draft.id) == before, "no status change and no lock bump"
    assert actions(session, draft.id) == [("opened", "pending", "pending")]


def test_opening_again_with_nothing_done_in_between_writes_nothing(session: Session) -> None:
    draft = linked_draft(session)
    assert drafts.record_opened(session=session, draft_id=draft.id, actor=BROKER)
    assert not drafts.record_opened(session=session, draft_id=draft.id, actor=BROKER)
    assert drafts.record_opened(session=session, draft_id=draft.id, actor=OTHER)
    drafts.edit(session=session, draft_id=draft.id, actor=OTHER, body=EDITED)
    assert drafts.record_opened(session=session, draft_id=draft.id, actor=BROKER)
    assert [a for a, _, _ in actions(session, draft.id)] == ["opened", "opened", "edit", "opened"]


def test_reading_a_sent_draft_is_not_opening_it_for_review(session: Session) -> None:
    draft = linked_draft(session, status="approved")
    drafts.send(session=session, draft_id=draft.id, actor=BROKER)
    assert not drafts.record_opened(session=session, draft_id=draft.id, actor=BROKER)


def test_an_analyst_does_not_open_drafts_for_review(session: Session) -> None:
    draft = linked_draft(session)
    with pytest.raises(PermissionDenied):
        drafts.record_opened(session=session, draft_id=draft.id, actor=Actor("a@tandem.space", Role.ANALYST))


def test_an_opened_event_does_not_make_a_later_write_stale(session: Session) -> None:
    draft = linked_draft(session)
    drafts.record_opened(session=session, draft_id=draft.id, actor=OTHER, now=T0 + timedelta(minutes=1))
    approved = drafts.approve(session=session, draft_id=draft.id, actor=BROKER, expected_lock_version=1)
    assert approved.status == "approved"
