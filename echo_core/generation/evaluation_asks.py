"""The paraphrase-corpus report: are every seeker's asks found, and answered or deferred in every reply?

For each email of eval/asks.jsonl (written by eval/make_asks.py): the asks the splitter finds against
the asks a careful reader listed; the coverage check on the generated reply and on each refinement
(shorter, more formal, drop the pleasantries); the fact check on every reply (a failed check is a
wrong fact); the injection flags on hostile and on ordinary mail; the confidence of hostile mail.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from echo_core.errors import InvalidInput
from echo_core.generation import composer, coverage, injection
from echo_core.generation.checks import check_body
from echo_core.generation.context import ReplyContext, context_from_dict
from echo_core.generation.questions import Question

REFINEMENTS = {"shorter": "make it much shorter", "formal": "more formal please", "no_pleasantries":
               "drop the pleasantries"}
HOSTILE_CONFIDENCE = 55


@dataclass
class EmailResult:
    id: str
    expected: int = 0
    found: int = 0  # expected asks the splitter found
    asks: int = 0  # asks the splitter found in all
    finer: int = 0  # found asks beyond the expected ones, of a kind the reader also listed (a finer split)
    false_asks: int = 0  # found asks of a kind the reader did not list
    covered: dict[str, int] = field(default_factory=dict)  # per reply ("generated", "shorter", …): asks covered
    drops: int = 0  # answers removed from the generated reply, one at a time
    drops_caught: int = 0  # … that the coverage check then reported
    wrong_facts: int = 0  # replies whose fact check failed
    hostile: bool = False
    flagged: bool = False
    confidence: int = 100
    problems: list[str] = field(default_factory=list)


def _matches(expected: dict[str, Any], ask: Question, context: ReplyContext) -> bool:
    if ask.kind not in expected["kinds"]:
        return False
    if ask.kind == "other" and expected["keywords"] and \
            not any(k.lower() in ask.text.lower() for k in expected["keywords"]):
        return False
    names = {s.name for s in (context.space(i) for i in ask.spaces) if s is not None}
    if expected["spaces"] and not set(expected["spaces"]) <= names:
        return False
    return not expected["comparison"] or ask.comparison


def run_email(row: dict[str, Any]) -> EmailResult:
    try:
        context = context_from_dict(row)
    except (KeyError, ValueError, TypeError) as error:
        raise InvalidInput(f"Corpus email {row.get('id', '?')}: bad facts ({error}).") from None
    result = EmailResult(id=str(row.get("id", "?")), hostile=bool(row.get("hostile")))
    generated = composer.compose(context)
    found = list(generated.asks)
    result.asks, result.expected = len(found), len(row["asks"])
    unmatched = list(range(len(found)))
    for expected in row["asks"]:
        hit = next((i for i in unmatched if _matches(expected, found[i], context)), None)
        if hit is None:
            result.problems.append(f"missed ask {'|'.join(expected['kinds'])} {expected['keywords'] or ''}".rstrip())
        else:
            unmatched.remove(hit)
            result.found += 1
    listed = {k for e in row["asks"] for k in e["kinds"]}
    for i in unmatched:
        if found[i].kind in listed:
            result.finer += 1
        else:
            result.false_asks += 1
            result.problems.append(f"extra ask ({found[i].kind}): {found[i].text[:80]!r}")
    replies = {"generated": generated.body}
    for name, instruction in REFINEMENTS.items():
        replies[name] = composer.compose(context, instruction=instruction).body
    for name, body in replies.items():
        results = coverage.assess(body, context, asks=found)
        result.covered[name] = sum(1 for r in results if r.covered)
        result.problems += [f"{name}: not answered {r.ask.text[:70]!r} (missing {', '.join(r.missing)})"
                            for r in results if not r.covered]
        check = check_body(body, context)
        if check.status == "failed":
            result.wrong_facts += 1
            result.problems.append(f"{name}: fact check failed: {check.issues[:2]}")
    _drop_each_answer(result, generated.body, context, found)
    flags = injection.flags(context.inbound.body + "\n" + context.inbound.subject,
                            seeker_email=context.deal.seeker_email)
    result.flagged = bool(flags)
    result.confidence = generated.confidence
    if result.hostile and not flags:
        result.problems.append("hostile email not flagged")
    if not result.hostile and flags:
        result.problems.append(f"false flag: {flags[0][:100]}")
    return result


def _drop_each_answer(result: EmailResult, body: str, context: ReplyContext, asks: list[Question]) -> None:
    """The coverage check must notice a dropped answer: remove the paragraph carrying each ask, one at a time."""
    paragraphs = body.split("\n\n")
    for i, found in enumerate(coverage.assess(body, context, asks=asks)):
        if not found.covered or not found.sentence:
            continue
        holding = [n for n, p in enumerate(paragraphs) if found.sentence in p]
        if not holding:
            continue
        shorter = "\n\n".join(p for n, p in enumerate(paragraphs) if n not in holding)
        result.drops += 1
        if not coverage.assess(shorter, context, asks=[asks[i]])[0].covered:
            result.drops_caught += 1
        else:
            result.problems.append(f"dropping the answer to {asks[i].text[:60]!r} went unnoticed")


def run_corpus(rows: list[dict[str, Any]], *, prefix: str = "asks") -> tuple[list[EmailResult], dict[str, int]]:
    """Every email's result and the totals recorded in eval/expected_totals.json (keys prefixed `asks_`)."""
    results = [run_email(row) for row in rows]
    totals = _totals(results)
    return results, {f"{prefix}_{key.removeprefix('asks_')}": value for key, value in totals.items()}


def _totals(results: list[EmailResult]) -> dict[str, int]:
    totals = {
        "asks_emails": len(results),
        "asks_expected": sum(r.expected for r in results),
        "asks_found": sum(r.found for r in results),
        "asks_split": sum(r.asks for r in results),
        "asks_finer": sum(r.finer for r in results),
        "asks_false": sum(r.false_asks for r in results),
        "asks_wrong_fact_replies": sum(r.wrong_facts for r in results),
        "asks_hostile": sum(1 for r in results if r.hostile),
        "asks_hostile_flagged": sum(1 for r in results if r.hostile and r.flagged),
        "asks_hostile_capped": sum(1 for r in results if r.hostile and r.confidence <= HOSTILE_CONFIDENCE),
        "asks_benign": sum(1 for r in results if not r.hostile),
        "asks_benign_false_flags": sum(1 for r in results if not r.hostile and r.flagged),
        "asks_drops": sum(r.drops for r in results),
        "asks_drops_caught": sum(r.drops_caught for r in results),
    }
    for name in ("generated", *REFINEMENTS):
        totals[f"asks_covered_{name}"] = sum(r.covered.get(name, 0) for r in results)
    return totals


def summary(totals: dict[str, int], *, prefix: str = "asks", title: str = "paraphrase corpus") -> list[str]:
    """The report's lines, as `python -m echo_core eval` prints them."""
    totals = {f"asks_{key.removeprefix(prefix + '_')}": value for key, value in totals.items()}
    split = totals["asks_split"] or 1

    def pct(n: int, d: int) -> str:
        return f"{100 * n / d:.1f}%" if d else "—"

    lines = [
        f"{title}: {totals['asks_emails']} emails, {totals['asks_expected']} asks listed by a reader",
        f"  asks found: {totals['asks_found']}/{totals['asks_expected']} "
        f"({pct(totals['asks_found'], totals['asks_expected'])}); split into {totals['asks_split']} asks "
        f"({totals['asks_finer']} finer splits, {totals['asks_false']} false asks)",
    ]
    for name in ("generated", *REFINEMENTS):
        covered = totals[f"asks_covered_{name}"]
        label = "after generation" if name == "generated" else f"after refinement '{REFINEMENTS[name]}'"
        lines.append(f"  answered or deferred {label}: {covered}/{split} ({pct(covered, split)})")
    lines += [
        f"  coverage check catches a dropped answer: {totals['asks_drops_caught']}/{totals['asks_drops']} "
        f"({pct(totals['asks_drops_caught'], totals['asks_drops'])})",
        f"  replies with a wrong fact (fact check failed): {totals['asks_wrong_fact_replies']} of "
        f"{totals['asks_emails'] * (1 + len(REFINEMENTS))}",
        f"  hostile emails flagged: {totals['asks_hostile_flagged']}/{totals['asks_hostile']} "
        f"(confidence ≤ {HOSTILE_CONFIDENCE}: {totals['asks_hostile_capped']}); false flags on ordinary mail: "
        f"{totals['asks_benign_false_flags']}/{totals['asks_benign']}",
    ]
    return lines
