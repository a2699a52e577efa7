"""Answers about the lease terms: price, what rent includes, team fit and move-in."""

from __future__ import annotations

import re

from echo_core.generation.answers import CONFIRM, Answer, access, dogs, meeting_rooms, money, parking, tour
from echo_core.generation.context import DealFacts
from echo_core.generation.questions import SeekerFacts

_INCLUSION_WORDS = {"utilities": "utilities", "internet": "internet", "janitorial": "janitorial",
                    "kitchen": "kitchen", "hvac": "HVAC"}


def inclusions(a: Answer, seeker: SeekerFacts, deal: DealFacts) -> None:
    s = a.space
    assert s is not None
    inc = s.detailed.rent_inclusions
    asked = list(a.question.inclusion_items)
    if inc is None:
        a.text, a.deferred = f"{CONFIRM} on exactly what the rent at {s.name} includes.", True
        return
    included, excluded, unknown = [], [], []
    for item in asked or ["utilities", "internet", "janitorial", "kitchen", "hvac"]:
        value = getattr(inc, item)
        if value is None:
            if asked:
                unknown.append(_INCLUSION_WORDS[item])
            continue
        a.use(f"rent includes {item}", f"detailed_amenities.rentInclusions.{item}", value)
        if value is False or (isinstance(value, str) and re.search(r"bring your own|not included|none", value, re.I)):
            excluded.append(_INCLUSION_WORDS[item])
        elif isinstance(value, str):
            label = {"internet": "internet", "janitorial": "cleaning", "kitchen": "a"}.get(item, item)
            included.append(f"{value} {label}" if item != "kitchen" else value)
        else:
            included.append(_INCLUSION_WORDS[item])
    parts = []
    if included:
        parts.append(f"the rent at {s.name} includes " + _join(included))
    if excluded:
        parts.append(_join(excluded) + (" is" if len(excluded) == 1 else " are") + f" not included at {s.name}")
    a.text = (parts[0][0].upper() + parts[0][1:] + ("; " + parts[1] if len(parts) > 1 else "") + ".") if parts else ""
    if unknown:
        a.text += f" {CONFIRM} about {_join(unknown)}."
        a.deferred = True


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def price(a: Answer, seeker: SeekerFacts, deal: DealFacts) -> None:
    s = a.space
    assert s is not None
    a.use("monthly rate", "monthly_rate", s.monthly_rate)
    a.text = f"{s.name} is {money(s.monthly_rate)} per month."
    if deal.monthly_budget and s.monthly_rate > deal.monthly_budget:
        a.use("monthly budget", "monthly_budget", deal.monthly_budget, deal=deal)
        over = s.monthly_rate - deal.monthly_budget
        a.text += (f" That's {money(over)} above your {money(deal.monthly_budget)} budget, so let me know if you'd "
                   "like me to look for options closer to it.")
        a.mismatches.append(f"{s.name} is {money(s.monthly_rate)}/month, over the {money(deal.monthly_budget)} "
                            "budget.")


def team_fit(a: Answer, seeker: SeekerFacts, deal: DealFacts) -> None:
    s = a.space
    assert s is not None
    team = seeker.team_size or deal.team_size
    capacity = next((s.extras[k] for k in ("capacity", "desks", "seats", "maxOccupancy") if k in s.extras), None)
    if isinstance(capacity, int | float):
        a.use("capacity", "detailed_amenities.capacity", capacity)
        fits = team <= capacity
        a.text = f"{s.name} holds up to {capacity:g} people, so " + \
            (f"your team of {team} fits." if fits else f"a team of {team} would not fit.")
        if not fits:
            a.mismatches.append(f"{s.name} holds {capacity:g} people, fewer than the team of {team}.")
        return
    a.text, a.deferred = f"{CONFIRM} on the exact desk count at {s.name} for a team of {team}.", True


def move_in(a: Answer, seeker: SeekerFacts, deal: DealFacts) -> None:
    s = a.space
    assert s is not None
    when = next((s.extras[k] for k in ("availableFrom", "moveInDate", "moveIn") if k in s.extras), None)
    if when:
        a.use("available from", "detailed_amenities.availableFrom", when)
        a.text = f"{s.name} is available to move in from {when}."
        return
    a.text, a.deferred = f"{CONFIRM} on the earliest move-in date at {s.name}.", True



HANDLERS = {"dogs": dogs, "parking": parking, "access": access, "meeting_rooms": meeting_rooms,
            "inclusions": inclusions, "price": price, "team_fit": team_fit, "move_in": move_in, "tour": tour}
