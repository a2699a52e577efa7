"""Confidence from what was actually found, never high when a question went unanswered.

`score` is the offline composer's own figure; `final` is what every provider shows: the model's
figure capped by the checks (a failed fact check, an incomplete coverage, each steering flag).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from echo_core.schemas import Validation


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


@dataclass(frozen=True)
class Verdict:
    """The confidence a draft shows: the model's own figure, capped by what the checks allow."""

    shown: int
    model: int
    allowed: int

    def metadata(self) -> dict[str, int]:
        """The keys recorded in the version's `metadata`."""
        return {"modelConfidence": self.model, "checksAllowConfidence": self.allowed}


# What the checks allow at most: a failed fact check, an incomplete coverage, each steering flag.
CAP_FAILED = 30
CAP_WARNINGS = 75
CAP_INCOMPLETE = 60
CAP_FIRST_FLAG = 55
CAP_PER_MORE_FLAG = 10
CAP_FLOOR = 20


def clamp(value: float | int | None) -> int:
    """0-100; a float in [0, 1] is read as a fraction (a model answering 0.8 means 80)."""
    if value is None:
        return 0
    number = float(value)
    if number != number:  # NaN
        return 0
    if isinstance(value, float) and 0 <= number <= 1:
        number *= 100
    return int(round(max(0.0, min(100.0, number))))


def allowed_by(validation: Validation | dict[str, Any], flags: Sequence[object] = ()) -> int:
    """The highest confidence the checks allow for this draft."""
    parsed = validation if isinstance(validation, Validation) else Validation.model_validate(validation)
    caps = [100]
    if parsed.status == "failed":
        caps.append(CAP_FAILED)
    elif parsed.status == "warnings":
        caps.append(CAP_WARNINGS - 3 * max(0, len(parsed.issues) - 1))
    if parsed.coverage is not None and parsed.coverage.status == "incomplete":
        caps.append(CAP_INCOMPLETE - 5 * max(0, len(parsed.coverage.unanswered) - 1))
    if flags:
        caps.append(CAP_FIRST_FLAG - CAP_PER_MORE_FLAG * (len(flags) - 1))
    return max(CAP_FLOOR if flags or parsed.status != "passed" else 0, min(caps))


def final(model_value: float | int | None, *, validation: Validation | dict[str, Any],
          flags: Sequence[object] = ()) -> Verdict:
    """The confidence every provider shows: min(the model's, what the checks allow), both recorded."""
    model = clamp(model_value)
    allowed = allowed_by(validation, flags)
    return Verdict(shown=min(model, allowed), model=model, allowed=allowed)
