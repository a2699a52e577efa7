"""Draft services against the real database: happy paths, refusals, audit events, stale writes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from echo_core.config import reload_settings
from echo_core.db.models import DraftEvent, Email, EmailDraft
from echo_core.errors import (
    AlreadySent,
    DraftNotFound,
    EmptyBody,
    GenerationFailed,
    InvalidInput,
    InvalidTransition,
    PermissionDenied,
    RefinementLimitReached,
    StaleDraft,
    ValidationFailed,
    VersionNotFound,
)
from echo_core.generation import pipeline
from echo_core.lifecycle import DraftAction
from echo_core.permissions import Actor, Role
from echo_core.schemas import DraftVersion
from echo_core.services import drafts
from echo_core.services.actors import resolve_actor
from echo_core.services.draft_tx import close_draft, open_draft
from tests.factories import make_deal, make_deal_space, make_draft, make_email, make_space, make_user

BROKER = Actor("broker@tandem.space")
T0 = datetime(2025, 3, 4, 9, 0, tzinfo=UTC)


def events(session: Session, draft_id: int) -> list[DraftEvent]:
    return list(session.scalars(select(DraftEvent).where(DraftEvent.draft_id == draft_id).order_by(DraftEvent.id)))


def email_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Email)) or 0


def snapshot(session: Session, draft_id: int) -> dict[str, Any]:
    """The draft's stored columns, read fresh, to prove a refusal changed nothing."""
    row = session.execute(select(EmailDraft.__table__).where(EmailDraft.id == draft_id)).mappings().one()
    return dict(row)


def draft_in(session: Session, **overrides: Any) -> EmailDraft:
    """A draft committed to the test's savepoint, so a refused action's rollback keeps it."""
    draft = make_draft(session, **overrides)
    session.commit()
    return draft


def versioned_draft(session: Session, **overrides: Any) -> EmailDraft:
    now = T0.isoformat()
    versions = [
        {"version": 0, "body": "First text.", "prompt": None, "confidence": 70,
         "reasoning": {"schedulingLogic": ["v0"]}, "metadata": {"model": "offline-rules", "generatedAt": now},
         "createdAt": now},
        {"version": 1, "body": "Second text.", "prompt": "shorter", "confidence": 90,
         "reasoning": {"schedulingLogic": ["v1"]}, "metadata": {"model": "offline-rules", "generatedAt": now},
         "validation": {"status": "passed", "issues": [], "checkedAt": now}, "createdAt": now},
    ]
    values: dict[str, Any] = {"body": "Second text.", "confidence_score": 90, "current_version": 1,
                              "draft_versions": versions, "regeneration_count": 1}
    values.update(overrides)
    return draft_in(session, **values)


# --- send ---------------------------------------------------------------------------


def test_sending_an_approved_draft_records_one_reply_email(session: Session) -> None:
    deal = make_deal(session, seeker_email="sam@acme.test")
    inbound = make_email(session, deal=deal, subject="RE: re: Tour on Tuesday?")
    draft = draft_in(session, deal=deal, inbound=inbound, status="approved", confidence_score=77,
                       body="Hi Sam, Tuesday 2pm works.")
    before = email_count(session)

    sent = drafts.send(session=session, draft_id=draft.id, actor=BROKER, now=T0)

    assert email_count(session) == before + 1
    email = session.get_one(Email, sent.sent_email_id)
    assert (email.from_addr, email.to_addr, email.subject) == ("agent@tandem.space", "sam@acme.test",
                                                               "Re: Tour on Tuesday?")
    assert email.body == "Hi Sam, Tuesday 2pm works."
    assert email.ai_generated is True
    assert email.ai_metadata is not None and email.ai_metadata["confidence"] == 77
    assert email.ai_metadata["reasoning"] == draft.reasoning
    assert (sent.status, sent.sent_at, sent.lock_version) == ("sent", T0, 2)
    [event] = events(session, draft.id)
    assert (event.action, event.actor, event.from_status, event.to_status) == ("send", BROKER.email,
                                                                               "approved", "sent")
    assert event.details["emailId"] == email.id


def test_cannot_send_a_pending_draft_and_nothing_is_written(session: Session) -> None:
    draft = draft_in(session)
    before, emails = snapshot(session, draft.id), email_count(session)
    with pytest.raises(InvalidTransition, match="approve it before sending"):
        drafts.send(session=session, draft_id=draft.id, actor=BROKER)
    assert snapshot(session, draft.id) == before
    assert email_count(session) == emails
    assert events(session, draft.id) == []


def test_sending_a_sent_draft_again_says_already_sent(session: Session) -> None:
    draft = draft_in(session, status="approved")
    drafts.send(session=session, draft_id=draft.id, actor=BROKER)
    emails = email_count(session)
    with pytest.raises(AlreadySent, match="already been sent"):
        drafts.send(session=session, draft_id=draft.id, actor=BROKER)
    assert email_count(session) == emails
    assert len(events(session, draft.id)) == 1


def test_a_blank_final_body_is_never_sent(session: Session) -> None:
    draft = draft_in(session, status="approved", final_body="  \n")
    with pytest.raises(EmptyBody):
        drafts.send(session=session, draft_id=draft.id, actor=BROKER)
    assert snapshot(session, draft.id)["status"] == "approved"


def test_a_missing_draft_is_draft_not_found(session: Session) -> None:
    with pytest.raises(DraftNotFound, match="Draft 987654 does not exist"):
        drafts.send(session=session, draft_id=987654, actor=BROKER)


def test_an_analyst_may_not_review_drafts(session: Session) -> None:
    draft = draft_in(session, status="approved")
    with pytest.raises(PermissionDenied, match="analyst"):
        drafts.send(session=session, draft_id=draft.id, actor=Actor("ana@tandem.space", Role.ANALYST))
    assert snapshot(session, draft.id)["status"] == "approved"


def test_a_write_based_on_a_stale_read_is_refused(session: Session) -> None:
    draft = draft_in(session, status="approved")
    read_version = draft.lock_version
    drafts.archive(session=session, draft_id=draft.id, actor=BROKER, reason="duplicate")
    drafts.restore(session=session, draft_id=draft.id, actor=BROKER)
    before = snapshot(session, draft.id)
    with pytest.raises(StaleDraft, match="changed by someone else — reload"):
        drafts.send(session=session, draft_id=draft.id, actor=BROKER, expected_lock_version=read_version)
    assert snapshot(session, draft.id) == before


def test_a_write_based_on_the_current_read_goes_through(session: Session) -> None:
    draft = draft_in(session, status="approved")
    sent = drafts.send(session=session, draft_id=draft.id, actor=BROKER, expected_lock_version=draft.lock_version)
    assert sent.status == "sent"


# --- archive and restore ------------------------------------------------------------------


def test_archiving_records_who_when_why_and_where_from(session: Session) -> None:
    draft = draft_in(session, status="approved")
    archived = drafts.archive(session=session, draft_id=draft.id, actor=BROKER, reason="Wrong tone",
                              note=" Too pushy. ", now=T0)
    assert (archived.status, archived.archived_at, archived.archived_by) == ("archived", T0, BROKER.email)
    assert (archived.archive_category, archived.archive_reason, archived.archived_from_status) == (
        "wrong_tone", "Too pushy.", "approved")
    [event] = events(session, draft.id)
    assert (event.action, event.from_status, event.to_status) == ("archive", "approved", "archived")
    assert event.details == {"reason": "wrong_tone", "label": "Wrong tone", "note": "Too pushy."}


def test_archiving_without_a_note_stores_the_reason_label(session: Session) -> None:
    draft = draft_in(session)
    archived = drafts.archive(session=session, draft_id=draft.id, actor=BROKER, reason="handled_by_phone")
    assert archived.archive_reason == "Handled by phone"


def test_an_unknown_archive_reason_changes_nothing(session: Session) -> None:
    draft = draft_in(session)
    before = snapshot(session, draft.id)
    with pytest.raises(InvalidInput, match="not an archive reason"):
        drafts.archive(session=session, draft_id=draft.id, actor=BROKER, reason="meh")
    assert snapshot(session, draft.id) == before
    assert events(session, draft.id) == []


def test_restoring_returns_the_draft_to_the_status_it_was_archived_from(session: Session) -> None:
    draft = draft_in(session, status="approved")
    drafts.archive(session=session, draft_id=draft.id, actor=BROKER, reason="other", note="later", now=T0)
    restored = drafts.restore(session=session, draft_id=draft.id, actor=BROKER)
    assert restored.status == "approved"
    assert (restored.archived_at, restored.archived_by, restored.archive_category, restored.archive_reason,
            restored.archived_from_status) == (None, None, None, None, None)
    last = events(session, draft.id)[-1]
    assert (last.action, last.from_status, last.to_status) == ("restore", "archived", "approved")
    assert last.details == {"archivedAt": T0.isoformat(), "archivedBy": BROKER.email, "reason": "other",
                            "archiveReason": "later"}


def test_a_restored_sent_draft_stays_sent_and_is_never_sent_again(session: Session) -> None:
    draft = draft_in(session, status="approved")
    drafts.send(session=session, draft_id=draft.id, actor=BROKER)
    drafts.archive(session=session, draft_id=draft.id, actor=BROKER, reason="deal_closed")
    emails = email_count(session)
    with pytest.raises(AlreadySent):
        drafts.send(session=session, draft_id=draft.id, actor=BROKER)
    restored = drafts.restore(session=session, draft_id=draft.id, actor=BROKER)
    assert restored.status == "sent"
    with pytest.raises(AlreadySent):
        drafts.send(session=session, draft_id=draft.id, actor=BROKER)
    assert email_count(session) == emails


def test_cannot_restore_a_draft_that_is_not_archived(session: Session) -> None:
    draft = draft_in(session)
    with pytest.raises(InvalidTransition, match="not archived"):
        drafts.restore(session=session, draft_id=draft.id, actor=BROKER)


def test_cannot_archive_an_archived_draft_twice(session: Session) -> None:
    draft = draft_in(session)
    drafts.archive(session=session, draft_id=draft.id, actor=BROKER, reason="duplicate")
    with pytest.raises(InvalidTransition, match="already archived"):
        drafts.archive(session=session, draft_id=draft.id, actor=BROKER, reason="duplicate")


# --- use version --------------------------------------------------------------------------


def test_using_an_earlier_version_makes_it_current(session: Session) -> None:
    draft = versioned_draft(session, status="approved", edited_body="Hand edit.", final_body="Hand edit.")
    switched = drafts.use_version(session=session, draft_id=draft.id, actor=BROKER, version=0)
    assert (switched.current_version, switched.final_body, switched.confidence_score) == (0, "First text.", 70)
    assert switched.reasoning == {"schedulingLogic": ["v0"]}
    assert switched.metadata_ is not None and switched.metadata_["model"] == "offline-rules"
    assert switched.edited_body is None
    # version 0 kept no fact check: the switch runs one on its text (today's data, today's asks)
    assert switched.validation is not None and switched.validation["coverage"]["status"] == "incomplete"
    assert switched.status == "pending"  # changed text needs a fresh approval
    [event] = events(session, draft.id)
    assert (event.action, event.from_status, event.to_status, event.details) == (
        "use_version", "approved", "pending", {"version": 0, "previousVersion": 1})


def test_using_a_version_checks_its_text_again_rather_than_trusting_its_stored_check(session: Session) -> None:
    draft = versioned_draft(session, current_version=0, final_body="First text.")
    switched = drafts.use_version(session=session, draft_id=draft.id, actor=BROKER, version=1)
    # version 1 stored "passed"; its text answers none of the seeker's three asks, so today's check warns
    assert switched.validation is not None and switched.validation["status"] == "warnings"
    assert switched.validation["coverage"]["unanswered"] == [
        "Is it dog friendly?", "Is there parking?", "Can we tour Tuesday at 2pm?"]


def test_using_a_missing_version_names_the_versions_that_exist(session: Session) -> None:
    draft = versioned_draft(session)
    before = snapshot(session, draft.id)
    with pytest.raises(VersionNotFound, match="no version 7 — its versions are: 0, 1"):
        drafts.use_version(session=session, draft_id=draft.id, actor=BROKER, version=7)
    assert snapshot(session, draft.id) == before


def test_cannot_switch_versions_of_a_sent_draft(session: Session) -> None:
    draft = versioned_draft(session, status="approved")
    drafts.send(session=session, draft_id=draft.id, actor=BROKER)
    with pytest.raises(AlreadySent):
        drafts.use_version(session=session, draft_id=draft.id, actor=BROKER, version=0)


# --- bookkeeping ----------------------------------------------------------------------


def test_every_action_bumps_the_lock_version_and_leaves_one_event(session: Session) -> None:
    draft = versioned_draft(session)
    drafts.use_version(session=session, draft_id=draft.id, actor=BROKER, version=0)
    drafts.archive(session=session, draft_id=draft.id, actor=BROKER, reason="duplicate")
    final = drafts.restore(session=session, draft_id=draft.id, actor=BROKER)
    assert final.lock_version == 4
    assert [e.action for e in events(session, draft.id)] == ["use_version", "archive", "restore"]


def test_a_refused_action_leaves_the_session_usable(session: Session) -> None:
    draft = draft_in(session)
    with pytest.raises(InvalidTransition):
        drafts.send(session=session, draft_id=draft.id, actor=BROKER)
    archived = drafts.archive(session=session, draft_id=draft.id, actor=BROKER, reason="duplicate")
    assert archived.status == "archived"


def test_the_cli_actor_is_resolved_from_an_email_address(session: Session) -> None:
    make_user(session, email="broker@tandem.space", role="broker")
    actor = resolve_actor(session, " Broker@Tandem.Space ")
    assert (actor.email, actor.role) == ("broker@tandem.space", Role.BROKER)
    with pytest.raises(InvalidInput, match="not an email address"):
        resolve_actor(session, "bob")


def test_the_timestamps_are_taken_from_the_clock_passed_in(session: Session) -> None:
    draft = draft_in(session)
    later = T0 + timedelta(days=2)
    archived = drafts.archive(session=session, draft_id=draft.id, actor=BROKER, reason="duplicate", now=later)
    assert archived.archived_at == later


# --- approve and edit: the fact check -------------------------------------------------------

WRONG_RENT = "Hi! Harbor Loft rent is $1,000 per month."
GOOD_BODY = "Hi! Yes, Harbor Loft is dog friendly. Parking is $250/month. Tuesday at 2pm works for a tour."


def linked_draft(session: Session, **overrides: Any) -> EmailDraft:
    """A draft whose deal has a space, so the fact check has figures to compare."""
    deal = make_deal(session)
    space = make_space(session, name="Harbor Loft", monthly_rate=12000)
    make_deal_space(session, deal=deal, space=space)
    return draft_in(session, deal=deal, **overrides)


def test_approving_a_pending_draft_records_the_reviewer_and_a_fresh_fact_check(session: Session) -> None:
    draft = linked_draft(session, body=GOOD_BODY)
    approved = drafts.approve(session=session, draft_id=draft.id, actor=BROKER, now=T0)
    assert (approved.status, approved.reviewed_at, approved.reviewed_by) == ("approved", T0, BROKER.email)
    assert approved.validation is not None and approved.validation["status"] == "passed"
    [event] = events(session, draft.id)
    assert (event.action, event.from_status, event.to_status) == ("approve", "pending", "approved")
    assert event.details == {"version": 0, "validation": "passed"}


def test_cannot_approve_a_draft_whose_fact_check_fails(session: Session) -> None:
    draft = linked_draft(session, body=WRONG_RENT)
    before = snapshot(session, draft.id)
    with pytest.raises(ValidationFailed, match=r"fact check failed: Rent at .*\$1,000.*\$12,000") as info:
        drafts.approve(session=session, draft_id=draft.id, actor=BROKER)
    assert info.value.exit_code == 15
    assert snapshot(session, draft.id) == before
    assert events(session, draft.id) == []


def test_a_failed_fact_check_can_be_overridden_and_the_history_says_so(session: Session) -> None:
    draft = linked_draft(session, body=WRONG_RENT)
    approved = drafts.approve(session=session, draft_id=draft.id, actor=BROKER, override_failed_validation=True)
    assert approved.status == "approved"
    [event] = events(session, draft.id)
    assert event.details["overrideFailedValidation"] is True
    assert event.details["validation"] == "failed"
    assert any(issue.startswith("Rent at") and "monthly_rate" in issue for issue in event.details["issues"])


def test_cannot_approve_an_approved_draft(session: Session) -> None:
    draft = linked_draft(session, body=GOOD_BODY, status="approved")
    with pytest.raises(InvalidTransition, match="approved and cannot be approved"):
        drafts.approve(session=session, draft_id=draft.id, actor=BROKER)


def test_editing_an_approved_draft_stores_the_text_and_sends_it_back_to_pending(session: Session) -> None:
    draft = linked_draft(session, body=GOOD_BODY, status="approved")
    edited = drafts.edit(session=session, draft_id=draft.id, actor=BROKER, body="\n" + WRONG_RENT + "\n")
    assert (edited.status, edited.edited_body, edited.final_body) == ("pending", WRONG_RENT, WRONG_RENT)
    assert edited.ai_generated_body == GOOD_BODY  # the model's text is kept
    assert edited.validation is not None and edited.validation["status"] == "failed"
    [event] = events(session, draft.id)
    assert (event.action, event.from_status, event.to_status) == ("edit", "approved", "pending")
    assert event.details == {"version": 1, "body": WRONG_RENT, "validation": "failed", "handEdit": True}


def test_an_empty_edit_is_refused_and_nothing_changes(session: Session) -> None:
    draft = linked_draft(session)
    before = snapshot(session, draft.id)
    with pytest.raises(EmptyBody):
        drafts.edit(session=session, draft_id=draft.id, actor=BROKER, body=" \n ")
    assert snapshot(session, draft.id) == before


def test_cannot_edit_a_sent_draft(session: Session) -> None:
    draft = linked_draft(session, status="approved")
    drafts.send(session=session, draft_id=draft.id, actor=BROKER)
    with pytest.raises(AlreadySent, match="cannot be edited"):
        drafts.edit(session=session, draft_id=draft.id, actor=BROKER, body="New text")


def test_cannot_edit_an_archived_draft(session: Session) -> None:
    draft = linked_draft(session)
    drafts.archive(session=session, draft_id=draft.id, actor=BROKER, reason="duplicate")
    with pytest.raises(InvalidTransition, match="restore it before"):
        drafts.edit(session=session, draft_id=draft.id, actor=BROKER, body="New text")


# --- refine ---------------------------------------------------------------------------


@pytest.fixture
def refine_limit(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("ECHO_REFINE_LIMIT", "3")
    monkeypatch.setenv("ECHO_REFINE_COOLDOWN_HOURS", "24")
    reload_settings()
    yield
    monkeypatch.undo()
    reload_settings()


def test_refining_appends_a_version_and_makes_it_current(session: Session, refine_limit: None) -> None:
    draft = linked_draft(session, status="approved", edited_body="by hand", final_body="by hand")
    refined = drafts.refine(session=session, draft_id=draft.id, actor=BROKER, prompt="Shorter, please.", now=T0)
    assert refined.draft_versions is not None and len(refined.draft_versions) == 2
    entry = refined.draft_versions[-1]
    assert DraftVersion.model_validate(entry).version == 1
    assert (entry["prompt"], entry["createdAt"]) == ("Shorter, please.", "2025-03-04T09:00:00Z")
    assert set(entry) >= {"version", "body", "prompt", "confidence", "reasoning", "metadata", "createdAt"}
    assert (refined.current_version, refined.final_body, refined.confidence_score) == (
        1, entry["body"], entry["confidence"])
    assert (refined.reasoning, refined.metadata_) == (entry["reasoning"], entry["metadata"])
    assert refined.edited_body is None
    assert (refined.regeneration_count, refined.last_regeneration_at) == (1, T0)
    assert refined.status == "pending"
    [event] = events(session, draft.id)
    assert (event.action, event.from_status, event.to_status) == ("refine", "approved", "pending")
    assert event.details == {"version": 1, "prompt": "Shorter, please.", "regenerationCount": 1,
                             "provider": "offline"}


def test_a_fourth_refinement_waits_for_the_cooldown_then_the_allowance_renews(
    session: Session, refine_limit: None
) -> None:
    draft = linked_draft(session)
    for minutes in range(3):
        drafts.refine(session=session, draft_id=draft.id, actor=BROKER, prompt="Again",
                      now=T0 + timedelta(minutes=minutes))
    before = snapshot(session, draft.id)
    last = T0 + timedelta(minutes=2)
    with pytest.raises(RefinementLimitReached, match="next one is possible at 2025-03-05 09:02 UTC") as info:
        drafts.refine(session=session, draft_id=draft.id, actor=BROKER, prompt="Again",
                      now=last + timedelta(hours=23, minutes=59))
    assert info.value.available_at == last + timedelta(hours=24)
    assert snapshot(session, draft.id) == before
    renewed = drafts.refine(session=session, draft_id=draft.id, actor=BROKER, prompt="Again",
                            now=last + timedelta(hours=24))
    assert (renewed.regeneration_count, renewed.current_version) == (1, 4)


def test_the_refinement_limit_and_cooldown_come_from_the_settings(
    session: Session, monkeypatch: pytest.MonkeyPatch, refine_limit: None
) -> None:
    monkeypatch.setenv("ECHO_REFINE_LIMIT", "1")
    monkeypatch.setenv("ECHO_REFINE_COOLDOWN_HOURS", "2")
    reload_settings()
    draft = linked_draft(session)
    drafts.refine(session=session, draft_id=draft.id, actor=BROKER, prompt="Again", now=T0)
    with pytest.raises(RefinementLimitReached, match="All 1 refinements"):
        drafts.refine(session=session, draft_id=draft.id, actor=BROKER, prompt="Again", now=T0 + timedelta(hours=1))
    drafts.refine(session=session, draft_id=draft.id, actor=BROKER, prompt="Again", now=T0 + timedelta(hours=2))


def test_a_failed_generation_leaves_the_draft_untouched(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    def model_down(*args: Any, **kwargs: Any) -> Any:
        raise GenerationFailed("The model timed out — try again in a minute.")

    draft = linked_draft(session)
    before = snapshot(session, draft.id)
    monkeypatch.setattr(pipeline, "generate_reply", model_down)
    with pytest.raises(GenerationFailed):
        drafts.refine(session=session, draft_id=draft.id, actor=BROKER, prompt="Warmer")
    assert snapshot(session, draft.id) == before
    assert events(session, draft.id) == []


def test_a_refinement_needs_an_instruction(session: Session) -> None:
    draft = linked_draft(session)
    with pytest.raises(InvalidInput, match="instruction is empty"):
        drafts.refine(session=session, draft_id=draft.id, actor=BROKER, prompt="  ")


def test_cannot_refine_a_sent_or_archived_draft(session: Session) -> None:
    sent = linked_draft(session, status="approved")
    drafts.send(session=session, draft_id=sent.id, actor=BROKER)
    with pytest.raises(AlreadySent, match="cannot be refined"):
        drafts.refine(session=session, draft_id=sent.id, actor=BROKER, prompt="Warmer")
    archived = linked_draft(session)
    drafts.archive(session=session, draft_id=archived.id, actor=BROKER, reason="other")
    with pytest.raises(InvalidTransition, match="archived"):
        drafts.refine(session=session, draft_id=archived.id, actor=BROKER, prompt="Warmer")


def test_a_draft_stored_without_versions_gets_version_zero_before_the_refinement(session: Session) -> None:
    draft = linked_draft(session, draft_versions=None)
    refined = drafts.refine(session=session, draft_id=draft.id, actor=BROKER, prompt="Warmer")
    assert refined.draft_versions is not None
    assert [v["version"] for v in refined.draft_versions] == [0, 1]
    assert refined.draft_versions[0]["body"] == draft.ai_generated_body


def test_the_lock_version_bump_is_a_compare_and_set_behind_the_row_lock(session: Session) -> None:
    draft = draft_in(session, status="approved")
    loaded, to_status = open_draft(session, draft.id, DraftAction.ARCHIVE, None, lock=False)
    # Someone else's committed write lands between this read and this write (no row lock taken).
    session.execute(text("UPDATE email_drafts SET lock_version = lock_version + 1 WHERE id = :id"), {"id": draft.id})
    with pytest.raises(StaleDraft):
        close_draft(session, loaded, actor=BROKER, action=DraftAction.ARCHIVE, from_status="approved",
                    to_status=to_status, details={})
    session.rollback()
    assert snapshot(session, draft.id)["status"] == "approved"
