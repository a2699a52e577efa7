"""The coverage check reads any text (broker edits, model output) for the asks it still answers or defers,
and checks.check_body merges it with the fact check in the seed's validation shape."""

from __future__ import annotations

from typing import Any

import pytest

from echo_core.generation import coverage
from echo_core.generation.checks import check_body
from echo_core.generation.composer import compose
from echo_core.generation.context import ReplyContext, context_from_dict
from tests.unit.test_asks import OTHER
from tests.unit.test_kinds_registry import SPACE

SIGN = "\n\nBest,\nThe Tandem team\nagent@tandem.space"


def ctx(body: str, *, two: bool = False) -> ReplyContext:
    return context_from_dict({"deal": {"seeker_name": "Maya Lin", "monthly_budget": 15000},
                              "spaces": [SPACE, OTHER] if two else [SPACE], "email": {"id": 42, "body": body}})


def unanswered(reply: str, email: str, **kw: Any) -> list[str]:
    return coverage.check(reply, ctx(email, **kw)).unanswered


@pytest.mark.parametrize(("email", "reply"), [
    ("Is there a deposit for dogs?", "Hi Maya, yes — dogs are welcome, with a one-time $300 deposit."),
    ("Is there a deposit for dogs?", "Dogs are fine there. I'll check with the host on the deposit."),
    ("What does parking cost?", "The garage on Mission St charges $210 a month."),
    ("What does parking cost?", "Parking is free for tenants."),  # wrong, but an answer: the fact check's job
    ("What's the monthly rent?", "It runs $13k a month."),
    ("Is internet included?", "Yes: 2 Gbps fiber comes with the rent."),
    ("Can we tour Tuesday at 3pm?", "Tuesday at 3 works — see you then!"),
    ("Is there bike storage?", "There is a locked bike room in the basement."),
    ("Is there bike storage?", "Let me find out about bike storage for you."),
])
def test_an_answer_in_any_wording_counts(email: str, reply: str) -> None:
    assert unanswered(reply + SIGN, email) == []


@pytest.mark.parametrize(("email", "reply"), [
    ("Is there a deposit for dogs?", "Canal House is dog friendly."),  # the deposit part is gone
    ("What does parking cost?", "Canal House has off-site parking."),
    ("What's the monthly rent?", "Parking is $210 per month and the deposit for dogs is $300."),
    ("Is there bike storage?", "Canal House has a lovely kitchen."),
    ("Is internet included?", "The rent includes utilities."),
    ("Can we tour Tuesday at 3pm?", "Is there anything else you need?"),
])
def test_a_text_that_no_longer_answers_the_ask_names_it(email: str, reply: str) -> None:
    assert unanswered(reply + SIGN, email) == [email]


def test_greetings_sign_offs_and_quoted_text_answer_nothing() -> None:
    reply = ("Hi Maya, thanks for asking about parking!\n\nLet me know if you have questions about parking.\n\n"
             "Best,\nThe Tandem team\n\n> Parking is $210 per month.")
    assert unanswered(reply, "What does parking cost?") == ["What does parking cost?"]


def test_a_compound_ask_needs_every_part() -> None:
    email = "What's the monthly rent at Canal House, and does it include utilities and internet?"
    full = "Canal House is $13,000 per month. The rent includes utilities and 2 Gbps fiber internet."
    assert unanswered(full, email) == []
    assert unanswered("The rent includes utilities and 2 Gbps fiber internet.", email) == [
        "What's the monthly rent at Canal House"]
    assert unanswered("Canal House is $13,000 per month. The rent includes utilities.", email) == [
        "Does it include utilities and internet?"]


def test_a_comparison_needs_each_side_and_the_comparison_itself() -> None:
    email = "We're comparing Canal House and Fern Yard. Which one has cheaper parking?"
    sides = "Canal House's parking is $210 per month. Fern Yard's parking is $210 per month."
    assert unanswered(sides + " Both cost the same.", email, two=True) == []
    assert unanswered(sides, email, two=True) == ["Which one has cheaper parking?"]
    assert unanswered("Canal House's parking is $210 per month, the same as Fern Yard.", email, two=True) == [
        "Which one has cheaper parking?"]  # Fern Yard's own answer is missing


def test_the_old_trim_to_the_first_sentence_of_each_answer_is_caught() -> None:
    context = ctx("Can I bring my dog, and is there a deposit for dogs? What does parking cost?")
    body = compose(context).body
    assert coverage.check(body, context).status == "complete"
    first_sentences = "\n\n".join(p.split(". ")[0] + "." for p in body.split("\n\n"))
    assert "Is there a deposit for dogs?" in coverage.check(first_sentences, context).unanswered


def test_check_body_merges_the_fact_check_and_the_coverage_in_the_seed_shape() -> None:
    context = ctx("Is there a deposit for dogs? Is there bike storage?")
    result = check_body("Canal House is dog friendly." + SIGN, context)
    dumped = result.dump()
    assert set(dumped) == {"status", "issues", "checkedAt", "coverage"}
    assert dumped["coverage"] == {"status": "incomplete", "asks": 2,
                                  "unanswered": ["Is there a deposit for dogs?", "Is there bike storage?"]}
    assert result.status == "warnings"
    assert "The reply no longer answers: 'Is there a deposit for dogs?'" in result.issues
    assert "The reply no longer answers: 'Is there bike storage?'" in result.issues


def test_a_complete_reply_passes_with_complete_coverage() -> None:
    context = ctx("Is there a deposit for dogs?")
    result = check_body(compose(context).body, context)
    assert result.status == "passed" and result.coverage is not None
    assert (result.coverage.status, result.coverage.asks) == ("complete", 1)


def test_a_wrong_fact_still_fails_when_the_coverage_is_complete() -> None:
    result = check_body("Parking at Canal House is $999 per month." + SIGN, ctx("What does parking cost?"))
    assert result.status == "failed" and result.coverage is not None and result.coverage.status == "complete"


def test_an_email_with_no_asks_is_complete_whatever_the_reply() -> None:
    result = check_body("Thanks Maya!" + SIGN, ctx("Thanks, talk soon!"))
    assert result.coverage is not None and result.coverage.model_dump() == {"status": "complete", "asks": 0,
                                                                            "unanswered": []}


def test_questions_addressed_lists_every_ask_with_its_kind_status_and_carrying_sentence() -> None:
    context = ctx("What's the rent, and is there a pet deposit? Is there bike storage?")
    composed = compose(context)
    addressed = composed.reasoning.dump()["questionsAddressed"]
    assert [(q["kind"], q["status"]) for q in addressed] == [("price", "answered"), ("dogs", "answered"),
                                                              ("other", "deferred")]
    for q in addressed:
        assert q["sentence"] in composed.body and q["sourceEmailId"] == 42 and q["answer"]
    assert "bike storage" in addressed[2]["sentence"]
