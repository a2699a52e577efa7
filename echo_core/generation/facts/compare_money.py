"""Money claims against the record: rent, parking per month or per day, card cost, pet deposit, and
reply-level figures (the deal's budget, differences and totals of the record's figures).
"""

from __future__ import annotations

import re
from itertools import combinations

from echo_core.generation.context import ReplyContext, SpaceFacts
from echo_core.generation.facts import lexicon as lx
from echo_core.generation.facts.findings import Finding, fail, per, usd, warn
from echo_core.generation.facts.money import amount
from echo_core.generation.facts.reading import Claim

_DA = "detailed_amenities"


def _same(claim: Claim, value: float) -> bool:
    tolerance = 0.05 * value if claim.approx else 0.005
    return abs(float(claim.value) - value) <= tolerance


def rent(claim: Claim, space: SpaceFacts, context: ReplyContext) -> Finding | None:
    rate = float(space.monthly_rate)
    said = f"{usd(claim.value)}{per(claim.period)}"
    if claim.period in (None, "month") and _same(claim, rate):
        return None
    if claim.period == "year" and _same(claim, 12 * rate):
        return None
    return fail(said, f"{usd(rate)} per month", "monthly_rate")


def parking(claim: Claim, space: SpaceFacts, context: ReplyContext) -> Finding | None:
    p = space.detailed.parking
    monthly = p.cost_monthly if p else None
    daily = p.cost_per_day if p else None
    said = f"{usd(claim.value)}{per(claim.period)}"
    if monthly is None and daily is None:
        if (p and p.type == "street-only") or space.amenities.get("parking") is False:
            return fail(said, "no paid parking (street parking only)" if p else "no parking", f"{_DA}.parking.type")
        return warn(said, f"{_DA}.parking.costMonthly")
    known = " and ".join(x for x in (f"{usd(monthly)} per month" if monthly is not None else "",
                                     f"{usd(daily)} per day" if daily is not None else "") if x)
    paths = ", ".join(x for x in (f"{_DA}.parking.costMonthly" if monthly is not None else "",
                                  f"{_DA}.parking.costPerDay" if daily is not None else "") if x)
    if claim.period == "day":
        ok = daily is not None and _same(claim, daily)
    elif claim.period in ("month", None, "card"):
        ok = (monthly is not None and _same(claim, monthly)) or (
            claim.period is None and daily is not None and _same(claim, daily))
    elif claim.period == "year":
        ok = monthly is not None and _same(claim, 12 * monthly)
    else:
        ok = False
    if not ok and claim.period is None and daily is None and monthly is not None and _same(claim, monthly):
        ok = True
    return None if ok else fail(said, known + (" (no daily rate)" if daily is None and claim.period == "day" else ""),
                                paths)


def card(claim: Claim, space: SpaceFacts, context: ReplyContext) -> Finding | None:
    acc = space.detailed.access
    per_card = acc.cost_per_card if acc else None
    cost = acc.cost if acc else None
    known, path = (per_card, "costPerCard") if per_card is not None else (cost, "cost")
    said = f"{usd(claim.value)}{per(claim.period)}"
    if known is None:
        return warn(said, f"{_DA}.access.costPerCard")
    if claim.period in (None, "card", "once") and _same(claim, known):
        return None
    return fail(said, f"{usd(known)} {'per card' if path == 'costPerCard' else 'one-time'}", f"{_DA}.access.{path}")


def deposit(claim: Claim, space: SpaceFacts, context: ReplyContext) -> Finding | None:
    policy = space.detailed.dog_policy
    said = f"a {usd(claim.value)} pet deposit{per(claim.period)}"
    if policy is None or (policy.deposit is None and policy.allowed):
        return warn(said, f"{_DA}.dogPolicy.deposit")
    if not policy.allowed:
        return fail(said, "dogs not allowed", f"{_DA}.dogPolicy.allowed")
    if claim.period in (None, "once", "card") and policy.deposit is not None and _same(claim, policy.deposit):
        return None
    return fail(said, f"a {usd(policy.deposit or 0)} deposit", f"{_DA}.dogPolicy.deposit")


_COUNT_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
                "a couple of": 2, "a pair of": 2}
_COUNTED = re.compile(r"\b(\d{1,2}|two|three|four|five|six|seven|eight|nine|ten|a couple of|a pair of)\s+"
                      r"(?:[a-z-]+\s+)?(spots?|spaces?|stalls?|cars?|vehicles?|cards?|key ?cards?|fobs?|badges?|people|"
                      r"persons|employees|staff|heads)\b", re.IGNORECASE)


def _counts(context: ReplyContext) -> set[int]:
    """The counts the seeker gave ("3 parking spots", "two cars", "key cards for 8 people") and the team size:
    the only multipliers a total may use, so a figure no count explains still fails."""
    said = {int(w) if w.isdigit() else _COUNT_WORDS[w.lower()] for w, _ in _COUNTED.findall(context.inbound.body)}
    return {n for n in said | {context.deal.team_size or 0} if 2 <= n <= 50}


def _per_unit(space: SpaceFacts, *, cards: bool = True) -> list[float]:
    """The monthly parking cost and the per-card cost: the figures a count multiplies."""
    d = space.detailed
    monthly = [d.parking.cost_monthly] if d.parking and d.parking.cost_monthly is not None else []
    cards_ = [d.access.cost_per_card] if cards and d.access and d.access.cost_per_card is not None else []
    return [float(v) for v in monthly + cards_]


def figures(space: SpaceFacts) -> list[float]:
    d = space.detailed
    values = [float(space.monthly_rate)]
    if d.parking:
        values += [v for v in (d.parking.cost_monthly, d.parking.cost_per_day) if v is not None]
    if d.access:
        values += [v for v in (d.access.cost_per_card, d.access.cost) if v is not None]
    if d.dog_policy and d.dog_policy.deposit is not None:
        values.append(d.dog_policy.deposit)
    return values


def reply_level(claim: Claim, context: ReplyContext) -> Finding | None:
    """Budget, differences and totals: derived from the deal and the record, never invented."""
    value = float(claim.value)
    budgets = {float(context.deal.monthly_budget)} | _inbound_figures(context)
    kind = claim.attribute.split(":", 1)[-1]
    if kind == "budget":
        if any(abs(value - b) < 0.5 for b in budgets):
            return None
        return fail(f"a {usd(value)} budget", f"a {usd(context.deal.monthly_budget)} budget", "deals.monthly_budget")
    allowed = _derivable(tuple(s.id for s in claim.spaces), context, budgets)
    if any(abs(value - a) < 0.5 or (claim.approx and abs(value - a) <= 0.05 * a) for a in allowed):
        return None
    what = {"gap": "difference", "total": "total"}.get(kind, "figure")
    return fail(f"{usd(value)}{per(claim.period)} as a {what}", "no such figure among rents, parking, card and "
                "deposit costs, the budget, or their sums and differences",
                "monthly_rate, detailed_amenities.*, deals.monthly_budget")


_DERIVED: dict[tuple[int, tuple[int, ...]], tuple[ReplyContext, set[float]]] = {}


def _derivable(ids: tuple[int, ...], context: ReplyContext, budgets: set[float]) -> set[float]:
    """Every figure, sum and difference a reply may state for these spaces (cached per context)."""
    key = (id(context), ids)
    if key in _DERIVED and _DERIVED[key][0] is context:
        return _DERIVED[key][1]
    spaces = [s for s in context.spaces if s.id in ids] or list(context.spaces)
    own = [f for s in spaces for f in figures(s)]
    every = [f for s in context.spaces for f in figures(s)] + sorted(budgets)
    gaps = {abs(a - b) for a, b in combinations(every, 2)}
    totals = {sum(c) for n in (2, 3) for c in combinations(own, n)} | {12 * f for f in own} | \
        {12 * sum(c) for c in combinations(own, 2)}
    # the rent plus several spots or cards ("$17,850 all in with 3 spots"), and those extras on their own
    counts = _counts(context)
    counted = {float(s.monthly_rate) + k * f for s in spaces for f in _per_unit(s, cards=False) for k in counts}
    totals |= counted | {k * f for s in spaces for f in _per_unit(s) for k in counts}
    # what the budget leaves after rent and an extra ("$225 after one parking spot"), or over it all in
    gaps |= {abs(b - t) for b in budgets for t in {sum(c) for n in (2, 3) for c in combinations(own, n)} | counted}
    if len(_DERIVED) > 256:
        _DERIVED.clear()
    _DERIVED[key] = (context, set(every) | gaps | totals)
    return _DERIVED[key][1]


def comparison(claim: Claim) -> Finding | None:
    """"A is cheaper than B": compare the two spaces' rent (or monthly parking) in the record."""
    first, second = claim.spaces
    topic = claim.attribute.split(":", 1)[1]

    def figure(space: SpaceFacts) -> float | None:
        if topic == "rent":
            return float(space.monthly_rate)
        p = space.detailed.parking
        return p.cost_monthly if p else None

    a, b = figure(first), figure(second)
    what = "rent" if topic == "rent" else "monthly parking"
    said = f"{first.name}'s {what} is {claim.value} than {second.name}'s"
    path = "monthly_rate" if topic == "rent" else f"{_DA}.parking.costMonthly"
    if a is None or b is None:
        return warn(said, path)
    right = (a < b) if claim.value == "lower" else (a > b)
    return None if right else fail(said, f"{usd(a)} at {first.name} and {usd(b)} at {second.name}", path)


def _inbound_figures(context: ReplyContext) -> set[float]:
    return {amount(m) for m in lx.MONEY.finditer(context.inbound.body)}


def card_free(claim: Claim, space: SpaceFacts, context: ReplyContext) -> Finding | None:
    acc = space.detailed.access
    known = (acc.cost_per_card if acc.cost_per_card is not None else acc.cost) if acc else None
    if known is None:
        return warn("key cards cost extra", f"{_DA}.access.costPerCard")
    return None if known > 0 else fail("key cards cost extra", "free ($0)", f"{_DA}.access.cost")


JUDGES = {"monthlyRate": rent, "access.free": card_free, "parking.cost": parking, "access.cost": card,
          "dogPolicy.deposit": deposit}
