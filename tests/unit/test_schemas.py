"""The seed's JSONB shapes: good values pass, wrong shapes fail with one readable line."""

from __future__ import annotations

import pytest

from echo_core.errors import InvalidInput
from echo_core.schemas import (
    Amenities,
    Availability,
    DetailedAmenities,
    DraftVersion,
    Reasoning,
    Requirements,
    Validation,
    parse,
)


def test_availability_normalises_weekdays_and_times() -> None:
    value = parse(Availability, {"Tuesday": ["2pm", "4 PM"], "wednesday": ["10:30am"]}, what="availability")
    assert value.dump() == {"tuesday": ["2pm", "4pm"], "wednesday": ["10:30am"]}


@pytest.mark.parametrize(
    ("model", "value", "fragment"),
    [
        (Availability, {"someday": ["2pm"]}, "not a weekday"),
        (Availability, {"monday": ["25pm"]}, "not a time"),
        (Availability, {"monday": "2pm"}, "valid list"),
        (Amenities, {"parking": "yes please"}, "boolean"),
        (DetailedAmenities, {"dogPolicy": {"allowed": "maybe"}}, "dogPolicy.allowed"),
        (DetailedAmenities, {"parking": {"costMonthly": -5}}, "parking.costMonthly"),
        (DetailedAmenities, {"meetingRooms": {"sizes": [4]}}, "meetingRooms.count"),
        (Requirements, {"dogFriendly": "sometimes"}, "dogFriendly"),
        (Validation, {"status": "great", "issues": [], "checkedAt": "2026-01-01T00:00:00Z"}, "status"),
        (DraftVersion, {"version": 0, "body": "x", "confidence": 140, "createdAt": "2026-01-01T00:00:00Z"},
         "confidence"),
    ],
)
def test_a_wrong_shape_is_one_readable_line(model: type, value: object, fragment: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse(model, value, what="value")
    message = str(caught.value)
    assert fragment in message and "\n" not in message


def test_shapes_dump_in_the_seeds_camel_case() -> None:
    reasoning = parse(
        Reasoning,
        {"questionsAddressed": [{"question": "Dogs?", "answer": "Yes", "sourceEmailId": 3}],
         "dataUsed": [{"dataPoint": "dog policy", "sourceType": "space", "sourceId": 1,
                       "fieldPath": "detailed_amenities.dogPolicy.allowed", "value": True}]},
        what="reasoning",
    ).dump()
    assert reasoning["questionsAddressed"][0]["sourceEmailId"] == 3
    assert reasoning["dataUsed"][0]["fieldPath"] == "detailed_amenities.dogPolicy.allowed"
    assert reasoning["schedulingLogic"] == [] and reasoning["needsHumanReview"] == []


def test_requirements_keep_unknown_flags_because_the_seed_calls_them_flexible() -> None:
    assert parse(Requirements, {"dogFriendly": True, "bikeStorage": True}, what="r").dump() == {
        "dogFriendly": True, "bikeStorage": True}
