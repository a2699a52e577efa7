"""The eval harness: run the offline composer and the checks over JSONL cases and score them.

A case holds the deal and space facts, an inbound email and what a good reply
must do. Cases with a `draft` test the checks alone on a (mutated) body. One
function per report: `run` (these cases), `evaluation_asks.run_corpus` (the
paraphrase corpus); the fact check's mutation report lives beside them.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from echo_core.errors import InvalidInput
from echo_core.generation import composer
from echo_core.generation.checks import check_body
from echo_core.generation.context import context_from_dict
from echo_core.generation.questions import seeker_facts


@dataclass
class CaseResult:
    id: str
    questions_expected: int = 0
    questions_found: int = 0
    answered_correctly: int = 0
    extra_questions: int = 0
    wrong_facts: int = 0
    deferred: int = 0
    validation: str = ""
    validation_expected: str | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.problems


TOTAL_KEYS = ("questions_expected", "questions_found", "answered_correctly", "extra_questions", "wrong_facts",
              "deferred")


def load_cases(path: Path) -> list[dict[str, Any]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise InvalidInput(f"Cannot read {path}: {error.strerror} — pass a JSONL file of eval cases.") from None
    cases = []
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        try:
            cases.append(json.loads(line))
        except json.JSONDecodeError as error:
            raise InvalidInput(f"{path}:{number}: not valid JSON ({error.msg}) — one case per line.") from None
    return cases


def run_case(case: dict[str, Any]) -> CaseResult:
    try:
        context = context_from_dict(case)
    except (KeyError, ValueError, TypeError) as error:
        raise InvalidInput(f"Eval case {case.get('id', '?')}: bad facts ({error}).") from None
    expect = case.get("expect", {})
    result = CaseResult(id=str(case.get("id", "?")), validation_expected=expect.get("validation"))
    if "draft" in case:  # a validator case: check a given body
        check = check_body(case["draft"], context)
        result.validation = check.status
        if expect.get("validation") and check.status != expect["validation"]:
            result.problems.append(f"validation {check.status}, expected {expect['validation']}: {check.issues[:2]}")
        for fragment in expect.get("issues_mention", []):
            if not any(fragment.lower() in issue.lower() for issue in check.issues):
                result.problems.append(f"no issue mentions '{fragment}'")
        return result
    composed = composer.compose(context, instruction=case.get("instruction"))
    body = composed.body.lower()
    expected = list(dict.fromkeys(expect.get("kinds", [])))
    found = seeker_facts(context).kinds
    deferred_kinds = {k for k, d in composed.kinds if d}
    should_defer = set(expect.get("deferred", []))
    facts = expect.get("facts", {})
    result.questions_expected = len(expected)
    result.questions_found = len(set(expected) & set(found))
    result.extra_questions = len(set(found) - set(expected))
    result.deferred = len(deferred_kinds)
    if result.extra_questions:
        result.problems.append(f"extra question kinds {sorted(set(found) - set(expected))}")
    for kind in expected:
        if kind not in found:
            result.problems.append(f"missed the {kind} question")
            continue
        missing = [f for f in facts.get(kind, []) if f.lower() not in body]
        if (kind in deferred_kinds) != (kind in should_defer):
            result.problems.append(f"{kind}: {'deferred' if kind in deferred_kinds else 'answered'}, expected "
                                   f"{'deferred' if kind in should_defer else 'answered'}")
        elif missing:
            result.problems.append(f"{kind}: missing {missing}")
        else:
            result.answered_correctly += 1
    for fragment in facts.get("any", []):
        if fragment.lower() not in body:
            result.problems.append(f"missing '{fragment}'")
    for fragment in expect.get("absent", []):
        if fragment.lower() in body:
            result.wrong_facts += 1
            result.problems.append(f"wrong fact present: '{fragment}'")
    check = check_body(composed.body, context)
    result.validation = check.status
    if check.status == "failed":
        result.wrong_facts += 1
    want = expect.get("validation", "passed")
    if check.status != want:
        result.problems.append(f"validation {check.status}, expected {want}: {check.issues[:2]}")
    reasoning = composed.reasoning
    if "mismatches" in expect and len(reasoning.requirement_mismatches) < expect["mismatches"]:
        result.problems.append(f"{len(reasoning.requirement_mismatches)} mismatches, expected ≥ {expect['mismatches']}")
    if expect.get("mismatches") == 0 and reasoning.requirement_mismatches:
        result.problems.append(f"unexpected mismatches {reasoning.requirement_mismatches}")
    if "review" in expect and bool(reasoning.needs_human_review) != expect["review"]:
        result.problems.append(f"needsHumanReview {'set' if reasoning.needs_human_review else 'empty'}, expected "
                               f"{'set' if expect['review'] else 'empty'}")
    if "max_confidence" in expect and composed.confidence > expect["max_confidence"]:
        result.problems.append(f"confidence {composed.confidence} > {expect['max_confidence']}")
    if "min_confidence" in expect and composed.confidence < expect["min_confidence"]:
        result.problems.append(f"confidence {composed.confidence} < {expect['min_confidence']}")
    return result


def run(cases: list[dict[str, Any]]) -> tuple[list[CaseResult], dict[str, int]]:
    results = [run_case(case) for case in cases]
    totals = {key: sum(getattr(r, key) for r in results) for key in TOTAL_KEYS}
    totals["cases"] = len(results)
    totals["cases_passed"] = sum(1 for r in results if r.passed)
    totals["validation_correct"] = sum(1 for r in results if r.validation == (r.validation_expected or "passed"))
    totals["validator_cases"] = sum(1 for c in cases if "draft" in c)
    return results, totals


def as_json(results: list[CaseResult], totals: dict[str, int]) -> dict[str, Any]:
    return {"cases": [asdict(r) | {"passed": r.passed} for r in results], "totals": totals}
