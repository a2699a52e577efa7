"""The true facts of one space (read from its raw record, not through the fact check), and the
operators that make exactly one of them wrong.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from typing import Any

from echo_core.evaluation.mutations.phrasing import clock

Values = dict[str, Any]


@dataclass(frozen=True)
class Fact:
    family: str
    values: Values = field(default_factory=dict)


@dataclass(frozen=True)
class Wrong:
    operator: str
    fact: Fact


def _minutes(text: str) -> int:
    m = re.fullmatch(r"(\d{1,2})(?::(\d\d))?(am|pm)", text)
    assert m is not None, text
    return (int(m.group(1)) % 12 + (12 if m.group(3) == "pm" else 0)) * 60 + int(m.group(2) or 0)


def _system(text: str) -> str | None:
    t = text.lower()
    if "card" in t or "fob" in t or "badge" in t:
        return "card"
    if "smart" in t or "latch" in t:
        return "smart lock"
    if "front desk" in t:
        return "front desk"
    if "keypad" in t or "code" in t:
        return "keypad"
    return None


_CACHE: dict[tuple[int, str], list[Fact]] = {}


def facts_of(space: dict[str, Any]) -> list[Fact]:
    key = (int(space["id"]), str(space["name"]))
    if key not in _CACHE:
        _CACHE[key] = _facts_of(space)
    return _CACHE[key]


def _facts_of(space: dict[str, Any]) -> list[Fact]:
    d = space.get("detailed_amenities") or {}
    out = [Fact("rent", {"amount": space["monthly_rate"], "period": "month"})]
    p = d.get("parking")
    if p:
        kind = {"building-garage": "building", "off-site": "off-site", "street-only": "street"}.get(p.get("type", ""))
        if kind:
            out.append(Fact("parking_kind", {"kind": kind, "location": p.get("location")}))
        for key, per in (("costMonthly", "month"), ("costPerDay", "day")):
            if p.get(key) is not None:
                out.append(Fact("parking_cost", {"amount": p[key], "period": per}))
        if p.get("spotsAvailable") is not None:
            out.append(Fact("parking_spots", {"n": p["spotsAvailable"]}))
    a = d.get("access") or {}
    system = _system(a.get("system", ""))
    if system:
        out.append(Fact("access_system", {"system": system}))
    if a.get("costPerCard") is not None:
        noun = "key fobs" if "fob" in a.get("system", "").lower() else "key cards"
        out.append(Fact("card_cost", {"amount": a["costPerCard"], "noun": noun, "free": a["costPerCard"] == 0}))
    hours = a.get("hours", "")
    m = re.fullmatch(r"(\d{1,2})am-(\d{1,2})pm weekdays", hours)
    if hours == "24/7":
        out.append(Fact("access_hours", {"always": True}))
    elif m:
        out.append(Fact("access_hours", {"always": False, "opens": int(m.group(1)) * 60,
                                         "closes": (int(m.group(2)) + 12) * 60}))
    notice = a.get("advanceNotice", "")
    n = re.match(r"(\d+) business days?", notice)
    if n or notice == "same day":
        out.append(Fact("access_notice", {"days": int(n.group(1)) if n else 0}))
    dogs = d.get("dogPolicy")
    if dogs:
        out.append(Fact("dogs_allowed", {"allowed": dogs["allowed"]}))
        if dogs.get("deposit") is not None and dogs["allowed"]:
            out.append(Fact("dog_deposit", {"amount": dogs["deposit"]}))
        limit = dogs.get("sizeLimit")
        if limit and dogs["allowed"]:
            lbs = re.search(r"(\d+)\s*lbs", limit)
            if lbs or limit == "any size":
                out.append(Fact("dog_size", {"lbs": int(lbs.group(1)) if lbs else None}))
    rooms = d.get("meetingRooms")
    if rooms:
        out.append(Fact("meeting_count", {"n": rooms["count"]}))
        if rooms.get("sizes"):
            out.append(Fact("meeting_sizes", {"sizes": list(rooms["sizes"])}))
    inc = d.get("rentInclusions") or {}
    for item in ("utilities", "hvac"):
        if isinstance(inc.get(item), bool):
            out.append(Fact("inclusions", {"item": item, "included": inc[item]}))
    internet = inc.get("internet")
    if internet:
        out.append(Fact("inclusions", {"item": "internet", "included": internet != "bring your own"}))
        speed = re.match(r"(\d+) (G|M)bps", internet)
        if speed:
            out.append(Fact("internet_speed", {"mbps": int(speed.group(1)) * (1000 if speed.group(2) == "G" else 1)}))
    if inc.get("janitorial"):
        out.append(Fact("janitorial", {"freq": inc["janitorial"]}))
    if inc.get("kitchen"):
        out.append(Fact("kitchen", {"kind": inc["kitchen"]}))
    for day_, times in (space.get("availability") or {}).items():
        for t in times:
            out.append(Fact("tour", {"day": day_, "time": t}))
    for key, value in (space.get("amenities") or {}).items():
        if value and key in _FLAG_WORDS:
            out.append(Fact("amenities", {"thing": _FLAG_WORDS[key], "key": key}))
    return out


_FLAG_WORDS = {"showers": "showers", "bikeStorage": "bike storage", "rooftopDeck": "a rooftop deck",
               "phoneBooths": "phone booths", "gym": "a gym", "mailHandling": "mail handling"}
_INVENTED = ("a rooftop deck", "a gym", "showers", "bike storage", "phone booths", "a lounge", "EV charging",
             "a mail room", "lockers", "a wellness room", "a podcast studio", "an outdoor patio", "a game room",
             "a nap room", "a yoga studio", "a roof terrace", "concierge service", "a bike room", "a cafe")
_FREQS = ("nightly", "daily", "weekly", "twice a week", "every other week")
_SAME_FREQ = {"nightly": "daily", "daily": "daily", "weekly": "weekly", "twice a week": "twice", "every other week":
              "biweekly"}
_KITCHENS = ("full kitchen", "shared kitchen", "kitchenette", "private kitchen")


def _shift(rng: random.Random, value: float, *, step: float, floor: float = 0) -> float:
    while True:
        delta = max(step, round(value * rng.uniform(0.04, 0.3) / step) * step)
        shifted = value + delta if rng.random() < 0.5 or value - delta < floor else value - delta
        if shifted != value and shifted >= floor:
            return shifted


def wrongs(fact: Fact, space: dict[str, Any], others: list[dict[str, Any]], rng: random.Random) -> list[Wrong]:
    """Each way to make this one fact wrong (the record of `space` must contradict every result)."""
    v, f = fact.values, fact.family
    out: list[Wrong] = []
    same = [o for other in others for o in facts_of(other) if o.family == f]

    def add(operator: str, **changes: Any) -> None:
        out.append(Wrong(operator, Fact(f, {**v, **changes})))

    if f in ("rent", "parking_cost", "card_cost", "dog_deposit") and not v.get("free"):
        step = 100 if f == "rent" else 5 if v["amount"] >= 50 else 1
        if v["amount"] > 0:
            add("shift number", amount=_shift(rng, v["amount"], step=step, floor=1))
        swaps = [o.values["amount"] for o in same if o.values["amount"] != v["amount"] and
                 o.values.get("period", "month") == v.get("period", "month")]
        if swaps:
            add("swap with another space", amount=rng.choice(swaps))
    if f == "rent":
        add("wrong period", period=rng.choice(("day", "year", "week")))
    if f == "parking_cost":
        if v["amount"] > 0:
            add("flip free/charged", free=True)
        other_period = "day" if v["period"] == "month" else "month"
        if not any(x.family == "parking_cost" and x.values["period"] == other_period and
                   x.values["amount"] == v["amount"] for x in facts_of(space)):
            add("wrong period", period=other_period)
    if f == "card_cost":
        if v["amount"] > 0:
            add("flip free/charged", free=True)
            add("wrong period", period="month")
        else:
            add("flip free/charged", free=False, amount=rng.choice((15, 20, 25, 40)))
    if f == "dog_deposit":
        add("flip free/charged", amount=0 if v["amount"] else rng.choice((250, 300, 500)))
    if f == "parking_kind":
        add("swap kind", kind=rng.choice([k for k in ("building", "off-site", "street") if k != v["kind"]]),
            location=None)
    if f in ("parking_spots", "meeting_count"):
        add("shift number", n=max(0, v["n"] + rng.choice((-2, -1, 1, 2, 3))) if v["n"] > 1 else v["n"] + rng.choice(
            (1, 2, 3)))
        if v["n"] > 0:
            add("flip none/some", n=0)
    if f == "access_hours":
        if v["always"]:
            add("flip 24/7", always=False, opens=rng.choice((7, 8, 9)) * 60, closes=rng.choice((18, 19, 20)) * 60)
        else:
            add("flip 24/7", always=True)
            add("shift number", closes=v["closes"] + rng.choice((-120, -60, 60, 120, 180)))
    if f == "access_notice":
        add("shift number", days=rng.choice([d for d in (0, 1, 2, 3, 5, 7) if d != v["days"]]))
    if f == "access_system":
        add("swap kind", system=rng.choice([s for s in ("card", "smart lock", "front desk", "keypad")
                                            if s != v["system"]]))
    if f == "dogs_allowed":
        add("flip yes/no", allowed=not v["allowed"])
    if f == "dog_size":
        if v["lbs"] is None:
            add("shift number", lbs=rng.choice((20, 30, 40, 50)))
        else:
            add("shift number", lbs=v["lbs"] + rng.choice((-15, -10, -5, 5, 10, 20)))
            add("flip none/some", lbs=None)
    if f == "meeting_sizes":
        sizes = list(v["sizes"])
        i = sizes.index(max(sizes))  # change the largest, so "the largest seats N" is wrong too
        sizes[i] = rng.choice([n for n in (3, 5, 7, 9, 11, 15, 18, 22, 25, 40) if n not in v["sizes"] and
                               (len(sizes) == 1 or n != max(sizes[:i] + sizes[i + 1:]))])
        add("shift number", sizes=sizes)
    if f == "inclusions":
        add("flip included", included=not v["included"])
    if f == "janitorial":
        add("swap frequency", freq=rng.choice([x for x in _FREQS if _SAME_FREQ[x] != _SAME_FREQ[v["freq"]]]))
    if f == "kitchen":
        add("swap kind", kind=rng.choice([k for k in _KITCHENS if not _kitchen_fits(k, v["kind"])]))
    if f == "internet_speed":
        add("shift number", mbps=rng.choice([x for x in (100, 200, 300, 500, 1000, 2000, 10000) if x != v["mbps"]]))
    if f == "tour":
        taken = set((space.get("availability") or {}).get(v["day"], []))
        free_times = [clock(m) for m in range(9 * 60, 18 * 60, 30) if clock(m) not in taken]
        add("move slot", time=rng.choice(free_times))
        empty = [d for d in ("monday", "tuesday", "wednesday", "thursday", "friday")
                 if not (space.get("availability") or {}).get(d)]
        if empty:
            add("move slot", day=rng.choice(empty))
    return out


def _kitchen_fits(candidate: str, actual: str) -> bool:
    """Whether `candidate` is a fair description of `actual` (then it isn't a wrong variant)."""
    a = actual.lower()
    c = candidate.lower()
    for word in ("shared", "private"):
        if word in c and word not in a:
            return False
    if "kitchenette" in c and "kitchenette" not in a:
        return False
    return not (c.startswith("full") and "kitchenette" in a)


_SAME_THING = {"mailhandling": ("a mail room",), "bikestorage": ("a bike room",), "rooftopdeck": ("a roof terrace",)}


def invented(space: dict[str, Any], rng: random.Random) -> Fact:
    have = {k.lower() for k, v in (space.get("amenities") or {}).items()}
    have |= {re.sub(r"^(a|an) |\W", "", t.lower()) for k in list(have) for t in _SAME_THING.get(k, ())}
    choices = [t for t in _INVENTED if re.sub(r"^(a|an) |\W", "", t.lower()) not in have and
               re.sub(r"\W", "", t.lower()) not in have]
    return Fact("amenities", {"thing": rng.choice(choices)})
