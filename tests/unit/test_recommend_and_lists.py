"""A request for a recommendation gets each space against the seeker's own needs and an honest verdict; a list of
bare topics under a header ("A few things we need:") is a list of asks."""

from __future__ import annotations

from typing import Any

from echo_core.generation import coverage
from echo_core.generation.checks import check_body
from echo_core.generation.composer import compose
from echo_core.generation.context import ReplyContext, context_from_dict


def _space(space_id: int, name: str, rate: int, **detailed: Any) -> dict[str, Any]:
    return {"id": space_id, "name": name, "address": f"{space_id} Bay St, Oakland", "status": "touring",
            "monthly_rate": rate, "amenities": {}, "detailed_amenities": detailed}


CEDAR = _space(71, "Cedar Court", 11200, dogPolicy={"allowed": True}, capacity=14,
               parking={"type": "lot", "costMonthly": 90, "spotsAvailable": 3},
               rentInclusions={"utilities": True, "janitorial": "weekly"})
BIRCH = _space(72, "Birch Works", 9400, dogPolicy={"allowed": False}, capacity=30)
SPRUCE = _space(73, "Spruce House", 12900, dogPolicy={"allowed": True}, capacity=10)


def ctx(body: str, *spaces: dict[str, Any], requirements: dict[str, Any] | None = None) -> ReplyContext:
    return context_from_dict({"deal": {"seeker_name": "Omar Haddad", "team_size": 12, "monthly_budget": 11500,
                                       "requirements": requirements or {"dogFriendly": True}},
                              "spaces": list(spaces), "email": {"id": 9, "body": body}})


def test_a_recommendation_lays_out_each_space_against_the_needs_and_names_the_one_that_meets_them() -> None:
    context = ctx("Cedar Court or Birch Works: what would you suggest for our team?", CEDAR, BIRCH)
    composed = compose(context)
    assert [q.kind for q in composed.asks] == ["recommend"]
    assert "Cedar Court: $11,200 per month, within your $11,500 budget; holds up to 14 people; dog friendly." \
        in composed.body
    assert "Birch Works: $9,400 per month, within your $11,500 budget; holds up to 30 people; no dogs." \
        in composed.body
    assert "only Cedar Court meets every need" in composed.body
    assert check_body(composed.body, context).status == "passed"
    assert all(r.covered for r in coverage.assess(composed.body, context, asks=list(composed.asks)))


def test_when_no_space_meets_every_need_the_reply_says_so_instead_of_picking() -> None:
    body = compose(ctx("Which is the better option for us, Birch Works or Spruce House?", BIRCH, SPRUCE)).body
    assert "neither meets every need you've listed" in body
    assert "$1,400 over your $11,500 budget" in body and "too few for 12" in body


def test_a_suggestion_about_a_tour_time_stays_a_tour_ask() -> None:
    composed = compose(ctx("Could you suggest a good time to come see Cedar Court?",
                           dict(CEDAR, availability={"monday": ["10am"]})))
    assert [q.kind for q in composed.asks] == ["tour"]


def test_a_header_line_turns_the_bare_topics_listed_under_it_into_asks() -> None:
    email = ("Hi,\n\nWe're close to deciding on Cedar Court. Just a couple of things we need from you:\n\n"
             "- rent, and what it covers\n- parking for 2 cars\n- the dog policy\n\nThanks,\nOmar")
    composed = compose(ctx(email, CEDAR))
    assert [q.kind for q in composed.asks] == ["price", "inclusions", "parking", "dogs"]
    assert "$11,200 per month" in composed.body and "includes utilities and weekly cleaning" in composed.body
    assert "$90 per month" in composed.body and "dog friendly" in composed.body


def test_a_plain_list_without_a_header_that_asks_is_not_read_as_questions() -> None:
    email = "Hi,\n\nAttendees for Tuesday:\n- Omar\n- Lina\n\nSee you then."
    assert not compose(ctx(email, CEDAR)).asks
