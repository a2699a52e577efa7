"""Deterministic fact check of any draft body (AI-written or broker-edited) against the record.

Each claim in the text is read as (space, attribute, value) — see `facts/` — and compared
with the record:
- a contradiction (a wrong figure, period, kind, frequency, count or slot) → failed;
- a claim the record can't confirm (a term it doesn't hold, an amenity not on file) → warnings;
- otherwise passed.
Whether every ask is answered is the coverage check's job (`coverage.py`), not this one.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from echo_core.generation.context import ReplyContext, SpaceFacts
from echo_core.generation.facts import comparisons, money, qualities, quantities, tours
from echo_core.generation.facts.compare import judge
from echo_core.generation.facts.reading import Claim, read, unique
from echo_core.generation.facts.record import Record
from echo_core.schemas import Validation

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}")
EXTRACTORS = (money.extract, qualities.extract, quantities.extract, tours.extract, comparisons.extract)


def claims(body: str, context: ReplyContext) -> list[Claim]:
    """Every claim the fact check reads in `body`, bound to its space(s)."""
    record = Record.of(context)
    return read(body, record, _default(context, record), EXTRACTORS)


def _default(context: ReplyContext, record: Record) -> tuple[SpaceFacts, ...]:
    """The space(s) a reply talks about before it names one: those the seeker named, else the likeliest."""
    named = unique(space for _, _, space in record.mentions(context.inbound.body))
    if named:
        return named
    return tuple(context.shortlist[:1])


def validate(body: str, context: ReplyContext, *, now: datetime | None = None) -> Validation:
    fails: list[str] = []
    warns: list[str] = []
    for claim in claims(body, context):
        for level, message in judge(claim, context):
            (fails if level == "fail" else warns).append(message)
    known_emails = {context.agent_email.lower(), context.deal.seeker_email.lower()}
    for address in _EMAIL.findall(body):
        if address.lower() not in known_emails:
            warns.append(f"The draft mentions an email address ({address}) that is not this deal's.")
    status = "failed" if fails else ("warnings" if warns else "passed")
    issues = list(dict.fromkeys(fails + warns))
    return Validation.model_validate({"status": status, "issues": issues, "checkedAt": now or datetime.now(UTC)})


__all__ = ["validate", "claims"]
