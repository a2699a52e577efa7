"""One answer per question kind, from one space's data, with the fields it came from.

Each function returns an `Answer`; where the data has no answer the text says
"I'll confirm with the host" and `deferred` is set.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from echo_core.generation.context import DealFacts, SpaceFacts
from echo_core.generation.questions import Question, SeekerFacts
from echo_core.generation.tours import tour_answer

CONFIRM = "I'll confirm with the host"


def money(value: float) -> str:
    return f"${value:,.0f}" if float(value).is_integer() else f"${value:,.2f}"


@dataclass
class Answer:
    kind: str
    question: Question
    space: SpaceFacts | None
    text: str = ""
    deferred: bool = False
    data: list[dict[str, Any]] = field(default_factory=list)
    mismatches: list[str] = field(default_factory=list)
    scheduling: list[str] = field(default_factory=list)

    def use(self, point: str, path: str, value: Any, *, deal: DealFacts | None = None) -> None:
        if deal is not None:
            self.data.append({"dataPoint": point, "sourceType": "deal", "sourceId": deal.id, "fieldPath": path,
                              "value": value})
        elif self.space is not None:
            self.data.append({"dataPoint": point, "sourceType": "space", "sourceId": self.space.id,
                              "fieldPath": path, "value": value})


def _size_limit_lbs(limit: str | None) -> int | None:
    match = re.search(r"(\d+)\s*(lbs?|pounds)", limit or "", re.IGNORECASE)
    return int(match.group(1)) if match else None


def dogs(a: Answer, seeker: SeekerFacts, deal: DealFacts) -> None:
    s = a.space
    assert s is not None
    policy = s.detailed.dog_policy
    if policy is None:
        if "dogFriendly" in s.amenities:
            a.use("dog friendly", "amenities.dogFriendly", s.amenities["dogFriendly"])
            a.text = (f"{s.name} is listed as dog friendly" if s.amenities["dogFriendly"]
                      else f"{s.name} is listed as not allowing dogs") + \
                f"; {CONFIRM} on the details of the pet policy."
        else:
            a.text, a.deferred = f"{CONFIRM} on whether dogs are allowed at {s.name}.", True
        return
    a.use("dogs allowed", "detailed_amenities.dogPolicy.allowed", policy.allowed)
    if not policy.allowed:
        why = f" ({policy.reason.rstrip('.')})" if policy.reason else ""
        a.text = f"Unfortunately {s.name} doesn't allow dogs{why}."
        if policy.flexibility:
            a.use("dog flexibility", "detailed_amenities.dogPolicy.flexibility", policy.flexibility)
            a.text += f" That said, {policy.flexibility[0].lower()}{policy.flexibility[1:].rstrip('.')}."
        if policy.alternative:
            a.use("dog alternative", "detailed_amenities.dogPolicy.alternative", policy.alternative)
            a.text += f" One option: {policy.alternative[0].lower()}{policy.alternative[1:].rstrip('.')}."
        if seeker.has_dog or deal.requirements.get("dogFriendly"):
            a.mismatches.append(f"Dogs are not allowed at {s.name}, but the team has a dog / needs a dog-friendly "
                                "office.")
        return
    a.text = f"Good news: {s.name} is dog friendly"
    if policy.size_limit:
        a.use("dog size limit", "detailed_amenities.dogPolicy.sizeLimit", policy.size_limit)
        a.text += f" for dogs {policy.size_limit}"
        limit = _size_limit_lbs(policy.size_limit)
        if limit is not None and seeker.dog_weight_lbs is not None and seeker.dog_weight_lbs > limit:
            a.mismatches.append(f"The seeker's {seeker.dog_weight_lbs} lb dog is over {s.name}'s limit "
                                f"({policy.size_limit}).")
            a.text += (f", so a {seeker.dog_weight_lbs} lb dog would be over the limit — I'm happy to ask the host "
                       "whether they'd make an exception")
    a.text += "."
    if policy.deposit is not None:
        a.use("pet deposit", "detailed_amenities.dogPolicy.deposit", policy.deposit)
        a.text += (" There's no pet deposit." if policy.deposit == 0
                   else f" There's a {money(policy.deposit)} pet deposit.")
    elif a.question.asks_deposit:
        a.text += f" {CONFIRM} whether there's a pet deposit."
        a.deferred = True
    if policy.note:
        a.use("dog note", "detailed_amenities.dogPolicy.note", policy.note)
        a.text += f" {policy.note.rstrip('.')}."


_PARKING_TYPES = {"off-site": "off-site parking", "building-garage": "parking in the building's garage",
                  "street-only": "street parking only", "on-site": "on-site parking", "lot": "a parking lot"}


def parking(a: Answer, seeker: SeekerFacts, deal: DealFacts) -> None:
    s = a.space
    assert s is not None
    p = s.detailed.parking
    needs = bool(deal.requirements.get("parking"))
    if p is None or not p.type:
        if s.amenities.get("parking") is False:
            a.use("parking", "amenities.parking", False)
            a.text = f"{s.name} doesn't come with parking."
            if needs:
                a.mismatches.append(f"{s.name} has no parking, and parking is one of the team's requirements.")
        else:
            a.text, a.deferred = f"{CONFIRM} on parking options at {s.name}.", True
        return
    a.use("parking type", "detailed_amenities.parking.type", p.type)
    kind = _PARKING_TYPES.get(p.type, f"{p.type} parking")
    if p.type == "street-only":
        a.text = f"{s.name} has {kind}" + (f" ({p.note.rstrip('.').lower()})" if p.note else "") + "."
        if p.note:
            a.use("parking note", "detailed_amenities.parking.note", p.note)
        if needs:
            a.mismatches.append(f"{s.name} only has street parking, and the team needs parking.")
        return
    where = f" at the {p.location}" if p.location and not p.location.lower().startswith("the ") else \
        (f" at {p.location}" if p.location else "")
    if p.location:
        a.use("parking location", "detailed_amenities.parking.location", p.location)
    a.text = f"{s.name} has {kind}{where}"
    costs = []
    if p.cost_monthly is not None:
        a.use("parking cost per month", "detailed_amenities.parking.costMonthly", p.cost_monthly)
        costs.append(f"{money(p.cost_monthly)} per month")
    if p.cost_per_day is not None:
        a.use("parking cost per day", "detailed_amenities.parking.costPerDay", p.cost_per_day)
        costs.append(f"{money(p.cost_per_day)} per day")
    a.text += (", at " + " or ".join(costs) + " per spot" if costs else "") + "."
    if not costs and a.question.asks_cost:
        a.text += f" {CONFIRM} on the cost."
        a.deferred = True
    if p.spots_available is not None:
        a.use("parking spots available", "detailed_amenities.parking.spotsAvailable", p.spots_available)
        if p.spots_available == 0:
            a.text += " Right now there are no spots available"
            a.text += f" ({p.note.rstrip('.').lower()})." if p.note else "."
            if needs:
                a.mismatches.append(f"{s.name}'s parking is full right now, and the team needs parking.")
        else:
            a.text += f" {p.spots_available} spot{'s are' if p.spots_available != 1 else ' is'} available right now."
    elif a.question.asks_count:
        a.text += f" {CONFIRM} how many spots are free."
        a.deferred = True
    if p.note and p.spots_available != 0:
        a.use("parking note", "detailed_amenities.parking.note", p.note)
        a.text += f" {p.note.rstrip('.')}."


def access(a: Answer, seeker: SeekerFacts, deal: DealFacts) -> None:
    s = a.space
    assert s is not None
    acc = s.detailed.access
    after = acc.after_hours if acc and acc.after_hours is not None else s.amenities.get("afterHours")
    if acc is None and after is None:
        a.text, a.deferred = f"{CONFIRM} on after-hours access at {s.name}.", True
        return
    if acc and acc.after_hours is not None:
        a.use("after-hours access", "detailed_amenities.access.afterHours", acc.after_hours)
    else:
        a.use("after-hours access", "amenities.afterHours", after)
    if after:
        hours = f" ({acc.hours})" if acc and acc.hours else ""
        a.text = f"{s.name} has after-hours access{hours}"
    else:
        hours = f" — the building is open {acc.hours}" if acc and acc.hours else ""
        a.text = f"{s.name} doesn't offer after-hours access{hours}"
        if deal.requirements.get("afterHours"):
            a.mismatches.append(f"{s.name} has no after-hours access, and the team needs to work late.")
    if acc and acc.hours:
        a.use("access hours", "detailed_amenities.access.hours", acc.hours)
    if acc and acc.system:
        a.use("access system", "detailed_amenities.access.system", acc.system)
        a.text += f"; entry is by {acc.system[0].lower()}{acc.system[1:]}"
    a.text += "."
    card_cost = acc.cost_per_card if acc and acc.cost_per_card is not None else (acc.cost if acc else None)
    if card_cost is not None:
        path = "costPerCard" if acc and acc.cost_per_card is not None else "cost"
        a.use("access cost", f"detailed_amenities.access.{path}", card_cost)
        a.text += (" Access credentials are free." if card_cost == 0
                   else f" Key cards are {money(card_cost)} each.")
    elif a.question.asks_cost or re.search(r"key ?cards?|fobs?|badges?", a.question.text, re.IGNORECASE):
        a.text += f" {CONFIRM} on the cost of key cards."
        a.deferred = True
    if acc and acc.process:
        a.use("access process", "detailed_amenities.access.process", acc.process)
        a.text += f" To get set up: {acc.process[0].lower()}{acc.process[1:].rstrip('.')}"
        a.text += f" ({acc.advance_notice} notice)." if acc.advance_notice else "."
        if acc.advance_notice:
            a.use("access notice", "detailed_amenities.access.advanceNotice", acc.advance_notice)


def meeting_rooms(a: Answer, seeker: SeekerFacts, deal: DealFacts) -> None:
    s = a.space
    assert s is not None
    rooms = s.detailed.meeting_rooms
    if rooms is None:
        if s.amenities.get("meetingRooms") is False:
            a.use("meeting rooms", "amenities.meetingRooms", False)
            a.text = f"{s.name} doesn't have a dedicated meeting room."
        else:
            a.text, a.deferred = f"{CONFIRM} on the meeting rooms at {s.name}.", True
        return
    a.use("meeting room count", "detailed_amenities.meetingRooms.count", rooms.count)
    if rooms.count == 0:
        a.text = f"{s.name} doesn't have a dedicated meeting room."
        return
    plural = "s" if rooms.count != 1 else ""
    a.text = f"{s.name} has {rooms.count} meeting room{plural}"
    if rooms.sizes:
        a.use("meeting room sizes", "detailed_amenities.meetingRooms.sizes", rooms.sizes)
        sizes = ", ".join(str(n) for n in rooms.sizes[:-1]) + (" and " if len(rooms.sizes) > 1 else "") + \
            str(rooms.sizes[-1])
        a.text += f" (seating {sizes})"
    if rooms.booking_system:
        a.use("meeting room booking", "detailed_amenities.meetingRooms.bookingSystem", rooms.booking_system)
        a.text += f", booked through {rooms.booking_system}"
    a.text += "."
    team = seeker.team_size or deal.team_size
    if rooms.sizes and team > max(rooms.sizes):
        a.mismatches.append(f"The largest meeting room at {s.name} seats {max(rooms.sizes)}, fewer than the "
                            f"team of {team}.")
        a.text += f" The largest seats {max(rooms.sizes)}, so an all-hands of {team} wouldn't fit in one room."
    if rooms.max_hours_per_booking is not None:
        a.use("max booking hours", "detailed_amenities.meetingRooms.maxHoursPerBooking", rooms.max_hours_per_booking)
        a.text += f" Bookings are capped at {rooms.max_hours_per_booking:g} hours."
    elif re.search(r"\bhours?\b|how long|all day|half[- ]day", a.question.text, re.IGNORECASE):
        a.text += f" {CONFIRM} on how long a single booking can run."
        a.deferred = True


def tour(a: Answer, seeker: SeekerFacts, deal: DealFacts) -> None:
    tour_answer(a)
