"""confidence.final: what every provider shows is the model's figure capped by what the checks allow."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from echo_core.generation import confidence
from echo_core.generation.composer import compose
from echo_core.generation.context import context_from_dict
from echo_core.generation.pipeline import generate_offline
from echo_core.schemas import Validation
from tests.unit.test_kinds_registry import SPACE

NOW = datetime(2026, 11, 23, tzinfo=UTC)


def validation(status: str = "passed", issues: int = 0, unanswered: int = 0) -> Validation:
    coverage = {"status": "incomplete" if unanswered else "complete", "asks": 3,
                "unanswered": [f"ask {i}" for i in range(unanswered)]}
    return Validation.model_validate({"status": status, "issues": [f"issue {i}" for i in range(issues)],
                                      "checkedAt": NOW, "coverage": coverage})


@pytest.mark.parametrize(("raw", "expected"), [
    (95, 95), (0.8, 80), (1.0, 100), (0.0, 0), (140, 100), (-5, 0), (87.6, 88), (None, 0), (float("nan"), 0),
])
def test_a_model_figure_is_clamped_and_a_fraction_is_read_as_a_share(raw: float | None, expected: int) -> None:
    assert confidence.clamp(raw) == expected


def test_clean_checks_leave_the_models_figure_alone() -> None:
    verdict = confidence.final(92, validation=validation())
    assert (verdict.shown, verdict.model, verdict.allowed) == (92, 92, 100)
    assert verdict.metadata() == {"modelConfidence": 92, "checksAllowConfidence": 100}


@pytest.mark.parametrize(("check", "flags", "ceiling"), [
    (validation("failed", 1), [], confidence.CAP_FAILED),
    (validation("warnings", 1), [], confidence.CAP_WARNINGS),
    (validation("warnings", 1, unanswered=1), [], confidence.CAP_INCOMPLETE),
    (validation(), ["a flag"], confidence.CAP_FIRST_FLAG),
    (validation(), ["a flag", "another"], confidence.CAP_FIRST_FLAG - confidence.CAP_PER_MORE_FLAG),
    (validation("failed", 2, unanswered=2), ["a", "b", "c"], confidence.CAP_FLOOR + 10),
])
def test_a_failed_check_an_incomplete_coverage_and_each_flag_cap_it(check: Validation, flags: list[str],
                                                                    ceiling: int) -> None:
    verdict = confidence.final(0.99, validation=check, flags=flags)
    assert verdict.model == 99 and verdict.shown == verdict.allowed <= ceiling


def test_a_dict_validation_is_read_too() -> None:
    assert confidence.final(90, validation=validation("failed", 1).dump()).shown == confidence.CAP_FAILED


def test_two_months_free_or_we_walk_never_shows_high_confidence() -> None:
    context = context_from_dict({"deal": {"seeker_name": "Maya Lin"}, "spaces": [SPACE],
                                 "email": {"body": "2 months free or we walk. What's the rent?"}})
    reply = generate_offline(context)
    assert reply.confidence <= confidence.CAP_FIRST_FLAG
    assert reply.metadata["checksAllowConfidence"] <= confidence.CAP_FIRST_FLAG
    assert reply.metadata["modelConfidence"] == compose(context).confidence


def test_the_old_with_validation_still_caps() -> None:
    assert confidence.with_validation(95, "failed") <= 30 and confidence.with_validation(95, "passed") == 95
