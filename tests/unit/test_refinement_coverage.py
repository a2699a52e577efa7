"""Refinements change the wording, never the coverage: every price, deposit and caveat that answered an ask stays."""

from __future__ import annotations

from typing import Any

import pytest

from echo_core.generation import coverage
from echo_core.generation.checks import check_body
from echo_core.generation.composer import compose
from echo_core.generation.context import ReplyContext, context_from_dict
from tests.unit.test_asks import OTHER
from tests.unit.test_kinds_registry import SPACE

INSTRUCTIONS = ["make it shorter", "make it much shorter", "more formal please", "drop the pleasantries",
                "make it casual", "shorter and more formal", "cut the fluff", "longer, with more detail"]
EMAILS = [
    "Can I bring my dog, and is there a deposit for dogs?",
    "What's the monthly rent at Canal House, and does it include utilities and internet?",
    "What's included in the rent? Is janitorial included?",
    "Is there parking, what does it cost, and how many spots are left? Do the fobs cost anything?",
    "We're comparing Canal House and Fern Yard. Which one has cheaper parking? Which has more meeting rooms?",
    "How many meeting rooms are there, and can we book one for a full day? Can we tour Tuesday at 2pm?",
    "Is there bike storage? Who handles our mail? And when could we move in?",
    "hey whats the rent n is wifi included, also can 25 ppl fit",
]


def ctx(body: str, **deal: Any) -> ReplyContext:
    return context_from_dict({"deal": {"seeker_name": "Maya Lin", "team_size": 12, "monthly_budget": 15000} | deal,
                              "spaces": [SPACE, OTHER], "email": {"id": 42, "body": body}})


@pytest.mark.parametrize("instruction", INSTRUCTIONS)
@pytest.mark.parametrize("email", EMAILS)
def test_every_refinement_keeps_every_ask_answered_or_deferred(email: str, instruction: str) -> None:
    context = ctx(email)
    assert coverage.check(compose(context).body, context).status == "complete"
    refined = compose(context, instruction=instruction).body
    verdict = check_body(refined, context)
    assert verdict.coverage is not None and verdict.coverage.unanswered == [], refined
    assert verdict.status != "failed", verdict.issues


def test_much_shorter_keeps_the_deposit_the_price_and_the_caveats() -> None:
    context = ctx("Can I bring my dog? Is there a deposit for dogs? What's the rent? Is there parking, and how many "
                  "spots are left?", monthly_budget=12000)
    full, short = compose(context).body, compose(context, instruction="make it much shorter").body
    for fact in ("$300 pet deposit", "$13,000 per month", "$1,000 above your $12,000 budget", "$210 per month",
                 "2 spots are available"):
        assert fact in full and fact in short, fact
    assert len(short) < len(full)
    assert "Thanks for your email" not in short and "Let me know if you have any other questions" not in short


def test_shorter_drops_only_what_no_ask_needed() -> None:
    context = ctx("Can I bring my dog?")  # the deposit was not asked: a shorter reply may leave it out
    short = compose(context, instruction="shorter").body
    assert "dog friendly" in short and coverage.check(short, context).status == "complete"


def test_dropping_the_pleasantries_keeps_every_answer_whole() -> None:
    context = ctx("Can I bring my dog? Is there parking?")
    full = compose(context).body
    plain = compose(context, instruction="drop the pleasantries").body
    for paragraph in full.split("\n\n")[2:-2]:  # every answer paragraph, word for word
        assert paragraph in plain
    assert "Thanks for your email" not in plain and "Let me know if you have any other questions" not in plain


def test_removing_a_topic_is_the_brokers_choice_and_the_coverage_says_so() -> None:
    context = ctx("What's the rent? Is there parking?")
    verdict = check_body(compose(context, instruction="don't mention the price yet").body, context)
    assert verdict.status == "warnings" and verdict.coverage is not None
    assert verdict.coverage.unanswered == ["What's the rent?"]


def test_a_shorter_reply_keeps_an_unasked_over_budget_warning() -> None:
    context = ctx("Is there parking at Canal House?", monthly_budget=12000)
    for instruction in (None, "make it much shorter", "drop the pleasantries", "more formal"):
        body = compose(context, instruction=instruction).body
        assert "$1,000 above your $12,000 budget" in body, (instruction, body)
