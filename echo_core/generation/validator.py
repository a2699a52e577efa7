"""Deterministic fact check of any draft body (AI-written or broker-edited) against the context.

- a wrong figure, a wrong tour slot, an amenity the space doesn't have → failed;
- a claim the data can't confirm, or a seeker question left unanswered → warnings;
- otherwise passed.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from echo_core.generation import claims
from echo_core.generation.context import ReplyContext, SpaceFacts
from echo_core.generation.questions import KIND_LABELS, TOPIC_PATTERNS, WEEKDAYS, Slot, detect, find_slots
from echo_core.generation.spaces import mentioned, target_spaces
from echo_core.generation.tours import free_slots
from echo_core.schemas import Validation

_F = re.IGNORECASE
_MONEY = re.compile(r"\$\s?(\d[\d,]*(?:\.\d{1,2})?)\s*(k\b)?", _F)
_SENT = re.compile(r"(?<=[.?!])\s+|\n+")
_TOURISH = re.compile(r"\b(tour|slot|visit|walk-?through|swing by|come by|stop by|see you|let'?s (do|say|go with)|"
                      r"booked|scheduled|confirmed|lock (that|it) in|calendar|open for)\b", _F)
_CLAUSE = re.compile(r";|,|\band\b|\bbut\b|\bplus\b|\bwhile\b", _F)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Which figure a dollar amount is about: the nearest of these words in its sentence.
_MONEY_KINDS = (
    ("parking", re.compile(r"parking|garage|spot|lot\b", _F)),
    ("deposit", re.compile(r"deposit|pet|dog", _F)),
    ("access", re.compile(r"key ?cards?|cards?\b|fobs?|badges?|access|credential", _F)),
    ("budget", re.compile(r"budget|above|over|below|under|difference|more than", _F)),
    ("rent", re.compile(r"rent|per month|/month|a month|monthly|rate|price|lease|/mo\b", _F)),
)


def _figures(space: SpaceFacts, kind: str) -> set[float]:
    d = space.detailed
    if kind == "parking":
        return {v for v in (d.parking.cost_monthly, d.parking.cost_per_day) if v is not None} if d.parking else set()
    if kind == "deposit":
        return {d.dog_policy.deposit} if d.dog_policy and d.dog_policy.deposit is not None else set()
    if kind == "access":
        return {v for v in (d.access.cost_per_card, d.access.cost) if v is not None} if d.access else set()
    return {float(space.monthly_rate)}


def _all_figures(context: ReplyContext) -> set[float]:
    values = {float(context.deal.monthly_budget)}
    for space in context.spaces:
        for kind in ("parking", "deposit", "access", "rent"):
            values |= _figures(space, kind)
        values.add(float(abs(space.monthly_rate - context.deal.monthly_budget)))
    return values


def _money_kind(sentence: str, position: int) -> str | None:
    """The kind of figure at `position`: a specific topic in its clause wins over rent words, nearest first."""
    start = max((m.end() for m in _CLAUSE.finditer(sentence, 0, position)), default=0)
    end = next((m.start() for m in _CLAUSE.finditer(sentence, position)), len(sentence))
    for scope, offset in ((sentence[start:end], position - start), (sentence, position)):
        for group in (_MONEY_KINDS[:3], _MONEY_KINDS[3:4], _MONEY_KINDS[4:]):
            hits = [(abs(m.start() - offset), kind) for kind, pattern in group for m in pattern.finditer(scope)]
            if hits:
                return min(hits)[1]
    return None


def _check_money(sentence: str, spaces: list[SpaceFacts], context: ReplyContext, fails: list[str]) -> None:
    for m in _MONEY.finditer(sentence):
        value = float(m.group(1).replace(",", "")) * (1000 if m.group(2) else 1)
        kind = _money_kind(sentence, m.start())
        if kind in ("parking", "deposit", "access", "rent"):
            allowed = set().union(*(_figures(s, kind) for s in spaces)) if spaces else set()
            if kind == "rent" and re.search(r"budget", sentence, _F):
                allowed.add(float(context.deal.monthly_budget))
            if value in allowed or (not allowed and value in _all_figures(context)):
                continue
            names = ", ".join(s.name for s in spaces) or "the linked spaces"
            known = ", ".join(f"${v:,.0f}" for v in sorted(allowed)) or "no figure"
            fails.append(f"Wrong figure: the draft says ${value:,.0f} ({kind}) for {names}, but the data says {known}.")
        elif value not in _all_figures(context):
            fails.append(f"Wrong figure: ${value:,.0f} does not match any price, cost or budget in the data.")


def _check_counts(sentence: str, spaces: list[SpaceFacts], fails: list[str]) -> None:
    spots = re.search(r"\b(\d+|no|one|two|three|four|five|six|seven|eight|nine|ten|twelve)\s+(parking\s+)?spots?\b"
                      r"(?:\s+(?:are|is))?\s+(available|free|open|left)", sentence, _F)
    if spots and spaces:
        claim = 0 if spots.group(1).lower() == "no" else claims.number(spots.group(1))
        actual = [s.detailed.parking.spots_available for s in spaces if s.detailed.parking]
        known = [a for a in actual if a is not None]
        if claim is not None and known and claim not in known:
            fails.append(f"Wrong count: the draft says {claim} parking spots are available at {spaces[0].name}, "
                         f"but the data says {known[0]}.")


def _check_slots(sentence: str, spaces: list[SpaceFacts], fails: list[str]) -> None:
    if not spaces or not _TOURISH.search(sentence):
        return
    free = {slot for s in spaces for slot in free_slots(s)}
    for clause in claims.clauses(sentence):
        if claims.NEGATION.search(clause) or re.search(r"\b(requested|asked|instead of)\b", clause, _F):
            continue  # "Tuesday at 3pm isn't open" names the refused slot
        slots = find_slots(clause)
        days = {s.weekday for s in slots}
        timed = [s for s in slots if s.minutes is not None]
        if len(days) == 1 and len(timed) < len(re.findall(r"\d(?::\d\d)?\s*(?:am|pm)\b", clause, _F)):
            day = next(iter(days))
            for t in re.finditer(r"\b(\d{1,2})(?::(\d{2}))?\s*(am|pm)\b", clause, _F):
                hour = int(t.group(1)) % 12 + (12 if t.group(3).lower() == "pm" else 0)
                timed.append(Slot(day, hour * 60 + int(t.group(2) or 0)))
        for slot in dict.fromkeys(timed):
            if slot not in free:
                names = " / ".join(s.name for s in spaces)
                fails.append(f"Wrong slot: {slot.label()} is not in {names}'s tour availability.")
        for day in days - {s.weekday for s in timed}:
            if not any(s.weekday == day for s in free):
                fails.append(f"Wrong day: {day.capitalize()} has no tour slots at {spaces[0].name}.")


def _unanswered(body: str, context: ReplyContext) -> list[str]:
    asked = detect(context.inbound.body, now=context.inbound.sent_at).questions
    missing = []
    for q in asked:
        if q.kind == "tour":
            ok = bool(TOPIC_PATTERNS["tour"].search(body) or find_slots(body) or "slot" in body.lower())
        elif q.kind == "price":
            rates = {float(s.monthly_rate) for s in context.spaces}
            amounts = {float(m.group(1).replace(",", "")) * (1000 if m.group(2) else 1) for m in _MONEY.finditer(body)}
            ok = bool(re.search(r"\b(rent|price|pricing|rate)\b", body, _F) or amounts & rates)
        elif q.kind == "team_fit":
            ok = bool(re.search(r"\b(fit|desks?|seats?|people|capacity|team of)\b", body, _F))
        else:
            ok = bool(TOPIC_PATTERNS[q.kind].search(body))
        if not ok:
            missing.append(f"Unanswered: the seeker asked about {KIND_LABELS[q.kind]} (\"{q.text[:80]}\") and the "
                           "draft doesn't answer it.")
    return missing


def validate(body: str, context: ReplyContext, *, now: datetime | None = None) -> Validation:
    fails: list[str] = []
    warns: list[str] = []
    text = "\n".join(line for line in body.splitlines() if not line.lstrip().startswith(">"))
    default = target_spaces("", context.inbound.body, context)
    current: list[SpaceFacts] = default
    for sentence in (s.strip() for s in _SENT.split(text) if s.strip()):
        named = mentioned(sentence, context)
        spaces = named or current
        if named:
            current = named[-1:]
        _check_money(sentence, spaces, context, fails)
        _check_counts(sentence, spaces, fails)
        _check_slots(sentence, spaces, fails)
        for check in claims.CHECKS:
            for space in spaces:
                f, w = check(sentence, space)
                fails += f
                warns += w
        if re.search(r"\b\d{1,2}\s?% (off|discount)|\b(discount|free months?|rent[- ]free)\b", sentence, _F) and \
                not claims.NEGATION.search(sentence) and not re.search(r"\b(ask|check|pass)\b", sentence, _F):
            fails.append("The draft offers a discount or free rent that no data supports.")
    known_emails = {context.agent_email.lower(), context.deal.seeker_email.lower()}
    for address in _EMAIL.findall(text):
        if address.lower() not in known_emails:
            warns.append(f"The draft mentions an email address ({address}) that is not this deal's.")
    warns += _unanswered(text, context)
    status = "failed" if fails else ("warnings" if warns else "passed")
    issues = list(dict.fromkeys(fails + warns))
    return Validation.model_validate({"status": status, "issues": issues, "checkedAt": now or datetime.now(UTC)})


__all__ = ["validate", "WEEKDAYS"]
