"""generate_reply and validate_body against a real database."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from echo_core.errors import InvalidInput, NotFound
from echo_core.generation.pipeline import generate_reply, validate_body
from tests.factories import make_deal, make_deal_space, make_email, make_space


def _deal_with_space(session: Session, **space: object):  # type: ignore[no-untyped-def]
    deal = make_deal(session, seeker_name="Sarah Chen", team_size=12, monthly_budget=16000,
                     requirements={"dogFriendly": True, "parking": True})
    room = make_space(session, name="Mission Loft", address="2120 Mission St, San Francisco", monthly_rate=14500,
                      **space)
    make_deal_space(session, deal=deal, space=room, status="touring")
    return deal, room


def test_generate_reply_answers_from_the_linked_space(session: Session) -> None:
    deal, room = _deal_with_space(session)
    email = make_email(session, deal=deal, body="Is Mission Loft dog friendly? What does parking cost? "
                                                "Can we tour Tuesday at 2pm?")
    reply = generate_reply(session, inbound_email_id=email.id, provider="offline")
    assert "Mission Loft is dog friendly" in reply.body
    assert "$250 per month" in reply.body
    assert "Tuesday at 2pm is open" in reply.body
    assert reply.validation["status"] == "passed"
    assert reply.metadata["model"] == "offline-rules" and reply.metadata["tokensUsed"] == 0
    paths = {d["fieldPath"] for d in reply.reasoning["dataUsed"]}
    assert "detailed_amenities.parking.costMonthly" in paths
    assert all(d["sourceId"] == room.id for d in reply.reasoning["dataUsed"] if d["sourceType"] == "space")
    assert reply.confidence >= 85


def test_generate_reply_defers_and_lowers_confidence_when_data_is_missing(session: Session) -> None:
    deal, _ = _deal_with_space(session, detailed_amenities={})
    email = make_email(session, deal=deal, body="Is there parking? How many meeting rooms are there?")
    reply = generate_reply(session, inbound_email_id=email.id, provider="offline")
    assert reply.body.count("I'll confirm with the host") == 2
    assert reply.confidence <= 50


def test_generate_reply_refuses_an_outbound_email(session: Session) -> None:
    deal, _ = _deal_with_space(session)
    ours = make_email(session, deal=deal, from_addr="agent@tandem.space", ai_generated=True, body="Hi!")
    with pytest.raises(InvalidInput):
        generate_reply(session, inbound_email_id=ours.id)


def test_generate_reply_names_a_missing_email(session: Session) -> None:
    with pytest.raises(NotFound):
        generate_reply(session, inbound_email_id=987654321)


def test_validate_body_fails_a_wrong_parking_price(session: Session) -> None:
    deal, _ = _deal_with_space(session)
    email = make_email(session, deal=deal, body="What does parking cost?")
    result = validate_body(session, deal_id=deal.id, inbound_email_id=email.id,
                           body="Hi Sarah, parking at Mission Loft is $300 per month.")
    assert result["status"] == "failed"
    assert any("$300" in issue for issue in result["issues"])
    assert set(result) == {"status", "issues", "checkedAt", "coverage"}
    assert result["coverage"] == {"status": "complete", "asks": 1, "unanswered": []}


def test_validate_body_catches_a_rate_changed_after_drafting(session: Session) -> None:
    deal, room = _deal_with_space(session)
    email = make_email(session, deal=deal, body="What's the monthly rent?")
    body = generate_reply(session, inbound_email_id=email.id).body
    assert validate_body(session, deal_id=deal.id, inbound_email_id=email.id, body=body)["status"] == "passed"
    room.monthly_rate = 15500
    session.flush()
    assert validate_body(session, deal_id=deal.id, inbound_email_id=email.id, body=body)["status"] == "failed"


def test_validate_body_refuses_an_email_of_another_deal(session: Session) -> None:
    deal, _ = _deal_with_space(session)
    other = make_deal(session)
    email = make_email(session, deal=deal)
    with pytest.raises(InvalidInput):
        validate_body(session, deal_id=other.id, inbound_email_id=email.id, body="Hi")
