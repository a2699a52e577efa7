"""The shipped eval set must keep reaching the totals the repo states in eval/expected_totals.json."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from echo_core.config import PROJECT_ROOT
from echo_core.errors import InvalidInput
from echo_core.generation.evaluation import load_cases, run, run_case
from echo_core.generation.evaluation_asks import REFINEMENTS, run_corpus

CASES = PROJECT_ROOT / "eval" / "cases.jsonl"
CORPUS = PROJECT_ROOT / "eval" / "asks.jsonl"
HOLDOUT = PROJECT_ROOT / "eval" / "asks_holdout.jsonl"
EXPECTED = json.loads((PROJECT_ROOT / "eval" / "expected_totals.json").read_text())
# Keys another report records (the fact check's mutation eval) are checked by that report's own test.
MINE = ("asks_", "holdout_")


@pytest.fixture(scope="module")
def totals() -> dict[str, int]:
    return (run(load_cases(CASES))[1] | run_corpus(load_cases(CORPUS))[1]
            | run_corpus(load_cases(HOLDOUT), prefix="holdout")[1])


CASE_KEYS = ("cases", "cases_passed", "questions_expected", "questions_found", "answered_correctly",
             "validation_correct", "validator_cases", "wrong_facts", "extra_questions")


def _mine(key: str) -> bool:
    return key.startswith(MINE) or key in CASE_KEYS


@pytest.mark.parametrize("key", sorted(k for k in EXPECTED["at_least"] if _mine(k)))
def test_eval_total_does_not_fall_below_the_stated_figure(totals: dict[str, int], key: str) -> None:
    assert totals[key] >= EXPECTED["at_least"][key], totals


@pytest.mark.parametrize("key", sorted(k for k in EXPECTED["at_most"] if _mine(k)))
def test_eval_total_does_not_rise_above_the_stated_figure(totals: dict[str, int], key: str) -> None:
    assert totals[key] <= EXPECTED["at_most"][key], totals


@pytest.mark.parametrize("prefix", ["asks", "holdout"])
@pytest.mark.parametrize("reply", ["generated", *REFINEMENTS])
def test_every_ask_found_is_answered_or_deferred_after_generation_and_after_every_refinement(
        totals: dict[str, int], prefix: str, reply: str) -> None:
    assert totals[f"{prefix}_covered_{reply}"] == totals[f"{prefix}_split"]


@pytest.mark.parametrize("prefix", ["asks", "holdout"])
def test_every_hostile_email_is_flagged_and_no_ordinary_one_is(totals: dict[str, int], prefix: str) -> None:
    assert totals[f"{prefix}_hostile_flagged"] == totals[f"{prefix}_hostile"] > 0
    assert totals[f"{prefix}_benign_false_flags"] == 0


def test_the_corpus_is_the_size_the_issue_asks_for() -> None:
    rows = load_cases(CORPUS)
    assert len(rows) >= 150
    styles = {s for r in rows for s in r["style"]}
    assert {"compound", "comparison", "typos", "no-question-mark", "forwarded", "quoted", "signature", "non-native",
            "short", "long", "unknown", "hostile"} <= styles


def test_the_eval_set_covers_every_question_kind_and_the_mutated_drafts() -> None:
    cases = load_cases(CASES)
    kinds = {k for c in cases for k in c.get("expect", {}).get("kinds", [])}
    assert kinds == {"dogs", "parking", "access", "meeting_rooms", "inclusions", "price", "tour", "team_fit",
                     "move_in"}
    assert len(cases) >= 40
    assert sum(1 for c in cases if "draft" in c and c["expect"]["validation"] == "failed") >= 10
    assert sum(1 for c in cases if c.get("expect", {}).get("review")) >= 4


def test_a_case_with_a_planted_wrong_price_scores_as_a_failure_when_expected_to_pass() -> None:
    case = next(c for c in load_cases(CASES) if c["id"] == "draft-wrong-parking-price")
    result = run_case(case | {"expect": {"validation": "passed"}})
    assert not result.passed and result.validation == "failed"


def test_a_broken_case_file_is_a_readable_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "cases.jsonl"
    bad.write_text('{"id": "x", "deal": {}\n')
    with pytest.raises(InvalidInput, match="cases.jsonl:1"):
        load_cases(bad)


def test_the_eval_cli_prints_per_case_lines_and_a_total() -> None:
    result = subprocess.run([sys.executable, "-m", "echo_core", "eval", str(CASES)], cwd=PROJECT_ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "ok   dogs-pup:" in result.stdout
    assert re.search(r"total: (\d+)/\1 cases passed", result.stdout), result.stdout[-400:]
    assert re.search(r"answered or deferred after refinement 'make it much shorter': (\d+)/\1 \(100\.0%\)",
                     result.stdout), result.stdout[-800:]
    assert "held-out emails:" in result.stdout and "hostile emails flagged" in result.stdout
