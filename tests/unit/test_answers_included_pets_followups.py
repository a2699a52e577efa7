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


ROWAN: dict[str, Any] = {
    "id": 53, "name": "Rowan Hall", "address": "3 Rowan Ct, Oakland", "status": "touring", "monthly_rate": 8200,
    "amenities": {"dogFriendly": True, "afterHours": False},
    "detailed_amenities": {
        "dogPolicy": {"allowed": True, "sizeLimit": "under 30 lbs", "deposit": 0},
        "access": {"system": "Front desk", "hours": "7am-8pm weekdays", "afterHours": False},
        "meetingRooms": {"count": 2, "sizes": [6, 10]},
    },
}


@pytest.mark.parametrize("email", ["When does the building open in the morning?",
                                   "How late is the office open? What time does it lock up?"])
def test_opening_times_are_answered_from_the_access_hours_not_deferred(email: str) -> None:
    context = ctx(email, ROWAN)
    composed = compose(context)
    assert {q.kind for q in composed.asks} == {"access"}
    assert "7am-8pm weekdays" in composed.body and composed.deferred == 0


def test_a_question_the_record_cannot_answer_is_deferred_as_a_grammatical_indirect_question() -> None:
    composed = compose(ctx("What time does the mailroom open and close?", ROWAN))
    assert "what time the mailroom opens and closes" in composed.body
    odd = compose(ctx("What time does the mail carrier arrive and leave?", ROWAN)).body
    assert 'On your question "What time does the mail carrier arrive and leave?"' in odd  # no guessed grammar


def test_an_item_asked_about_a_space_with_no_inclusions_on_record_is_deferred_by_name() -> None:
    assert "I'll confirm with the host about cleaning at Rowan Hall." in compose(
        ctx("Is cleaning part of the deal at Rowan Hall?", ROWAN)).body


def test_meeting_room_equipment_is_deferred_by_name_and_a_reply_without_it_is_incomplete() -> None:
    context = ctx("Do the meeting rooms at Rowan Hall have a screen for video calls?", ROWAN)
    composed = compose(context)
    [ask] = composed.asks
    assert "equipment" in ask.facets
    assert "what AV equipment" in composed.body and composed.deferred == 1
    assert not coverage.assess("Rowan Hall has 2 meeting rooms (seating 6 and 10).", context)[0].covered


@pytest.mark.parametrize(("email", "over"), [
    ("Is there a weight limit for dogs? Ours is 42 lbs.", "a 42 lb dog would be over the limit"),
    ("Could we bring a dog to Rowan Hall? He's about 80 pounds.", "an 80 lb dog would be over the limit"),
])
def test_a_dogs_weight_in_the_next_sentence_is_checked_against_the_limit(email: str, over: str) -> None:
    assert over in compose(ctx(email, ROWAN)).body


def test_a_weight_that_is_not_the_dogs_is_not_read_as_one() -> None:
    body = compose(ctx("Are dogs OK? Our standing desks weigh 90 lbs each, so freight access matters.", ROWAN)).body
    assert "over the limit" not in body


def test_a_count_stated_before_an_enough_question_is_answered_against_the_free_spots() -> None:
    body = compose(ctx("Our team drives a lot: we'd need six parking spaces. Would Elm Yard have enough?")).body
    assert "4 spots are available right now. That's fewer than the 6 you need" in body


def test_an_ask_no_kind_knows_about_two_spaces_is_deferred_once_and_counts_as_covered() -> None:
    context = ctx("Are Elm Yard and Ash Works both near a bike lane?", ELM, ASH)
    composed = compose(context)
    assert composed.body.count("I'll confirm with the host") == 1
    assert all(r.covered for r in coverage.assess(composed.body, context, asks=list(composed.asks)))


def test_a_day_given_as_a_preference_after_a_tour_ask_picks_that_days_slots() -> None:
    space = dict(ELM, availability={"monday": ["9am"], "friday": ["10am", "4pm"]})
    body = compose(ctx("Could we come by for a viewing? Friday is best for us.", space)).body
    assert "On Friday, Elm Yard has tour slots at 10am or 4pm" in body
