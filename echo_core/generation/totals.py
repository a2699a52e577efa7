"""The total monthly cost of a space: the rent plus what the seeker says they need on top (parking spots).

"What would the all-in monthly cost be if we need 3 parking spots?" wants one figure: the rent plus
three spots. Only monthly charges go into the figure; one-off costs (key cards, a pet deposit) and
per-day parking are named beside it, never folded in, and nothing the record lacks is guessed.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from echo_core.generation.answers import CONFIRM, Answer, money
from echo_core.generation.counts import WORDS, spots_asked
from echo_core.generation.terms import ITEMS, is_excluded, join, phrase

if TYPE_CHECKING:
    from echo_core.generation.context import DealFacts, SpaceFacts
    from echo_core.generation.questions import Question, SeekerFacts

_F = re.IGNORECASE
_PARKING = re.compile(r"\b(park(ing)?|garage|cars?|vehicles?|spots?)\b", _F)
_CARDS = re.compile(r"\b(key ?cards?|keycards?|fobs?|badges?|access)\b", _F)
_DEPOSIT = re.compile(r"\b(deposit|dogs?|pets?)\b", _F)
# Grounds for the ask: how seekers say "one figure for everything" about money.
TOPIC = (r"\ball[- ]in\s+(monthly\s+|per[- ]month\s+)?(cost|price|rent|rate|figure|number|total|amount|spend|monthly|"
         r"occupancy)|(cost|price|pay|paying|spend|come to|comes to|run us|look like|be|cheaper|cheapest|"
         r"less expensive|more expensive|pricier|priciest)\b.{0,25}\ball[- ]in\b|"
         r"\btotal(\s+(monthly|per[- ]month|all[- ]in))?\s+(cost|costs|price|spend|outlay|bill|rent|amount|figure|"
         r"monthly|per month|occupancy)|\b(cost|costs|price|pay|paying|spend|come to|run|be|much)\b.{0,40}"
         r"\b(in total|total|altogether|all told|combined|all together|all up|in all)\b|"
         r"\b(in total|altogether|all told|combined)\b.{0,30}\b(cost|price|pay|spend|much|per month|monthly)")


def total_cost(a: Answer, seeker: SeekerFacts, deal: DealFacts) -> None:
    s = a.space
    assert s is not None
    text = a.question.sentence or a.question.text
    a.use("monthly rate", "monthly_rate", s.monthly_rate)
    wants_parking = bool(_PARKING.search(text))
    count = spots_asked(text) or (1 if wants_parking else 0)
    p = s.detailed.parking
    total = float(s.monthly_rate)
    pieces = [f"the {money(s.monthly_rate)} rent"]
    aside: list[str] = []
    if count and p is not None and p.cost_monthly is not None:
        a.use("parking cost per month", "detailed_amenities.parking.costMonthly", p.cost_monthly)
        total += count * p.cost_monthly
        spots = f"{WORDS.get(count, str(count))} parking spot{'s' if count != 1 else ''}"
        pieces.append(f"{spots} at {money(p.cost_monthly)} a month" + (" each" if count != 1 else ""))
    elif count and p is not None and p.cost_per_day is not None:
        a.use("parking cost per day", "detailed_amenities.parking.costPerDay", p.cost_per_day)
        aside.append(f"parking is charged by the day ({money(p.cost_per_day)} per car per day), so it comes on top "
                     "depending on how often you drive in")
    elif count and (p is None or p.type == "street-only" or s.amenities.get("parking") is False):
        aside.append(f"{s.name} has no parking to rent" + (" (street parking only)" if p and p.type else ""))
    elif count:
        a.defer(f"{CONFIRM} on the cost of parking at {s.name}, which comes on top of the rent.")
    if len(pieces) > 1:
        a.say(f"All in, {s.name} comes to {money(total)} per month: " + " plus ".join(pieces) + ".")
    else:
        whole = not a.deferred and not aside
        a.say(f"The rent at {s.name} is {money(s.monthly_rate)} per month" +
              (", and that is the whole monthly figure." if whole else "."))
    inc = s.detailed.rent_inclusions
    if inc is not None:
        items = [phrase(i, getattr(inc, i)) for i in ITEMS
                 if getattr(inc, i) is not None and not is_excluded(getattr(inc, i))]
        if items:
            a.use("rent inclusions", "detailed_amenities.rentInclusions", "listed")
            a.say(f"The rent already includes {join(items)}.", facet="detail")
    # (how many spots are free, against how many they need, is the parking answer's caveat beside this one)
    acc = s.detailed.access
    card = acc.cost_per_card if acc and acc.cost_per_card is not None else None
    if card and _CARDS.search(text):
        a.use("access cost", "detailed_amenities.access.costPerCard", card)
        aside.append(f"key cards are {money(card)} each")
    policy = s.detailed.dog_policy
    if policy and policy.allowed and policy.deposit and (seeker.has_dog or _DEPOSIT.search(text)):
        a.use("pet deposit", "detailed_amenities.dogPolicy.deposit", policy.deposit)
        aside.append(f"there's a {money(policy.deposit)} pet deposit")
    if aside:
        line = "; ".join(aside)
        a.say(f"Not in that monthly figure: {line}.", caveat=True)
    if deal.monthly_budget and total > deal.monthly_budget:
        a.use("monthly budget", "monthly_budget", deal.monthly_budget, deal=deal)
        a.say(f"That's {money(total - deal.monthly_budget)} above your {money(deal.monthly_budget)} budget.",
              caveat=True)
        a.mismatches.append(f"{s.name} comes to {money(total)}/month all in, over the {money(deal.monthly_budget)} "
                            "budget.")


def monthly_total(space: SpaceFacts, text: str) -> float | None:
    """The rent plus the asked parking spots, per month; None when the record can't give one figure."""
    count = spots_asked(text) or (1 if _PARKING.search(text) else 0)
    if not count:
        return float(space.monthly_rate)
    p = space.detailed.parking
    if p is None or p.cost_monthly is None:
        return None
    return float(space.monthly_rate) + count * p.cost_monthly


def compare(spaces: list[SpaceFacts], ask: Question) -> str | None:
    """'Which one is cheaper all in?': the spaces' monthly totals, lowest first."""
    totals = [(monthly_total(s, ask.sentence or ask.text), s) for s in spaces]
    known = sorted(((t, s) for t, s in totals if t is not None), key=lambda pair: pair[0])
    by_day = [s for t, s in totals if t is None]
    if by_day and known and all(s.monthly_rate < known[0][0] for s in by_day):
        # parking by the day can't join a monthly figure, but the rent alone may already settle it
        cheap = by_day[0]
        return (f"{cheap.name} is the less expensive: its rent of {money(cheap.monthly_rate)} a month is already "
                f"below {known[0][1].name}'s all-in figure, before its own day-rate parking is added."
                ) if len(by_day) == 1 else None
    if by_day or len(known) < 2:
        return None
    listed = ", ".join(f"{s.name} {money(t)}" for t, s in known)
    which = "less" if len(known) == 2 else "least"
    return f"All in per month, {known[0][1].name} is the {which} expensive ({listed})."
