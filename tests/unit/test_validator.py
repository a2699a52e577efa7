"""The deterministic fact check: wrong → failed, unconfirmable or unanswered → warnings, else passed."""

from __future__ import annotations

from typing import Any

import pytest

from echo_core.generation.composer import compose
from echo_core.generation.context import ReplyContext, context_from_dict
from echo_core.generation.validator import validate
from tests.unit.test_composer_answers import SPACE

OTHER: dict[str, Any] = {
    "id": 8, "name": "Fern Yard", "address": "77 Fern Ave, San Francisco", "status": "shown", "monthly_rate": 9000,
    "availability": {"monday": ["11am"]}, "amenities": {},
    "detailed_amenities": {"dogPolicy": {"allowed": False}, "parking": {"type": "street-only"},
                           "access": {"afterHours": False, "hours": "9am-5pm"}, "meetingRooms": {"count": 0},
                           "rentInclusions": {"utilities": False, "internet": "bring your own"}},
}


def ctx(email: str = "Thanks!", spaces: list[dict[str, Any]] | None = None) -> ReplyContext:
    return context_from_dict({"deal": {"seeker_name": "Maya Lin", "monthly_budget": 15000},
                              "spaces": spaces or [SPACE, OTHER], "email": {"body": email}})


@pytest.mark.parametrize("body", [
    "Canal House is dog friendly for dogs under 35 lbs, with a $300 pet deposit.",
    "Parking is off-site at the Mission St garage for $210 per month, and 2 spots are available.",
    "Canal House has 24/7 access; key fobs are $15 each.",
    "Canal House has 2 meeting rooms.",
    "The rent includes utilities, 2 Gbps fiber internet and a kitchenette.",
    "Canal House is $13,000 per month, $2,000 under your $15,000 budget.",
    "Tuesday at 3pm is open for a tour of Canal House.",
    "Fern Yard doesn't allow dogs and only has street parking.",
    "Fern Yard doesn't offer after-hours access, and internet is not included there.",
    "Fern Yard doesn't have a dedicated meeting room. We could tour Fern Yard Monday at 11am.",
])
def test_true_claims_pass(body: str) -> None:
    result = validate(body, ctx())
    assert result.status == "passed", result.issues


@pytest.mark.parametrize(("body", "mentions"), [
    ("Canal House has a $500 pet deposit.", "$500"),
    ("Parking at Canal House is $250 per month.", "$250"),
    ("Key fobs at Canal House are $20 each.", "$20"),
    ("Canal House is $12,000 per month.", "$12,000"),
    ("Canal House has 4 meeting rooms.", "4 meeting room"),
    ("Canal House has 5 parking spots available right now.", "5 parking spots"),
    ("We can tour Canal House on Wednesday at 10am.", "Wednesday"),
    ("Tuesday at 2pm works for a tour of Canal House.", "Tuesday at 2pm"),
    ("Fern Yard is dog friendly!", "dogs are allowed"),
    ("Fern Yard has 24/7 access.", "after-hours"),
    ("Utilities are included in the rent at Fern Yard.", "utilities"),
    ("Fern Yard has a meeting room you can book.", "meeting room"),
    ("Canal House doesn't allow dogs.", "not allowed"),
    ("Parking is included in the rent at Canal House.", "included"),
    ("Canal House's parking is on-site in the building.", "in the building"),
    ("We can offer you a 15% discount on Canal House.", "discount"),
    ("Everything at Canal House costs $777.", "$777"),
])
def test_wrong_claims_fail(body: str, mentions: str) -> None:
    result = validate(body, ctx())
    assert result.status == "failed"
    assert any(mentions.lower() in issue.lower() for issue in result.issues), result.issues


def test_a_claim_the_data_cannot_confirm_warns() -> None:
    bare = SPACE | {"detailed_amenities": {}, "amenities": {}}
    result = validate("Canal House is dog friendly and has 24/7 access.", ctx(spaces=[bare]))
    assert result.status == "warnings" and len(result.issues) == 2


@pytest.mark.parametrize(("email", "kind"), [
    ("Is there parking?", "parking"), ("Can I bring my dog?", "dogs"), ("Do we get 24/7 access?", "after-hours"),
    ("do you have a conference room?", "meeting rooms"), ("Is internet included?", "includes"),
    ("What's the rent?", "price"), ("Can we tour Tuesday?", "tour"), ("When can we move in?", "move-in"),
])
def test_an_unanswered_question_warns(email: str, kind: str) -> None:
    result = validate("Hi Maya, thanks for reaching out! Best, The Tandem team", ctx(email))
    assert result.status == "warnings"
    assert any(kind in issue for issue in result.issues), result.issues


def test_an_email_address_that_is_not_the_deals_warns() -> None:
    result = validate("I've forwarded this to ceo@rival.example.com.", ctx())
    assert result.status == "warnings"


def test_a_named_refused_slot_is_not_a_wrong_slot() -> None:
    body = "Tuesday at 1pm isn't open, but the nearest free ones are Tuesday at 10am or Tuesday at 3pm for a tour."
    assert validate(body, ctx("Can we tour Tuesday at 1pm?")).status == "passed"


def test_a_hedged_statement_claims_nothing() -> None:
    bare = SPACE | {"detailed_amenities": {}, "amenities": {}}
    assert validate("I'll confirm with the host whether dogs are allowed.", ctx(spaces=[bare])).status == "passed"


def test_the_composer_output_passes_its_own_check_for_every_kind() -> None:
    email = ("Can I bring my dog? What does parking cost? 24/7 access? Conference room? What's included in the rent? "
             "How much is it per month? Could we swing by Tue around 3? When can we move in?")
    context = ctx(email)
    result = validate(compose(context).body, context)
    assert result.status == "passed", result.issues


def test_the_shape_is_the_seeds() -> None:
    dumped = validate("Hi", ctx()).dump()
    assert set(dumped) == {"status", "issues", "checkedAt"}
