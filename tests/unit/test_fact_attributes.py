"""The attribute catalogue: every checkable field of the seed's shapes, readable from a space."""

from __future__ import annotations

import pytest

from echo_core.demo.spaces import DEMO_SPACES
from echo_core.generation.context import context_from_dict
from echo_core.generation.facts.attributes import ATTRIBUTES, attribute, family

SPACE = context_from_dict({"deal": {}, "spaces": [DEMO_SPACES[0]], "email": {"body": "Hi"}}).spaces[0]


@pytest.mark.parametrize("name", ["monthlyRate", "parking.costMonthly", "parking.costPerDay", "parking.type",
                                  "parking.spotsAvailable", "access.costPerCard", "access.hours",
                                  "access.afterHours", "access.advanceNotice", "access.system", "dogPolicy.allowed",
                                  "dogPolicy.deposit", "dogPolicy.sizeLimit", "meetingRooms.count",
                                  "meetingRooms.sizes", "rentInclusions.utilities", "rentInclusions.internet",
                                  "rentInclusions.janitorial", "rentInclusions.hvac", "rentInclusions.kitchen",
                                  "amenities.dogFriendly", "availability"])
def test_the_brief_names_every_attribute_in_the_catalogue(name: str) -> None:
    assert ATTRIBUTES[name].name == name


def test_each_attribute_reads_its_value_from_a_demo_space() -> None:
    assert attribute("monthlyRate").read(SPACE) == 14500
    assert attribute("parking.costMonthly").read(SPACE) == 275
    assert attribute("parking.costPerDay").read(SPACE) is None
    assert attribute("dogPolicy.sizeLimit").read(SPACE) == "under 60 lbs"
    assert attribute("meetingRooms.sizes").read(SPACE) == [6, 10]
    assert attribute("rentInclusions.janitorial").read(SPACE) == "nightly"
    assert attribute("availability").read(SPACE) == {"tuesday": ["2pm", "4pm"], "thursday": ["10am", "3pm"]}


def test_any_amenity_flag_is_an_attribute_and_an_unknown_name_is_refused() -> None:
    assert attribute("amenities.showers").read(SPACE) is None
    assert attribute("amenities.kitchen").read(SPACE) is True
    with pytest.raises(KeyError):
        attribute("parking.valet")


def test_money_attributes_carry_their_period() -> None:
    periods = {a.name: a.period for a in ATTRIBUTES.values() if a.value_type == "money"}
    assert periods == {"monthlyRate": "month", "parking.costMonthly": "month", "parking.costPerDay": "day",
                       "access.costPerCard": "card", "access.cost": "once", "dogPolicy.deposit": "once"}
    assert {a.name for a in family("dogs")} == {"dogPolicy.allowed", "dogPolicy.sizeLimit", "dogPolicy.deposit"}
