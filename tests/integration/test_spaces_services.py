"""Space services: JSON shapes validated by echo_core.schemas before anything is written."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from echo_core.db.models import Space
from echo_core.errors import InvalidInput, NotFound, PermissionDenied
from echo_core.permissions import Actor, Role
from echo_core.services import spaces as svc
from tests.factories import make_space

BROKER = Actor("broker@tandem.space", Role.BROKER)

NEW_SPACE: dict[str, Any] = {
    "name": "Folsom Flats",
    "address": "900 Folsom St, San Francisco",
    "neighborhood": "SoMa",
    "host_company": "Folsom Hosts",
    "host_email": "host@folsom.example.com",
    "monthly_rate": 12500,
    "amenities": {"dogFriendly": True, "parking": False},
    "availability": {"Tuesday": ["2pm", "4 PM"]},
    "detailed_amenities": {"dogPolicy": {"allowed": True, "deposit": 300},
                           "meetingRooms": {"count": 1, "sizes": [8]}},
}


def test_create_space_stores_normalised_json(session: Session) -> None:
    space = svc.create_space(session=session, actor=BROKER, **NEW_SPACE)
    stored = session.get(Space, space.id)
    assert stored is not None
    assert stored.availability == {"tuesday": ["2pm", "4pm"]}
    assert stored.detailed_amenities == {"dogPolicy": {"allowed": True, "deposit": 300.0},
                                         "meetingRooms": {"count": 1, "sizes": [8]}}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"amenities": {"parking": "yes please"}}, "Invalid amenities"),
        ({"availability": {"funday": ["2pm"]}}, "'funday' is not a weekday name"),
        ({"availability": {"monday": ["25pm"]}}, "'25pm' on monday is not a time"),
        ({"detailed_amenities": {"dogPolicy": {"deposit": 5}}}, "Invalid detailed amenities: dogPolicy.allowed"),
        ({"detailed_amenities": {"parking": {"costMonthly": -3}}}, "parking.costMonthly"),
        ({"monthly_rate": -1}, "monthly rate cannot be negative"),
        ({"name": ""}, "name is empty"),
        ({"host_email": "host at folsom"}, "not an email address"),
        ({"neighborhood": "n" * 101}, "shorten it to 100"),
    ],
)
def test_create_space_rejects_wrong_shapes_with_one_clear_error_and_writes_nothing(
    session: Session, change: dict[str, Any], message: str
) -> None:
    before = session.scalar(select(func.count()).select_from(Space))
    with pytest.raises(InvalidInput, match=message):
        svc.create_space(session=session, actor=BROKER, **{**NEW_SPACE, **change})
    assert session.scalar(select(func.count()).select_from(Space)) == before


def test_update_space_changes_only_the_given_fields(session: Session) -> None:
    space = make_space(session, name="Before", monthly_rate=9000)
    svc.update_space(session=session, space_id=space.id, actor=BROKER, monthly_rate=9500,
                     availability={"friday": ["9am"]})
    session.expire_all()
    stored = session.get(Space, space.id)
    assert stored is not None
    assert (stored.name, stored.monthly_rate, stored.availability) == ("Before", 9500, {"friday": ["9am"]})


def test_update_space_validates_everything_before_writing_anything(session: Session) -> None:
    space = make_space(session, monthly_rate=9000)
    with pytest.raises(InvalidInput):
        svc.update_space(session=session, space_id=space.id, actor=BROKER, monthly_rate=1,
                         detailed_amenities={"meetingRooms": {"count": -1}})
    session.expire_all()
    assert session.get(Space, space.id).monthly_rate == 9000  # type: ignore[union-attr]


def test_update_space_rejects_unknown_fields_and_missing_spaces(session: Session) -> None:
    space = make_space(session)
    with pytest.raises(InvalidInput, match="not an editable space field"):
        svc.update_space(session=session, space_id=space.id, actor=BROKER, id=5)
    with pytest.raises(NotFound):
        svc.update_space(session=session, space_id=987654321, actor=BROKER, name="x")


def test_analysts_may_not_edit_spaces(session: Session) -> None:
    space = make_space(session)
    with pytest.raises(PermissionDenied):
        svc.update_space(session=session, space_id=space.id, actor=Actor("a@tandem.space", Role.ANALYST), name="x")
