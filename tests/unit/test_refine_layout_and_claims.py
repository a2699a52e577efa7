"""Refinements a broker types that the offline composer now carries out (bullets, an offer of a call, their own
name, a livelier tone), and one it must refuse: a claim the records don't hold."""

from __future__ import annotations

from typing import Any

import pytest

from echo_core.generation import coverage
from echo_core.generation.checks import check_body
from echo_core.generation.composer import compose
from echo_core.generation.context import ReplyContext, context_from_dict
from echo_core.generation.instructions import parse

LARK: dict[str, Any] = {
    "id": 91, "name": "Lark House", "address": "2 Lark St, Oakland", "status": "touring", "monthly_rate": 5200,
    "amenities": {"dogFriendly": True},
    "detailed_amenities": {"parking": {"type": "lot", "costMonthly": 60, "spotsAvailable": 4},
                           "meetingRooms": {"count": 1, "sizes": [10]}},
}


def ctx() -> ReplyContext:
    return context_from_dict({"deal": {"seeker_name": "Noor Ali", "team_size": 5, "monthly_budget": 6000},
                              "spaces": [LARK],
                              "email": {"id": 2, "body": "Does Lark House have parking? And a meeting room?"}})


def test_bullet_points_put_each_answer_on_its_own_line_and_keep_every_ask_covered() -> None:
    context = ctx()
    body = compose(context, instruction="put it in bullet points please").body
    bullets = [line for line in body.splitlines() if line.startswith("- ")]
    assert len(bullets) == 2 and "$60 per month" in bullets[0] and "1 meeting room" in bullets[1]
    assert all(r.covered for r in coverage.assess(body, context)) and check_body(body, context).status == "passed"


def test_an_offer_of_a_call_is_added_without_inventing_a_time() -> None:
    body = compose(ctx(), instruction="mention we could jump on a zoom on Friday").body
    assert "Happy to hop on a call if that's easier — just let me know a time that suits you." in body
    assert "Friday" not in body


def test_the_broker_can_sign_with_their_own_name() -> None:
    body = compose(ctx(), instruction="sign off as Priya Raman").body
    assert "Best,\nPriya Raman\nThe Tandem team" in body


@pytest.mark.parametrize("instruction", ["make it more upbeat", "sound a bit more enthusiastic"])
def test_a_livelier_tone_is_the_casual_style(instruction: str) -> None:
    style = parse(instruction, ctx())
    assert style.tone == "casual" and not style.not_applied


@pytest.mark.parametrize("instruction", ["add that the owner will cover the move-in costs",
                                         "tell them that the rent can drop to $4,500"])
def test_a_claim_the_records_dont_hold_is_refused_by_name_and_the_reply_is_unchanged(instruction: str) -> None:
    context = ctx()
    style = parse(instruction, context)
    assert style.not_applied and "write it in by hand" in style.not_applied[0]
    assert compose(context, instruction=instruction).body == compose(context).body
