"""Every CHECK and foreign key rejects a bad row, and the error reads as one clear line."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import exc, update
from sqlalchemy.orm import Session

from echo_core.db.integrity import constraint_name, explain
from echo_core.db.models import Deal, DealSpace, Email, EmailDraft, Space
from tests.factories import make_deal, make_deal_space, make_draft, make_space


def _violation(session: Session, action: Any) -> exc.IntegrityError:
    with pytest.raises(exc.IntegrityError) as caught, session.begin_nested():
        action()
        session.flush()
    return caught.value


@pytest.mark.parametrize(
    ("field", "value", "constraint", "message"),
    [
        ("team_size", 0, "ck_deals_team_size_positive", "Team size must be at least 1."),
        ("team_size", -5, "ck_deals_team_size_positive", "Team size must be at least 1."),
        ("monthly_budget", -1, "ck_deals_monthly_budget_not_negative", "Monthly budget cannot be negative."),
        ("stage", "won", "ck_deals_stage_valid", "Stage must be one of inquiry, touring, negotiating, closed."),
    ],
)
def test_a_deal_breaking_a_business_rule_is_rejected(
    session: Session, field: str, value: object, constraint: str, message: str
) -> None:
    deal = make_deal(session)
    error = _violation(session, lambda: session.execute(update(Deal).where(Deal.id == deal.id).values({field: value})))
    assert constraint_name(error) == constraint
    assert str(explain(error)) == message


def test_a_negative_space_rate_is_rejected(session: Session) -> None:
    space = make_space(session)
    error = _violation(
        session, lambda: session.execute(update(Space).where(Space.id == space.id).values(monthly_rate=-10))
    )
    assert constraint_name(error) == "ck_spaces_monthly_rate_not_negative"


def test_an_unknown_deal_space_status_is_rejected(session: Session) -> None:
    deal, space = make_deal(session), make_space(session)
    error = _violation(session, lambda: session.add(DealSpace(deal_id=deal.id, space_id=space.id, status="maybe")))
    assert str(explain(error)).startswith("Space status must be one of")


def test_linking_the_same_space_twice_is_rejected(session: Session) -> None:
    deal, space = make_deal(session), make_space(session)
    make_deal_space(session, deal=deal, space=space)
    error = _violation(session, lambda: session.add(DealSpace(deal_id=deal.id, space_id=space.id, status="shown")))
    assert str(explain(error)) == "That space is already linked to this deal."


@pytest.mark.parametrize(
    ("field", "value", "constraint"),
    [
        ("status", "deleted", "ck_email_drafts_status_valid"),
        ("confidence_score", 101, "ck_email_drafts_confidence_score_range"),
        ("confidence_score", -1, "ck_email_drafts_confidence_score_range"),
        ("regeneration_count", -1, "ck_email_drafts_regeneration_count_not_negative"),
        ("archive_category", "bored", "ck_email_drafts_archive_category_valid"),
    ],
)
def test_a_draft_breaking_a_business_rule_is_rejected(
    session: Session, field: str, value: object, constraint: str
) -> None:
    draft = make_draft(session)
    error = _violation(
        session, lambda: session.execute(update(EmailDraft).where(EmailDraft.id == draft.id).values({field: value}))
    )
    assert constraint_name(error) == constraint
    assert "\n" not in str(explain(error))


@pytest.mark.parametrize(
    ("make_row", "constraint"),
    [
        (lambda s: Email(deal_id=999_999, from_addr="a@b.co", to_addr="c@d.co", subject="s", body="b"),
         "emails_deal_id_deals_id_fk"),
        (lambda s: DealSpace(deal_id=999_999, space_id=make_space(s).id, status="shown"),
         "deal_spaces_deal_id_deals_id_fk"),
        (lambda s: DealSpace(deal_id=make_deal(s).id, space_id=999_999, status="shown"),
         "deal_spaces_space_id_spaces_id_fk"),
    ],
)
def test_a_row_pointing_at_a_missing_parent_is_rejected(session: Session, make_row: Any, constraint: str) -> None:
    row = make_row(session)
    error = _violation(session, lambda: session.add(row))
    assert constraint_name(error) == constraint
    assert str(explain(error)).startswith("That refers to a record that does not exist")


@pytest.mark.parametrize(
    ("field", "constraint"),
    [
        ("deal_id", "email_drafts_deal_id_deals_id_fk"),
        ("inbound_email_id", "email_drafts_inbound_email_id_emails_id_fk"),
        ("sent_email_id", "email_drafts_sent_email_id_emails_id_fk"),
    ],
)
def test_a_draft_pointing_at_a_missing_row_is_rejected(session: Session, field: str, constraint: str) -> None:
    draft = make_draft(session)
    error = _violation(
        session, lambda: session.execute(update(EmailDraft).where(EmailDraft.id == draft.id).values({field: 999_999}))
    )
    assert constraint_name(error) == constraint


def test_a_deal_with_emails_cannot_be_deleted(session: Session) -> None:
    draft = make_draft(session)
    deal = session.get(Deal, draft.deal_id)
    error = _violation(session, lambda: session.delete(deal))
    assert constraint_name(error) in {"emails_deal_id_deals_id_fk", "email_drafts_deal_id_deals_id_fk"}


def test_audit_events_can_be_inserted_but_never_updated_or_deleted(session: Session) -> None:
    from sqlalchemy import delete, text

    from echo_core.db.models import DraftEvent

    draft = make_draft(session)
    session.add(DraftEvent(draft_id=draft.id, actor="a@b.co", action="approve", from_status="pending",
                           to_status="approved"))
    session.flush()
    for statement in (update(DraftEvent).values(actor="x@y.co"), delete(DraftEvent)):
        with pytest.raises(exc.DBAPIError, match="append-only"), session.begin_nested():
            session.execute(statement)
    assert session.scalar(text("SELECT count(*) FROM draft_events WHERE draft_id = :d"), {"d": draft.id}) == 1
