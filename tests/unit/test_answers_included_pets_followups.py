"""Answers a broker would otherwise have to fix by hand: 'is parking included?' gets a plain no when the record
charges for it; a question about cats is not answered with the dog policy alone; a follow-up ("…and can they be
booked by the hour?") is not a second comparison; a meeting-room deferral still reads as a meeting-room answer."""

from __future__ import annotations

from typing import Any

import pytest

from echo_core.generation import coverage
from echo_core.generation.checks import check_body
from echo_core.generation.composer import compose
from echo_core.generation.context import ReplyContext, context_from_dict

ELM: dict[str, Any] = {
    "id": 51, "name": "Elm Yard", "address": "8 Elm St, Berkeley", "status": "touring", "monthly_rate": 7600,
    "amenities": {"dogFriendly": True, "parking": True},
    "detailed_amenities": {
        "dogPolicy": {"allowed": True, "sizeLimit": "under 50 lbs", "deposit": 200},
        "parking": {"type": "on-site", "costMonthly": 190, "spotsAvailable": 4},
        "meetingRooms": {"count": 3, "sizes": [4, 8, 16], "bookingSystem": "Nexudus"},
        "rentInclusions": {"utilities": True, "internet": "1 Gbps fiber"},
    },
}
ASH: dict[str, Any] = {
    "id": 52, "name": "Ash Works", "address": "40 Ash Ave, Berkeley", "status": "touring", "monthly_rate": 6900,
    "amenities": {"parking": True},
    "detailed_amenities": {"parking": {"type": "lot", "costMonthly": 0, "spotsAvailable": 10},
                           "meetingRooms": {"count": 1, "sizes": [6]}},
}


def ctx(body: str, *spaces: dict[str, Any]) -> ReplyContext:
    return context_from_dict({"deal": {"seeker_name": "Lena Ortiz", "team_size": 7, "monthly_budget": 9000},
                              "spaces": list(spaces or [ELM]), "email": {"id": 5, "body": body}})


@pytest.mark.parametrize("email", ["Does Elm Yard's rent include a parking spot?",
                                   "Is a parking space part of the rent, or do we pay on top?"])
def test_asking_whether_parking_is_included_gets_a_plain_no_with_the_charge(email: str) -> None:
    context = ctx(email)
    composed = compose(context)
    assert [q.kind for q in composed.asks] == ["parking"]
    assert "Parking is charged separately: Elm Yard has on-site parking, at $190 per month per spot." in composed.body
    assert "confirm with the host whether parking" not in composed.body
    assert check_body(composed.body, context).status == "passed"


def test_asking_whether_the_rent_covers_an_item_and_parking_answers_both() -> None:
    composed = compose(ctx("Does the rent cover internet as well as parking?"))
    assert sorted(q.kind for q in composed.asks) == ["inclusions", "parking"]
    assert "1 Gbps fiber internet" in composed.body and "$190 per month" in composed.body


@pytest.mark.parametrize(("email", "animals"), [("We have an office cat. Is she allowed?", "cats"),
                                                ("Are pets OK? We have two dogs and a parrot.", "parrots"),
                                                ("Do you allow kittens?", "kittens")])
def test_a_question_about_another_animal_defers_that_animal_by_name(email: str, animals: str) -> None:
    context = ctx(email)
    composed = compose(context)
    assert "Elm Yard is dog friendly" in composed.body
    assert f"whether {animals} are welcome at Elm Yard" in composed.body
    assert composed.deferred == 1


def test_an_animal_no_kind_knows_is_deferred_in_the_seekers_words() -> None:
    composed = compose(ctx("Can I bring my rabbit to work?"))
    assert "rabbit" in composed.body and "confirm with the host" in composed.body


def test_a_dog_question_gets_no_deferral_about_other_animals() -> None:
    composed = compose(ctx("Can we bring our labradoodle?"))
    assert "welcome at Elm Yard" not in composed.body and composed.deferred == 0


def test_a_follow_up_after_a_comparison_is_answered_once_not_compared_twice() -> None:
    context = ctx("Does Elm Yard have more meeting rooms than Ash Works, and can we book them for a whole day?",
                  ELM, ASH)
    composed = compose(context)
    assert [q.comparison for q in composed.asks] == [True, False]
    assert composed.body.count("more meeting rooms than") == 1
    assert "single meeting-room booking can run at Ash Works" in composed.body
    assert all(r.covered for r in coverage.assess(composed.body, context, asks=list(composed.asks)))
