"""`eval CASES.jsonl`: score the offline composer and the validator on eval cases (no database)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from echo_core.cli.common import add_json_flag, print_json


def register(groups: Any) -> None:
    parser = groups.add_parser("eval", help="score reply drafting and fact checking on a JSONL file of cases")
    parser.add_argument("cases", type=Path, metavar="CASES.jsonl")
    add_json_flag(parser)
    parser.set_defaults(handler=_eval)


def _eval(args: argparse.Namespace) -> int:
    from echo_core.generation.evaluation import as_json, load_cases, run

    results, totals = run(load_cases(args.cases))
    if args.json:
        print_json(as_json(results, totals))
        return 0
    for r in results:
        mark = "ok  " if r.passed else "FAIL"
        questions = (f"questions {r.questions_found}/{r.questions_expected} found, {r.answered_correctly} answered "
                     f"correctly, {r.deferred} deferred, " if r.questions_expected else "")
        print(f"{mark} {r.id}: {questions}wrong facts {r.wrong_facts}, validation {r.validation}")
        for problem in r.problems:
            print(f"       - {problem}")
    print(
        f"\ntotal: {totals['cases_passed']}/{totals['cases']} cases passed · questions found "
        f"{totals['questions_found']}/{totals['questions_expected']} · answered correctly "
        f"{totals['answered_correctly']} · extra {totals['extra_questions']} · wrong facts {totals['wrong_facts']} · "
        f"deferred {totals['deferred']} · validation as expected {totals['validation_correct']} "
        f"({totals['validator_cases']} mutated drafts)"
    )
    return 0
