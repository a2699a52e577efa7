"""The fact check's mutation eval: generated independently of the validator, reproducible, and held to its totals."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path
from typing import Any

import pytest

from echo_core.config import PROJECT_ROOT
from echo_core.evaluation.mutations import DEFAULT_SEED, Report, run
from echo_core.evaluation.mutations.facts import facts_of, wrongs
from echo_core.evaluation.mutations.generate import samples
from echo_core.evaluation.mutations.world import demo_spaces

EXPECTED = json.loads((PROJECT_ROOT / "eval" / "expected_totals.json").read_text())["mutations"]
GENERATOR = ("generate", "facts", "phrasing", "world")


@pytest.fixture(scope="module")
def report() -> Report:
    return run(DEFAULT_SEED)


@pytest.mark.parametrize("module", GENERATOR)
def test_the_generator_imports_neither_the_validator_nor_the_fact_check(module: str) -> None:
    path = PROJECT_ROOT / "echo_core" / "evaluation" / "mutations" / f"{module}.py"
    imported = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
        elif isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
    assert not any(name.startswith(("echo_core.generation", "echo_core.evaluation.mutations.score"))
                   for name in imported), imported


def test_the_samples_are_reproducible_from_the_seed() -> None:
    first = [(s.body, s.wrong, s.operator) for s, _ in zip(samples(5), range(300), strict=False)]
    again = [(s.body, s.wrong, s.operator) for s, _ in zip(samples(5), range(300), strict=False)]
    other = [(s.body, s.wrong, s.operator) for s, _ in zip(samples(6), range(300), strict=False)]
    assert first == again and first != other


def test_a_wrong_variant_changes_exactly_one_sentence_of_its_correct_reply() -> None:
    def sentences(body: str) -> list[str]:
        return [x.strip() for x in re.split(r"(?<=[.?!])\s+|\n+", body) if x.strip()]

    pool = list(zip(samples(DEFAULT_SEED), range(600), strict=False))
    correct: dict[int, str] = {}
    for sample, _ in pool:
        if not sample.wrong and id(sample.case) not in correct:
            correct[id(sample.case)] = sample.body
    checked = 0
    for sample, _ in pool:
        if sample.wrong:
            base, variant = sentences(correct[id(sample.case)]), sentences(sample.body)
            added = [x for x in variant if x not in base]
            removed = [x for x in base if x not in variant]
            assert len(added) == 1 and len(removed) <= 1, (sample.operator, added, removed)
            checked += 1
    assert checked > 100


def test_every_wrong_value_differs_from_the_record() -> None:
    import random

    rng = random.Random(1)
    spaces = demo_spaces()
    for space in spaces:
        for fact in facts_of(space):
            for wrong in wrongs(fact, space, [s for s in spaces if s is not space], rng):
                assert wrong.fact.values != fact.values, (space["name"], fact, wrong)


def test_the_eval_is_large_enough(report: Report) -> None:
    assert report.total.wrong >= 2000
    assert report.total.correct >= 1000
    assert set(report.sources) == {"demo", "random"}
    assert len(report.families) >= 18


def test_the_targets_are_met_overall_and_per_family(report: Report) -> None:
    totals = report.total.figures()
    assert totals["recall_pct"] >= 97.0
    assert totals["false_alarm_pct"] <= 2.0
    for name, tally in report.families.items():
        figures = tally.figures()
        assert figures["false_alarm_pct"] <= 2.0, (name, figures)
        assert figures["recall_pct"] >= 90.0, (name, figures)


@pytest.mark.parametrize("key", sorted(k for k in EXPECTED["at_least"] if not k.startswith("holdout")))
def test_mutation_totals_do_not_fall_below_the_recorded_figures(report: Report, key: str) -> None:
    assert report.total.figures()[key] >= EXPECTED["at_least"][key]


@pytest.mark.parametrize("key", sorted(k for k in EXPECTED["at_most"] if k != "family_false_alarms" and
                                        not k.startswith("holdout")))
def test_mutation_ceilings_do_not_rise(report: Report, key: str) -> None:
    assert report.total.figures()[key] <= EXPECTED["at_most"][key]


def test_no_familys_false_alarms_rise(report: Report) -> None:
    ceilings: dict[str, Any] = EXPECTED["at_most"]["family_false_alarms"]
    for name, tally in report.families.items():
        assert tally.false_alarms <= ceilings.get(name, 0), name


def test_the_report_prints_a_row_per_family_and_a_total_and_has_a_json_form(report: Report) -> None:
    lines = report.lines()
    assert lines[0].startswith("mutation eval (seed 11)")
    assert any(line.startswith("total ") for line in lines)
    assert sum(1 for line in lines if line.split()[0] in report.families) == len(report.families)
    data = report.as_json()
    assert set(data) >= {"seed", "totals", "families", "operators", "sources"}
    json.dumps(data)


def test_the_eval_module_is_documented_in_the_readme() -> None:
    readme = Path(PROJECT_ROOT / "README.md").read_text()
    assert "mutation eval" in readme.lower()


def test_the_held_out_sentences_keep_their_recorded_verdicts() -> None:
    from echo_core.evaluation import holdout

    result = holdout.run()
    assert result.as_expected >= EXPECTED["at_least"]["holdout_as_expected"], result.problems
    assert result.false_alarms <= EXPECTED["at_most"]["holdout_false_alarms"], result.problems
    assert result.wrong + result.correct >= 80
