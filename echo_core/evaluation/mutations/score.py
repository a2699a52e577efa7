"""Score the fact check on the generated replies: recall on wrong variants, false alarms and
warnings on correct text, per attribute family and in total.

This is the only module of the mutation eval that calls the validator.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from echo_core.evaluation.mutations.generate import Sample, samples
from echo_core.generation.context import context_from_dict
from echo_core.generation.validator import validate

DEFAULT_SEED = 11


@dataclass
class Tally:
    wrong: int = 0
    caught: int = 0  # wrong variants flagged failed or warnings
    caught_failed: int = 0
    correct: int = 0
    false_alarms: int = 0  # correct text marked failed
    warned: int = 0  # correct text marked warnings

    def add(self, sample: Sample, status: str) -> None:
        if sample.wrong:
            self.wrong += 1
            self.caught += status != "passed"
            self.caught_failed += status == "failed"
        else:
            self.correct += 1
            self.false_alarms += status == "failed"
            self.warned += status == "warnings"

    @staticmethod
    def pct(part: int, whole: int) -> float:
        return round(100 * part / whole, 2) if whole else 0.0

    def figures(self) -> dict[str, Any]:
        return {"wrong": self.wrong, "caught": self.caught, "caught_failed": self.caught_failed,
                "correct": self.correct, "false_alarms": self.false_alarms, "warned": self.warned,
                "recall_pct": self.pct(self.caught, self.wrong),
                "false_alarm_pct": self.pct(self.false_alarms, self.correct),
                "warned_pct": self.pct(self.warned, self.correct)}


@dataclass
class Report:
    seed: int
    total: Tally = field(default_factory=Tally)
    families: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    operators: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    sources: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    misses: list[dict[str, str]] = field(default_factory=list)
    alarms: list[dict[str, Any]] = field(default_factory=list)

    def lines(self) -> list[str]:
        t = self.total.figures()
        out = [f"mutation eval (seed {self.seed}): {t['wrong']} wrong variants, {t['correct']} correct paraphrases",
               f"{'family':<16}{'wrong':>7}{'recall':>9}{'correct':>9}{'false alarms':>14}{'warned':>9}"]
        for name in sorted(self.families):
            f = self.families[name].figures()
            out.append(f"{name:<16}{f['wrong']:>7}{f['recall_pct']:>8.1f}%{f['correct']:>9}"
                       f"{f['false_alarm_pct']:>13.1f}%{f['warned_pct']:>8.1f}%")
        out.append(f"{'total':<16}{t['wrong']:>7}{t['recall_pct']:>8.1f}%{t['correct']:>9}"
                   f"{t['false_alarm_pct']:>13.1f}%{t['warned_pct']:>8.1f}%")
        out.append("by mutation: " + " · ".join(f"{k} {v.figures()['recall_pct']:.1f}% of {v.wrong}"
                                                for k, v in sorted(self.operators.items()) if v.wrong))
        out.append("by source: " + " · ".join(
            f"{k}: recall {v.figures()['recall_pct']:.1f}%, false alarms {v.figures()['false_alarm_pct']:.1f}%"
            for k, v in sorted(self.sources.items())))
        return out

    def as_json(self) -> dict[str, Any]:
        return {"seed": self.seed, "totals": self.total.figures(),
                "families": {k: v.figures() for k, v in sorted(self.families.items())},
                "operators": {k: v.figures() for k, v in sorted(self.operators.items())},
                "sources": {k: v.figures() for k, v in sorted(self.sources.items())},
                "misses": self.misses[:50], "false_alarms": self.alarms[:50]}


def run(seed: int = DEFAULT_SEED) -> Report:
    report = Report(seed)
    contexts: dict[int, Any] = {}
    for sample in samples(seed):
        key = id(sample.case)
        if key not in contexts:
            contexts[key] = (sample.case, context_from_dict(sample.case))
        check = validate(sample.body, contexts[key][1])
        report.total.add(sample, check.status)
        for family in sample.family.split("+") if not sample.wrong else [sample.family]:
            report.families[family].add(sample, check.status)
        report.operators[sample.operator].add(sample, check.status)
        report.sources[sample.source].add(sample, check.status)
        if sample.wrong and check.status == "passed":
            report.misses.append({"family": sample.family, "operator": sample.operator, "body": sample.body})
        if not sample.wrong and check.status != "passed":
            report.alarms.append({"status": check.status, "issues": check.issues, "body": sample.body})
    return report
