"""The registry of question kinds: one entry per kind holds its label, recogniser, answerer, coverage test and
the attributes its answers claim; everything else derives from it."""

from __future__ import annotations

from typing import Any

import pytest

from echo_core.generation import coverage
from echo_core.generation.composer import compose
from echo_core.generation.context import ReplyContext, context_from_dict
from echo_core.generation.facts.attributes import DEAL_FIGURES, attribute
from echo_core.generation.kinds import KINDS, KNOWN, LABELS, OTHER, kind
from echo_core.generation.questions import KIND_LABELS, TOPIC_PATTERNS, seeker_facts

SPACE: dict[str, Any] = {
    "id": 7, "name": "Canal House", "address": "12 Canal St, San Francisco", "status": "touring",
    "monthly_rate": 13000, "availability": {"tuesday": ["10am", "3pm"]},
    "amenities": {"dogFriendly": True, "parking": True, "afterHours": True},
    "detailed_amenities": {
        "dogPolicy": {"allowed": True, "sizeLimit": "under 35 lbs", "deposit": 300},
        "parking": {"type": "off-site", "location": "Mission St garage", "costMonthly": 210, "spotsAvailable": 2},
        "access": {"system": "Key fob", "costPerCard": 15, "hours": "24/7", "afterHours": True},
        "meetingRooms": {"count": 2, "sizes": [6, 12], "bookingSystem": "Skedda"},
        "rentInclusions": {"utilities": True, "internet": "2 Gbps fiber", "janitorial": "twice weekly"},
        "capacity": 20, "availableFrom": "February 1, 2027",
    },
}
# One plain ask per kind, and what its answer must contain (from SPACE).
ASKS = {
    "dogs": ("Can we bring our dog?", "dog friendly"),
    "parking": ("Is there parking?", "$210 per month"),
    "access": ("Do we get 24/7 access?", "24/7"),
    "meeting_rooms": ("How many meeting rooms are there?", "2 meeting rooms"),
    "inclusions": ("What does the rent include?", "2 Gbps fiber internet"),
    "price": ("What's the monthly rent?", "$13,000 per month"),
    "total_cost": ("What would we pay in total each month?", "$13,000 per month, and that is the whole monthly figure"),
    "recommend": ("What would you recommend for us?", "Canal House: $13,000 per month, within your $15,000 budget"),
    "tour": ("Can we tour Tuesday at 3pm?", "Tuesday at 3pm is open"),
    "team_fit": ("Will it fit our 12 people?", "up to 20 people"),
    "move_in": ("When could we move in?", "February 1, 2027"),
    "other": ("Is there bike storage?", "I'll confirm with the host whether there is bike storage"),
}


def ctx(body: str) -> ReplyContext:
    return context_from_dict({"deal": {"seeker_name": "Maya Lin", "team_size": 12, "monthly_budget": 15000},
                              "spaces": [SPACE], "email": {"id": 42, "body": body}})


def test_every_kind_has_one_entry_with_a_label_a_recogniser_and_a_coverage_test() -> None:
    assert set(KINDS) == set(ASKS)
    for name, entry in KINDS.items():
        assert entry.name == name and entry.label and LABELS[name] == entry.label
        assert entry.topic.pattern and entry.reply_topic.pattern
        assert (entry.answer is None) == (name == OTHER)  # only `other` is always deferred by name


def test_the_names_other_modules_import_derive_from_the_registry() -> None:
    assert KIND_LABELS == LABELS
    assert set(TOPIC_PATTERNS) == set(KNOWN) and all(TOPIC_PATTERNS[k] is KINDS[k].topic for k in KNOWN)
    with pytest.raises(KeyError):
        kind("sauna")


@pytest.mark.parametrize("name", sorted(KINDS))
def test_each_kinds_attributes_are_in_the_fact_checks_catalogue(name: str) -> None:
    for attr in kind(name).attributes:
        assert attr in DEAL_FIGURES or attribute(attr).name == attr


@pytest.mark.parametrize("name", sorted(ASKS))
def test_each_kind_is_recognised_answered_and_found_again_in_its_answer(name: str) -> None:
    email, fragment = ASKS[name]
    context = ctx(email)
    [ask] = seeker_facts(context).questions
    assert ask.kind == name
    composed = compose(context)
    assert fragment in composed.body
    [result] = coverage.assess(composed.body, context)
    assert result.covered and result.sentence and result.sentence in composed.body
    # ... and a reply without that answer does not count as one
    [bare] = coverage.assess("Hi Maya,\n\nThanks for reaching out!\n\nBest,\nThe Tandem team", context)
    assert not bare.covered


@pytest.mark.parametrize(("name", "facet", "ask", "answer"), [
    ("dogs", "deposit", "Is there a deposit for dogs?", "There's a $300 pet deposit."),
    ("dogs", "size", "Can we bring a 60 lb dog?", "Dogs under 35 lbs are welcome."),
    ("parking", "cost", "What does parking cost?", "Parking is $210 per month."),
    ("parking", "spots", "How many parking spots are left?", "Two parking spots are open."),
    ("access", "cost", "What do the key fobs cost?", "Key fobs are $15 each."),
    ("access", "hours", "Can we work late?", "The building is open 24/7 for tenants."),
    ("meeting_rooms", "size", "How big is the largest meeting room?", "The biggest meeting room seats 12."),
    ("inclusions", "internet", "Is internet included?", "Internet (2 Gbps) is part of the rent."),
    ("inclusions", "janitorial", "How often is it cleaned?", "Cleaning comes twice weekly."),
])
def test_each_facet_is_recognised_in_the_ask_and_in_any_wording_of_its_answer(name: str, facet: str, ask: str,
                                                                             answer: str) -> None:
    context = ctx(ask)
    [found] = seeker_facts(context).questions
    assert found.kind == name and facet in found.facets
    assert coverage.assess(answer, context)[0].covered
    assert not coverage.assess("Canal House is a lovely space.", context)[0].covered
