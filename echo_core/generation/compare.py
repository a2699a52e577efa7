"""The comparison sentence for an ask across several spaces ("Which one has cheaper parking?").

Each space's own answer comes first; this adds the comparison itself, from the record only, and
says so plainly when the record can't settle it (different units, a missing figure).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from echo_core.generation.context import SpaceFacts
    from echo_core.generation.questions import Question

_FREQUENCY = (("nightly", 7), ("daily", 6), ("every day", 6), ("twice weekly", 3), ("twice a week", 3),
              ("weekly", 2), ("biweekly", 1), ("monthly", 0.5))


def _names(spaces: list[SpaceFacts]) -> str:
    names = [s.name for s in spaces]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


_NUMBERS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six"}


def _of(spaces: list[SpaceFacts]) -> str:
    return f"of the {_NUMBERS.get(len(spaces), str(len(spaces)))}"


def _rank(spaces: list[SpaceFacts], value: Callable[[SpaceFacts], Any], *, two: str, many: str, what: str,
          prefer_low: bool = False) -> str | None:
    """'A has more X than B' (two spaces) or 'A has the most X of the three'; None when any value is unknown."""
    values = [(value(s), s) for s in spaces]
    if any(v is None for v, _ in values):
        return None
    best = min(values, key=lambda p: p[0]) if prefer_low else max(values, key=lambda p: p[0])
    if all(v == best[0] for v, _ in values):
        return f"{_names(spaces)} are the same on {what}."
    if len(spaces) == 2:
        other = next(s for s in spaces if s is not best[1])
        return f"{best[1].name} {two} {other.name}."
    return f"{best[1].name} {many} {_of(spaces)}."


def price(spaces: list[SpaceFacts], ask: Question) -> str | None:
    return _rank(spaces, lambda s: s.monthly_rate, two="is less expensive than", many="is the least expensive",
                 what="rent", prefer_low=True)


def parking(spaces: list[SpaceFacts], ask: Question) -> str | None:
    def cost(s: SpaceFacts) -> tuple[str, float] | None:
        p = s.detailed.parking
        if p is None or p.type == "street-only":
            return None
        if p.cost_monthly is not None:
            return ("month", p.cost_monthly)
        if p.cost_per_day is not None:
            return ("day", p.cost_per_day)
        return None

    with_parking = [s for s in spaces if s.detailed.parking and s.detailed.parking.type
                    and s.detailed.parking.type != "street-only"]
    if not with_parking and all(s.detailed.parking for s in spaces):
        return f"Neither {_of(spaces)[3:]} has parking to rent, only the street."
    if len(with_parking) == 1 and all(s.detailed.parking for s in spaces):
        return f"Only {with_parking[0].name} has parking you can rent {_of(spaces)}."
    costs = {s.name: cost(s) for s in with_parking}
    if any(c is None for c in costs.values()) or len(with_parking) < len(spaces):
        return None
    periods = {c[0] for c in costs.values() if c}
    if len(periods) > 1:
        daily = [n for n, c in costs.items() if c and c[0] == "day"]
        monthly = [n for n, c in costs.items() if c and c[0] == "month"]
        return (f"Which is cheaper depends on how often you drive: {' and '.join(daily)} charges by the day, "
                f"{' and '.join(monthly)} by the month.")
    return _rank(with_parking, lambda s: costs[s.name][1] if costs[s.name] else None,  # type: ignore[index]
                 two="has cheaper parking than", many="has the cheapest parking", what="parking cost",
                 prefer_low=True)


def dogs(spaces: list[SpaceFacts], ask: Question) -> str | None:
    allowed = {s.name: (s.detailed.dog_policy.allowed if s.detailed.dog_policy else s.amenities.get("dogFriendly"))
               for s in spaces}
    if any(v is None for v in allowed.values()):
        return None
    yes = [n for n, v in allowed.items() if v]
    if not yes:
        return f"Neither {_of(spaces)[3:]} allows dogs."
    if len(yes) < len(spaces):
        return f"Only {' and '.join(yes)} {'allows' if len(yes) == 1 else 'allow'} dogs {_of(spaces)}."
    limits = [(_limit(s), s) for s in spaces]
    both = "Both allow dogs" if len(spaces) == 2 else "All of them allow dogs"
    if any(v is None for v, _ in limits):
        return f"{both}; the details for each are above."
    biggest = max(limits, key=lambda p: p[0])  # type: ignore[arg-type, return-value]
    if all(v == biggest[0] for v, _ in limits):
        return f"{both}, with the same size limit."
    return f"{both}; {biggest[1].name} takes the largest dogs {_of(spaces)}."


def _limit(space: SpaceFacts) -> float | None:
    policy = space.detailed.dog_policy
    if policy is None or not policy.size_limit:
        return None
    if re.search(r"any size|no limit", policy.size_limit, re.IGNORECASE):
        return float("inf")
    match = re.search(r"(\d+)", policy.size_limit)
    return float(match.group(1)) if match else None


def access(spaces: list[SpaceFacts], ask: Question) -> str | None:
    after = {s.name: (s.detailed.access.after_hours if s.detailed.access and s.detailed.access.after_hours is not None
                      else s.amenities.get("afterHours")) for s in spaces}
    if any(v is None for v in after.values()):
        return None
    yes = [n for n, v in after.items() if v]
    if len(yes) == len(spaces):
        return "Both have after-hours access." if len(spaces) == 2 else "All of them have after-hours access."
    if not yes:
        return f"Neither {_of(spaces)[3:]} has after-hours access."
    return f"Only {' and '.join(yes)} {'has' if len(yes) == 1 else 'have'} after-hours access {_of(spaces)}."


def meeting_rooms(spaces: list[SpaceFacts], ask: Question) -> str | None:
    return _rank(spaces, lambda s: s.detailed.meeting_rooms.count if s.detailed.meeting_rooms else None,
                 two="has more meeting rooms than", many="has the most meeting rooms", what="meeting rooms")


def _speed(space: SpaceFacts) -> float | None:
    inc = space.detailed.rent_inclusions
    match = re.search(r"(\d+(?:\.\d+)?)\s*(g|m)bps", (inc.internet or "") if inc else "", re.IGNORECASE)
    return float(match.group(1)) * (1000 if match.group(2).lower() == "g" else 1) if match else None


def _cleaning(space: SpaceFacts) -> float | None:
    inc = space.detailed.rent_inclusions
    text = (inc.janitorial or "").lower() if inc else ""
    return next((rank for word, rank in _FREQUENCY if word in text), None)


def _included(space: SpaceFacts) -> float | None:
    inc = space.detailed.rent_inclusions
    if inc is None:
        return None
    values = [inc.utilities, inc.internet, inc.janitorial, inc.hvac, inc.kitchen]
    return float(sum(1 for v in values if v and not (isinstance(v, str) and
                                                      re.search(r"bring your own|not included|none", v, re.I))))


def inclusions(spaces: list[SpaceFacts], ask: Question) -> str | None:
    if "internet" in ask.inclusion_items:
        return _rank(spaces, _speed, two="has faster internet than", many="has the fastest internet",
                     what="internet speed")
    if "janitorial" in ask.inclusion_items:
        return _rank(spaces, _cleaning, two="is cleaned more often than", many="is cleaned most often",
                     what="cleaning")
    if ask.inclusion_items:
        return None
    return _rank(spaces, _included, two="includes more in the rent than", many="includes the most in the rent",
                 what="what the rent includes")


def team_fit(spaces: list[SpaceFacts], ask: Question) -> str | None:
    def capacity(s: SpaceFacts) -> float | None:
        value = next((s.extras[k] for k in ("capacity", "desks", "seats", "maxOccupancy") if k in s.extras), None)
        return float(value) if isinstance(value, int | float) else None

    return _rank(spaces, capacity, two="holds more people than", many="holds the most people", what="capacity")


def move_in(spaces: list[SpaceFacts], ask: Question) -> str | None:
    def when(s: SpaceFacts) -> datetime | None:
        raw = next((s.extras[k] for k in ("availableFrom", "moveInDate", "moveIn") if k in s.extras), None)
        for fmt in ("%B %d, %Y", "%Y-%m-%d", "%b %d, %Y"):
            try:
                return datetime.strptime(str(raw), fmt)
            except ValueError:
                continue
        return None

    dates = {s.name: when(s) for s in spaces}
    if any(d is None for d in dates.values()):
        return None
    soonest = min(spaces, key=lambda s: dates[s.name])  # type: ignore[arg-type, return-value]
    return f"{soonest.name} is available sooner {_of(spaces)}."
