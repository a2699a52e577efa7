"""Deal services: each change is validated, permitted, written and committed."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from echo_core.db.models import Deal, DealSpace, DraftEvent
from echo_core.errors import InvalidInput, NotFound, PermissionDenied
from echo_core.permissions import Actor, Role
from echo_core.services import deals as svc
from tests.factories import make_deal, make_deal_space, make_space

BROKER = Actor("broker@tandem.space", Role.BROKER)
ANALYST = Actor("analyst@tandem.space", Role.ANALYST)

NEW_DEAL = {
    "seeker_name": "Dana Reyes",
    "seeker_email": "dana@orbit.example.com",
    "company_name": "Orbit Labs",
    "team_size": 14,
    "monthly_budget": 18000,
    "requirements": {"dogFriendly": True, "location": "Mission"},
}


def test_create_deal_stores_validated_requirements_in_inquiry(session: Session) -> None:
    deal = svc.create_deal(session=session, actor=BROKER, **NEW_DEAL)  # type: ignore[arg-type]
    stored = session.get(Deal, deal.id)
    assert stored is not None
    assert (stored.company_name, stored.stage, stored.team_size) == ("Orbit Labs", "inquiry", 14)
    assert stored.requirements == {"dogFriendly": True, "location": "Mission"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"monthly_budget": -1}, "monthly budget cannot be negative"),
        ({"team_size": 0}, "team size must be at least 1"),
        ({"company_name": "x" * 256}, "company name is 256 characters long — shorten it to 255"),
        ({"seeker_name": "   "}, "seeker name is empty"),
        ({"seeker_email": "not-an-email"}, "is not an email address"),
        ({"requirements": {"dogFriendly": "very"}}, "Invalid requirements: dogFriendly"),
        ({"requirements": {"location": "x" * 300}}, "Invalid requirements: location"),
        ({"stage": "won"}, "'won' is not a deal stage"),
    ],
)
def test_create_deal_rejects_bad_input_with_a_clear_message_and_writes_nothing(
    session: Session, change: dict[str, object], message: str
) -> None:
    before = session.scalar(select(func.count()).select_from(Deal))
    with pytest.raises(InvalidInput, match=message):
        svc.create_deal(session=session, actor=BROKER, **{**NEW_DEAL, **change})  # type: ignore[arg-type]
    assert session.scalar(select(func.count()).select_from(Deal)) == before


def test_analysts_may_not_create_deals(session: Session) -> None:
    with pytest.raises(PermissionDenied, match="may not edit deals"):
        svc.create_deal(session=session, actor=ANALYST, **NEW_DEAL)  # type: ignore[arg-type]


@pytest.mark.parametrize(("from_stage", "to_stage"), [("inquiry", "touring"), ("negotiating", "touring"),
                                                      ("touring", "closed"), ("closed", "negotiating")])
def test_set_stage_moves_a_deal_to_any_valid_stage(session: Session, from_stage: str, to_stage: str) -> None:
    deal = make_deal(session, stage=from_stage)
    svc.set_stage(session=session, deal_id=deal.id, stage=to_stage, actor=BROKER)
    session.expire_all()
    assert session.get(Deal, deal.id).stage == to_stage  # type: ignore[union-attr]


def test_set_stage_rejects_an_unknown_stage_and_a_missing_deal(session: Session) -> None:
    deal = make_deal(session)
    with pytest.raises(InvalidInput, match="not a deal stage"):
        svc.set_stage(session=session, deal_id=deal.id, stage="' OR 1=1", actor=BROKER)
    with pytest.raises(NotFound):
        svc.set_stage(session=session, deal_id=987654321, stage="closed", actor=BROKER)


def test_set_deal_space_status_changes_only_that_link(session: Session) -> None:
    deal = make_deal(session)
    space, other = make_space(session), make_space(session)
    link = make_deal_space(session, deal=deal, space=space, status="shown")
    untouched = make_deal_space(session, deal=deal, space=other, status="shown")
    svc.set_deal_space_status(session=session, deal_id=deal.id, space_id=space.id, status="touring", actor=BROKER)
    session.expire_all()
    assert session.get(DealSpace, link.id).status == "touring"  # type: ignore[union-attr]
    assert session.get(DealSpace, untouched.id).status == "shown"  # type: ignore[union-attr]


def test_set_deal_space_status_needs_an_existing_link_and_a_valid_status(session: Session) -> None:
    deal, space = make_deal(session), make_space(session)
    with pytest.raises(NotFound, match="is not on deal"):
        svc.set_deal_space_status(session=session, deal_id=deal.id, space_id=space.id, status="shown", actor=BROKER)
    make_deal_space(session, deal=deal, space=space)
    with pytest.raises(InvalidInput, match="not a space status"):
        svc.set_deal_space_status(session=session, deal_id=deal.id, space_id=space.id, status="loved", actor=BROKER)


def test_link_space_adds_it_once_as_shown(session: Session) -> None:
    deal, space = make_deal(session), make_space(session)
    link = svc.link_space(session=session, deal_id=deal.id, space_id=space.id, actor=BROKER)
    assert link.status == "shown"
    with pytest.raises(InvalidInput, match="already on deal"):
        svc.link_space(session=session, deal_id=deal.id, space_id=space.id, actor=BROKER)
    count = select(func.count()).select_from(DealSpace).where(DealSpace.deal_id == deal.id)
    assert session.scalar(count) == 1


def test_link_space_needs_a_real_space(session: Session) -> None:
    deal = make_deal(session)
    with pytest.raises(NotFound, match="Space 987654321 does not exist"):
        svc.link_space(session=session, deal_id=deal.id, space_id=987654321, actor=BROKER)


def test_deal_changes_leave_no_draft_events(session: Session) -> None:
    deal, space = make_deal(session), make_space(session)
    before = session.scalar(select(func.count()).select_from(DraftEvent))
    svc.link_space(session=session, deal_id=deal.id, space_id=space.id, actor=BROKER)
    svc.set_stage(session=session, deal_id=deal.id, stage="touring", actor=BROKER)
    assert session.scalar(select(func.count()).select_from(DraftEvent)) == before
