"""The total monthly cost kind ("all-in, with 3 parking spots?") and the rent's negotiation facet.

A seeker asking for one figure gets one figure: the rent plus the spots they count, with what is not
in it (day-rate parking, key cards, a pet deposit) named beside it, a caveat when they want more spots
than are free, and a fact check that accepts the figure and catches a wrong one.
"""

from __future__ import annotations

from typing import Any

import pytest

from echo_core.generation import coverage
from echo_core.generation.checks import check_body
from echo_core.generation.composer import compose
from echo_core.generation.context import ReplyContext, context_from_dict
from echo_core.generation.counts import spots_asked
from echo_core.generation.questions import seeker_facts


def _space(space_id: int, name: str, rate: int, parking: dict[str, Any] | None) -> dict[str, Any]:
    detailed: dict[str, Any] = {
        "access": {"system": "Key fob", "costPerCard": 40, "hours": "24/7", "afterHours": True},
        "dogPolicy": {"allowed": True, "sizeLimit": "any size", "deposit": 600},
        "rentInclusions": {"utilities": True, "internet": "300 Mbps", "janitorial": "daily"},
    }
    if parking is not None:
        detailed["parking"] = parking
    return {"id": space_id, "name": name, "address": f"{space_id} Harbor Way, Oakland", "status": "touring",
            "monthly_rate": rate, "amenities": {"parking": parking is not None}, "detailed_amenities": detailed}


HARBOR = _space(31, "Harbor Point", 9800, {"type": "building-garage", "costMonthly": 240, "spotsAvailable": 1})
QUAY = _space(32, "Quay Studios", 8700, {"type": "off-site", "location": "Pier lot", "costPerDay": 12,
                                          "spotsAvailable": 9})
FOUNDRY = _space(33, "Foundry Row", 9100, {"type": "on-site", "costMonthly": 150, "spotsAvailable": 5})


def ctx(body: str, *spaces: dict[str, Any], budget: int = 9500) -> ReplyContext:
    return context_from_dict({"deal": {"seeker_name": "Ravi Patel", "team_size": 9, "monthly_budget": budget},
                              "spaces": list(spaces or [HARBOR]), "email": {"id": 77, "body": body}})


@pytest.mark.parametrize(("text", "count"), [
    ("we'd need four parking spaces", 4), ("parking for our 2 cars", 2), ("a couple of spots", 2),
    ("one reserved spot", 1), ("what about parking?", None), ("12 people", None),
])
def test_the_spot_count_is_read_from_the_seekers_words(text: str, count: int | None) -> None:
    assert spots_asked(text) == count


@pytest.mark.parametrize("email", [
    "Roughly what's our total monthly spend at Harbor Point if we take 2 garage spots?",
    "What does Harbor Point come to altogether per month, with parking for two cars?",
    "Can you give me the all-in price for Harbor Point incl. two parking spaces?",
])
def test_a_total_ask_gets_the_rent_plus_the_counted_spots_as_one_checked_figure(email: str) -> None:
    context = ctx(email)
    composed = compose(context)
    assert "total_cost" in [q.kind for q in composed.asks]
    assert "$10,280 per month" in composed.body  # 9,800 + 2 × 240
    assert "1 spot is available right now. That's fewer than the 2 you need" in composed.body
    assert "$780 above your $9,500 budget" in composed.body
    assert check_body(composed.body, context).status == "passed"
    assert all(r.covered for r in coverage.assess(composed.body, context))


def test_day_rate_parking_is_named_beside_the_rent_never_folded_into_a_made_up_monthly_figure() -> None:
    context = ctx("What's the total monthly cost at Quay Studios with parking for 3 cars?", QUAY)
    body = compose(context).body
    assert "The rent at Quay Studios is $8,700 per month." in body
    assert "charged by the day ($12 per car per day)" in body
    assert "whole monthly figure" not in body
    assert check_body(body, context).status == "passed"


def test_a_total_ask_names_one_off_costs_outside_the_monthly_figure() -> None:
    context = ctx("We have a greyhound. What's the total monthly cost at Foundry Row, key fobs included?", FOUNDRY)
    body = compose(context).body
    assert "Not in that monthly figure:" in body
    assert "key cards are $40 each" in body and "$600 pet deposit" in body
    assert check_body(body, context).status == "passed"


def test_comparing_totals_ranks_the_spaces_by_their_monthly_figure() -> None:
    context = ctx("Harbor Point or Foundry Row: which one is cheaper all in, with 1 parking spot?", HARBOR, FOUNDRY)
    body = compose(context).body
    assert "All in per month, Foundry Row is the less expensive (Foundry Row $9,250, Harbor Point $10,040)." in body
    assert check_body(body, context).status == "passed"


def test_a_wrong_total_is_caught_by_the_fact_check() -> None:
    context = ctx("What's the all-in monthly cost at Harbor Point with two spots?")
    right = compose(context).body
    wrong = right.replace("$10,280 per month", "$10,180 per month")
    assert wrong != right
    assert check_body(wrong, context).status == "failed"


def test_a_drop_of_the_total_is_caught_by_the_coverage_check() -> None:
    context = ctx("How much would Harbor Point be in total per month with 2 parking spots?")
    body = compose(context).body
    kept = "\n".join(line for line in body.splitlines() if "All in" not in line)
    results = {r.ask.kind: r.covered for r in coverage.assess(kept, context)}
    assert results["total_cost"] is False


@pytest.mark.parametrize("email", ["Is there any flexibility on the rent at Harbor Point?",
                                   "Would the landlord consider a lower rent if we sign for three years?"])
def test_asking_whether_the_rent_is_negotiable_gets_the_rent_and_an_honest_deferral(email: str) -> None:
    context = ctx(email)
    composed = compose(context)
    [ask] = [q for q in composed.asks if q.kind == "price"]
    assert "negotiable" in ask.facets
    assert "$9,800 per month" in composed.body and "room to negotiate" in composed.body
    assert check_body(composed.body, context).status == "passed"
    without = composed.body.replace("I'll confirm with the host whether there's any room to negotiate on the rent "
                                    "at Harbor Point.", "")
    assert not next(r for r in coverage.assess(without, context) if r.ask.kind == "price").covered


@pytest.mark.parametrize("email", ["Is it all-in?", "What's the rent and what does parking cost?",
                                   "Could you break down the monthly cost: rent plus parking for 2 cars?"])
def test_asks_that_are_not_for_one_total_stay_with_their_own_kinds(email: str) -> None:
    assert "total_cost" not in [q.kind for q in seeker_facts(ctx(email)).questions]
