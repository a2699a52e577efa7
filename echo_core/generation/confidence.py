"""Confidence from what was actually found, never high when a question went unanswered."""

from __future__ import annotations


def score(*, questions: int, answered: int, deferred: int, mismatches: int, injections: int,
          validation_status: str = "passed", unverified_claims: int = 0) -> int:
    """0-100. Each deferral, mismatch and steering attempt costs; caps keep gaps from looking good."""
    if questions == 0:
        value = 60  # nothing specific to answer: a generic reply a broker should glance at
    else:
        value = 95 - 15 * deferred - 4 * mismatches
        value -= 10 * max(0, questions - answered - deferred)  # questions nobody answered at all
    value -= 25 * injections
    value -= 5 * unverified_claims
    caps = [100]
    unanswered = deferred + max(0, questions - answered - deferred)
    if unanswered:
        caps.append(70)
    if questions and unanswered * 2 >= questions:
        caps.append(50)
    if questions and unanswered >= questions:
        caps.append(35)  # nothing was actually answered
    if injections:
        caps.append(55)
    if validation_status == "warnings":
        caps.append(75)
    if validation_status == "failed":
        caps.append(30)
    return max(5, min(value, *caps))


def with_validation(value: int, status: str, issues: int = 0) -> int:
    """Cap a provider's confidence by what the fact check found."""
    if status == "failed":
        return min(value, 30)
    if status == "warnings":
        return max(0, min(value - 3 * max(0, issues - 1), 75))  # many issues must not push it below 0
    return value
