"""Two claims the fact check used to let through: a key-card lead time said without the word "notice"
("5 business days to get key cards", "takes about a week"), and the meeting rooms' booking tool."""

from __future__ import annotations

from typing import Any

import pytest

from echo_core.generation.checks import check_body
from echo_core.generation.context import ReplyContext, context_from_dict

ORCHARD: dict[str, Any] = {
    "id": 61, "name": "Orchard Lofts", "address": "90 Orchard Ln, San Jose", "status": "touring",
    "monthly_rate": 9900, "amenities": {"afterHours": True, "meetingRooms": True},
    "detailed_amenities": {
        "access": {"system": "Key fob", "costPerCard": 20, "hours": "24/7", "afterHours": True,
                   "process": "Ask the office manager", "advanceNotice": "3 business days"},
        "meetingRooms": {"count": 2, "sizes": [5, 9], "bookingSystem": "Skedda"},
    },
}
PLAIN: dict[str, Any] = {"id": 62, "name": "Plain Yard", "address": "1 Plain St, San Jose", "status": "touring",
                         "monthly_rate": 8000, "detailed_amenities": {"meetingRooms": {"count": 1, "sizes": [6]}}}


def ctx() -> ReplyContext:
    return context_from_dict({"deal": {"seeker_name": "Ana Ruiz", "team_size": 8, "monthly_budget": 10000},
                              "spaces": [ORCHARD, PLAIN], "email": {"id": 3, "body": "Tell me about Orchard Lofts."}})


def verdict(sentence: str) -> str:
    return check_body(f"Hi Ana,\n\n{sentence}\n\nBest,\nSam", ctx()).status


@pytest.mark.parametrize("sentence", [
    "At Orchard Lofts it takes 10 business days to get key fobs.",
    "Getting fobs at Orchard Lofts takes about a week.",
    "Orchard Lofts needs one day to issue access credentials.",
])
def test_a_wrong_lead_time_for_access_fails(sentence: str) -> None:
    assert verdict(sentence) == "failed"


@pytest.mark.parametrize("sentence", [
    "At Orchard Lofts it takes 3 business days to get key fobs.",
    "Key fobs at Orchard Lofts take three business days to set up.",
    "Orchard Lofts has a 3-business-day lead time for fobs.",
])
def test_the_right_lead_time_passes(sentence: str) -> None:
    assert verdict(sentence) != "failed"


def test_a_wrong_booking_tool_fails_and_the_right_one_passes() -> None:
    assert verdict("Orchard Lofts' meeting rooms are booked through Robin.") == "failed"
    assert verdict("Orchard Lofts' meeting rooms are booked through Skedda.") != "failed"


@pytest.mark.parametrize("sentence", [
    "The meeting rooms at Orchard Lofts can be booked in advance.",
    "You could book the meeting room at Orchard Lofts on Friday.",
    "Meeting rooms at Orchard Lofts are booked through the front desk.",
])
def test_booking_words_that_name_no_tool_are_not_claims(sentence: str) -> None:
    assert verdict(sentence) != "failed"


def test_a_booking_tool_the_record_does_not_hold_is_a_warning_not_a_failure() -> None:
    assert verdict("Plain Yard's meeting room is booked via Robin.") == "warnings"
