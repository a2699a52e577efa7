"""Answers about the lease terms: price, what rent includes, team fit and move-in."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from echo_core.generation.answers import CONFIRM, Answer, money

if TYPE_CHECKING:
    from echo_core.generation.context import DealFacts
    from echo_core.generation.questions import SeekerFacts

ITEMS = ("utilities", "internet", "janitorial", "kitchen", "hvac")
_WORDS = {"utilities": "utilities", "internet": "internet", "janitorial": "cleaning", "kitchen": "a kitchen",
          "hvac": "HVAC"}


def is_excluded(value: object) -> bool:
    return value is False or (isinstance(value, str) and bool(re.search(r"bring your own|not included|none", value,
                                                                          re.IGNORECASE)))


def phrase(item: str, value: object) -> str:
    """How an included item reads: '1 Gbps fiber internet', 'weekly cleaning', 'a shared kitchen', 'HVAC'."""
    if not isinstance(value, str):
        return _WORDS[item]
    if item == "kitchen":
        return value if re.match(r"(a|an|the|two|three|four|\d)\b", value, re.IGNORECASE) or \
            value.endswith("s") else f"a {value}"
    return f"{value} {'internet' if item == 'internet' else 'cleaning' if item == 'janitorial' else item}"


def inclusions(a: Answer, seeker: SeekerFacts, deal: DealFacts) -> None:
    s = a.space
    assert s is not None
    inc = s.detailed.rent_inclusions
    asked = [i for i in a.question.inclusion_items if i in ITEMS]
    # Items the record has no field for ("is coffee included?") are deferred by name.
    others = [i for i in a.question.inclusion_items if i not in ITEMS]
    if inc is None:
        named = [_WORDS[i].removeprefix("a ") for i in asked] + others
        a.defer(f"{CONFIRM} about {join(named)} at {s.name}." if named else
                f"{CONFIRM} on exactly what the rent at {s.name} includes.")
        return
    included: list[str] = []
    excluded: list[str] = []
    unknown: list[str] = []
    for item in asked or ([] if others else list(ITEMS)):
        value = getattr(inc, item)
        if value is None:
            if asked:
                unknown.append(_WORDS[item].removeprefix("a "))
            continue
        a.use(f"rent includes {item}", f"detailed_amenities.rentInclusions.{item}", value)
        (excluded if is_excluded(value) else included).append(
            _WORDS[item].removeprefix("a ") if is_excluded(value) else phrase(item, value))
    parts = []
    if included:
        parts.append(f"the rent at {s.name} includes " + join(included))
    if excluded:
        parts.append(join(excluded) + (" is" if len(excluded) == 1 else " are") + f" not included at {s.name}")
    if parts:
        a.say(parts[0][0].upper() + parts[0][1:] + ("; " + parts[1] if len(parts) > 1 else "") + ".")
    if unknown:
        a.defer(f"{CONFIRM} about {join(unknown)} at {s.name}.")
    elif not parts and not others:
        a.defer(f"{CONFIRM} on exactly what the rent at {s.name} includes.")
    if others:
        a.defer(f"{CONFIRM} whether {join(others)} {'is' if len(others) == 1 else 'are'} included at {s.name}.")


def join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def price(a: Answer, seeker: SeekerFacts, deal: DealFacts) -> None:
    s = a.space
    assert s is not None
    a.use("monthly rate", "monthly_rate", s.monthly_rate)
    a.say(f"{s.name} is {money(s.monthly_rate)} per month.")
    if deal.monthly_budget and s.monthly_rate > deal.monthly_budget:
        a.use("monthly budget", "monthly_budget", deal.monthly_budget, deal=deal)
        over = s.monthly_rate - deal.monthly_budget
        a.say(f"That's {money(over)} above your {money(deal.monthly_budget)} budget, so let me know if you'd like me "
              "to look for options closer to it.", caveat=True)
        a.mismatches.append(f"{s.name} is {money(s.monthly_rate)}/month, over the {money(deal.monthly_budget)} "
                            "budget.")
    if "negotiable" in a.question.facets:  # the record holds the asking rent, never the host's flexibility
        a.defer(f"{CONFIRM} whether there's any room to negotiate on the rent at {s.name}.")


def team_fit(a: Answer, seeker: SeekerFacts, deal: DealFacts) -> None:
    s = a.space
    assert s is not None
    team = seeker.team_size or deal.team_size
    capacity = next((s.extras[k] for k in ("capacity", "desks", "seats", "maxOccupancy") if k in s.extras), None)
    if isinstance(capacity, int | float):
        a.use("capacity", "detailed_amenities.capacity", capacity)
        fits = team <= capacity
        a.say(f"{s.name} holds up to {capacity:g} people, so "
              + (f"your team of {team} fits." if fits else f"a team of {team} would not fit."))
        if not fits:
            a.mismatches.append(f"{s.name} holds {capacity:g} people, fewer than the team of {team}.")
        return
    a.defer(f"{CONFIRM} on the exact desk count at {s.name} for a team of {team}.")


def move_in(a: Answer, seeker: SeekerFacts, deal: DealFacts) -> None:
    s = a.space
    assert s is not None
    when = next((s.extras[k] for k in ("availableFrom", "moveInDate", "moveIn") if k in s.extras), None)
    if when:
        a.use("available from", "detailed_amenities.availableFrom", when)
        a.say(f"{s.name} is available to move in from {when}.")
        return
    a.defer(f"{CONFIRM} on the earliest move-in date at {s.name}.")
