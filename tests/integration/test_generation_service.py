"""generate_draft, revalidate_draft, latest_unanswered_inbound and the `drafts generate|validate` CLI."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from echo_core.db.models import DraftEvent, EmailDraft
from echo_core.errors import InvalidInput, NotFound, PermissionDenied
from echo_core.permissions import Actor, Role
from echo_core.services.generation import generate_draft, latest_unanswered_inbound, revalidate_draft
from tests.factories import make_deal, make_deal_space, make_draft, make_email, make_space
from tests.integration.test_cli_db import assert_one_line_error, run_cli

BROKER = Actor("broker@tandem.space", Role.BROKER)


def _inbound(session: Session, body: str = "Is it dog friendly? What does parking cost?"):  # type: ignore[no-untyped-def]
    deal = make_deal(session, seeker_name="Priya Patel")
    space = make_space(session, name="Dogpatch Yard")
    make_deal_space(session, deal=deal, space=space, status="interested")
    return deal, make_email(session, deal=deal, body=body)


def test_generate_draft_stores_a_pending_version_zero_with_an_audit_event(session: Session) -> None:
    _, email = _inbound(session)
    draft_id = generate_draft(session=session, inbound_email_id=email.id, actor=BROKER)
    draft = session.get(EmailDraft, draft_id)
    assert draft is not None and draft.status == "pending" and draft.current_version == 0
    assert draft.final_body == draft.ai_generated_body and "Dogpatch Yard is dog friendly" in draft.final_body
    assert draft.validation and draft.validation["status"] == "passed"
    assert draft.metadata_ and draft.metadata_["provider"] == "offline"
    [version] = draft.draft_versions or []
    assert version["version"] == 0 and version["prompt"] is None and version["body"] == draft.final_body
    event = session.scalars(select(DraftEvent).where(DraftEvent.draft_id == draft_id)).one()
    assert event.action == "generate" and event.actor == BROKER.email and event.to_status == "pending"


def test_generate_draft_refuses_an_outbound_email(session: Session) -> None:
    deal, _ = _inbound(session)
    ours = make_email(session, deal=deal, from_addr="agent@tandem.space", body="Hi there")
    with pytest.raises(InvalidInput):
        generate_draft(session=session, inbound_email_id=ours.id, actor=BROKER)


def test_generate_draft_refuses_a_missing_email_and_an_analyst(session: Session) -> None:
    _, email = _inbound(session)
    with pytest.raises(NotFound):
        generate_draft(session=session, inbound_email_id=10**9, actor=BROKER)
    with pytest.raises(PermissionDenied):
        generate_draft(session=session, inbound_email_id=email.id, actor=Actor("a@tandem.space", Role.ANALYST))


def test_revalidate_draft_stores_a_failed_check_for_a_wrong_edit(session: Session) -> None:
    deal, email = _inbound(session)
    draft = make_draft(session, deal=deal, inbound=email, body="Hi! Parking at Dogpatch Yard is $999 per month.")
    result = revalidate_draft(session=session, draft_id=draft.id, actor=BROKER)
    assert result["status"] == "failed"
    session.refresh(draft)
    assert draft.validation == result


def test_latest_unanswered_inbound_skips_answered_and_drafted_emails(session: Session) -> None:
    deal = make_deal(session)
    now = datetime.now(UTC)
    first = make_email(session, deal=deal, sent_at=now - timedelta(hours=5))
    make_email(session, deal=deal, from_addr="agent@tandem.space", ai_generated=True, sent_at=now - timedelta(hours=4))
    assert latest_unanswered_inbound(session, deal.id) is None
    second = make_email(session, deal=deal, sent_at=now - timedelta(hours=3))
    assert latest_unanswered_inbound(session, deal.id) == second.id
    make_draft(session, deal=deal, inbound=second)
    assert latest_unanswered_inbound(session, deal.id) is None
    assert first.id != second.id


def test_an_older_unanswered_email_is_not_drafted_once_the_newest_has_a_draft(session: Session) -> None:
    deal = make_deal(session)
    now = datetime.now(UTC)
    make_email(session, deal=deal, sent_at=now - timedelta(hours=5))
    newest = make_email(session, deal=deal, sent_at=now - timedelta(hours=3))
    make_draft(session, deal=deal, inbound=newest)
    assert latest_unanswered_inbound(session, deal.id) is None


def test_cli_generates_then_validates_a_draft(fresh_engine: Engine, fresh_db_url: str) -> None:
    with Session(fresh_engine) as session:
        _, email = _inbound(session, "Can we tour Tuesday at 3pm? Is there a conference room?")
        session.commit()
        email_id = email.id
    result = run_cli("drafts", "generate", "--email-id", str(email_id), "--json", url=fresh_db_url)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["validation"]["status"] == "passed" and 0 < out["confidence"] <= 100
    checked = run_cli("drafts", "validate", str(out["id"]), url=fresh_db_url)
    assert checked.returncode == 0, checked.stderr
    assert "fact check: passed" in checked.stdout
    with Session(fresh_engine) as session:
        assert session.scalar(select(func.count()).select_from(EmailDraft)) == 1


def test_cli_generate_reports_a_missing_email_on_one_line(fresh_db_url: str) -> None:
    assert_one_line_error(run_cli("drafts", "generate", "--email-id", "424242", url=fresh_db_url), 10,
                          "Email 424242 does not exist")
