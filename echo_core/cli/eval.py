"""`eval [CASES.jsonl]`: score reply drafting and the checks (no database).

Prints one report per function below: the eval cases (eval/cases.jsonl) and the paraphrase corpus
(eval/asks.jsonl). A report is one function taking the parsed arguments and the JSON being built.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from echo_core.cli.common import add_json_flag, print_json
from echo_core.config import PROJECT_ROOT

CASES = PROJECT_ROOT / "eval" / "cases.jsonl"
CORPUS = PROJECT_ROOT / "eval" / "asks.jsonl"
HOLDOUT = PROJECT_ROOT / "eval" / "asks_holdout.jsonl"


def register(groups: Any) -> None:
    parser = groups.add_parser("eval", help="score reply drafting, the coverage check and the fact check")
    parser.add_argument("cases", type=Path, metavar="CASES.jsonl", nargs="?", default=CASES,
                        help=f"eval cases (default {CASES.relative_to(PROJECT_ROOT)})")
    parser.add_argument("--corpus", type=Path, metavar="ASKS.jsonl", default=CORPUS,
                        help=f"paraphrase corpus of seeker emails (default {CORPUS.relative_to(PROJECT_ROOT)})")
    parser.add_argument("--holdout", type=Path, metavar="ASKS.jsonl", default=HOLDOUT,
                        help=f"held-out seeker emails (default {HOLDOUT.relative_to(PROJECT_ROOT)})")
    parser.add_argument("--verbose", action="store_true", help="list every corpus email with a problem")
    add_json_flag(parser)
    parser.set_defaults(handler=_eval)


def _eval(args: argparse.Namespace) -> int:
    out: dict[str, Any] = {}
    for report in (cases_report, corpus_report, holdout_report, mutations_report):
        report(args, out)
    if args.json:
        print_json(out)
    return 0


def cases_report(args: argparse.Namespace, out: dict[str, Any]) -> None:
    from echo_core.generation.evaluation import as_json, load_cases, run

    results, totals = run(load_cases(args.cases))
    out.update(as_json(results, totals))
    if args.json:
        return
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


def corpus_report(args: argparse.Namespace, out: dict[str, Any]) -> None:
    _corpus(args, out, args.corpus, key="corpus", prefix="asks", title="paraphrase corpus")


def holdout_report(args: argparse.Namespace, out: dict[str, Any]) -> None:
    _corpus(args, out, args.holdout, key="holdout", prefix="holdout", title="held-out emails")


def _corpus(args: argparse.Namespace, out: dict[str, Any], path: Path, *, key: str, prefix: str, title: str) -> None:
    from dataclasses import asdict

    from echo_core.generation.evaluation import load_cases
    from echo_core.generation.evaluation_asks import run_corpus, summary

    results, totals = run_corpus(load_cases(path), prefix=prefix)
    out[key] = {"totals": totals, "emails": [asdict(r) for r in results if r.problems or args.verbose]}
    if args.json:
        return
    print()
    if args.verbose:
        for r in results:
            for problem in r.problems:
                print(f"  {r.id}: {problem}")
    print("\n".join(summary(totals, prefix=prefix, title=title)))


# --- The fact check's mutation eval (engineer B): generated correct replies and one-wrong-claim variants. ---
def mutations_report(args: argparse.Namespace, out: dict[str, Any]) -> None:
    from echo_core.evaluation import holdout
    from echo_core.evaluation.mutations import run

    report = run()
    held = holdout.run()
    out["mutations"] = report.as_json() | {"holdout": held.figures(), "holdout_first_run": holdout.FIRST_RUN,
                                          "holdout_first_run_batch_2": holdout.FIRST_RUN_BATCH_2}
    if not args.json:
        print()
        print("\n".join(report.lines() + held.lines()))
