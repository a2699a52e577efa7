"""Answers about the space itself (dogs, parking, access, meeting rooms, tours), from one space's data.

An answer is a list of sentences ("parts"). A part is *key* when it answers a part of the ask
(its facet), carries a caveat (a mismatch, no spots, an over-budget warning) or defers; "make it
shorter" keeps exactly the key parts, so a refinement changes wording, never what is answered.
Where the data has no answer the part says "I'll confirm with the host" and `deferred` is set.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from echo_core.generation.counts import spots_asked
from echo_core.generation.tours import tour_answer

if TYPE_CHECKING:
    from echo_core.generation.context import DealFacts, SpaceFacts
    from echo_core.generation.questions import Question, SeekerFacts

CONFIRM = "I'll confirm with the host"


def money(value: float) -> str:
    return f"${value:,.0f}" if float(value).is_integer() else f"${value:,.2f}"


@dataclass
class Answer:
    kind: str
    question: Question
    space: SpaceFacts | None
    parts: list[tuple[str, bool]] = field(default_factory=list)  # (sentence, key)
    deferred: bool = False
    data: list[dict[str, Any]] = field(default_factory=list)
    mismatches: list[str] = field(default_factory=list)
    scheduling: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(p for p, _ in self.parts)

    @property
    def key_text(self) -> str:
        return " ".join(p for p, key in self.parts if key)

    def asked(self, facet: str) -> bool:
        q = self.question
        return facet in q.facets or (facet == "cost" and q.asks_cost) or (facet == "deposit" and q.asks_deposit) \
            or (facet == "spots" and q.asks_count)

    def say(self, text: str, *, facet: str | None = None, caveat: bool = False) -> None:
        """Add one sentence: the lead (no facet), a facet's answer, or an optional detail (facet='detail')."""
        key = facet is None or caveat or (facet != "detail" and self.asked(facet))
        self.parts.append((text, key))

    def defer(self, text: str) -> None:
        self.parts.append((text, True))
        self.deferred = True

    def use(self, point: str, path: str, value: Any, *, deal: DealFacts | None = None) -> None:
        if deal is not None:
            self.data.append({"dataPoint": point, "sourceType": "deal", "sourceId": deal.id, "fieldPath": path,
                              "value": value})
        elif self.space is not None:
            self.data.append({"dataPoint": point, "sourceType": "space", "sourceId": self.space.id,
                              "fieldPath": path, "value": value})


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _size_limit_lbs(limit: str | None) -> int | None:
    match = re.search(r"(\d+)\s*(lbs?|pounds)", limit or "", re.IGNORECASE)
    return int(match.group(1)) if match else None


_ASKS_INCLUDED = re.compile(r"\binclud|\bextra\b|on top|separate|additional|\bcovers?\b|part of the (rent|price|lease)|"
                            r"\bin the (rent|price)\b", re.IGNORECASE)


def dogs(a: Answer, seeker: SeekerFacts, deal: DealFacts) -> None:
    """The dog policy; a question about another animal ("do you allow cats?") gets the dog policy as context and
    a deferral for that animal, since the record's pet policy is about dogs."""
    _dogs(a, seeker, deal)
    if seeker.other_pets and a.space is not None and not a.question.text.startswith("("):
        animals = seeker.other_pets[0] if len(seeker.other_pets) == 1 else \
            ", ".join(seeker.other_pets[:-1]) + " and " + seeker.other_pets[-1]
        a.defer(f"The listing's pet policy covers dogs, so {CONFIRM} whether {animals} are welcome at "
                f"{a.space.name}.")


def _dogs(a: Answer, seeker: SeekerFacts, deal: DealFacts) -> None:
    s = a.space
    assert s is not None
    policy = s.detailed.dog_policy
    if policy is None:
        if "dogFriendly" in s.amenities:
            a.use("dog friendly", "amenities.dogFriendly", s.amenities["dogFriendly"])
            a.say((f"{s.name} is listed as dog friendly" if s.amenities["dogFriendly"]
                   else f"{s.name} is listed as not allowing dogs") + f"; {CONFIRM} on the details of the pet policy.")
        else:
            a.defer(f"{CONFIRM} on whether dogs are allowed at {s.name}.")
        return
    a.use("dogs allowed", "detailed_amenities.dogPolicy.allowed", policy.allowed)
    if not policy.allowed:
        why = f" ({policy.reason.rstrip('.')})" if policy.reason else ""
        a.say(f"Unfortunately {s.name} doesn't allow dogs{why}.")
        if policy.flexibility:
            a.use("dog flexibility", "detailed_amenities.dogPolicy.flexibility", policy.flexibility)
            a.say(f"That said, {_lower_first(policy.flexibility).rstrip('.')}.", facet="size")
        if policy.alternative:
            a.use("dog alternative", "detailed_amenities.dogPolicy.alternative", policy.alternative)
            a.say(f"One option: {_lower_first(policy.alternative).rstrip('.')}.", facet="detail")
        if seeker.has_dog or deal.requirements.get("dogFriendly"):
            a.mismatches.append(f"Dogs are not allowed at {s.name}, but the team has a dog / needs a dog-friendly "
                                "office.")
        return
    lead = f"Good news: {s.name} is dog friendly"
    if policy.size_limit:
        a.use("dog size limit", "detailed_amenities.dogPolicy.sizeLimit", policy.size_limit)
        lead += f" for dogs {'of ' if policy.size_limit.lower().startswith('any') else ''}{policy.size_limit}"
        limit = _size_limit_lbs(policy.size_limit)
        if limit is not None and seeker.dog_weight_lbs is not None and seeker.dog_weight_lbs > limit:
            a.mismatches.append(f"The seeker's {seeker.dog_weight_lbs} lb dog is over {s.name}'s limit "
                                f"({policy.size_limit}).")
            article = "an" if re.match(r"8|1[18]$", str(seeker.dog_weight_lbs)) else "a"  # an 80 lb, an 11 lb
            lead += (f", so {article} {seeker.dog_weight_lbs} lb dog would be over the limit — I'm happy to ask the "
                     "host whether they'd make an exception")
    a.say(lead + ".")
    if policy.deposit is not None:
        a.use("pet deposit", "detailed_amenities.dogPolicy.deposit", policy.deposit)
        a.say("There's no pet deposit." if policy.deposit == 0 else f"There's a {money(policy.deposit)} pet deposit.",
              facet="deposit")
    elif a.question.asks_deposit:
        a.defer(f"{CONFIRM} whether there's a pet deposit.")
    if policy.note:
        a.use("dog note", "detailed_amenities.dogPolicy.note", policy.note)
        a.say(f"{policy.note.rstrip('.')}.", facet="detail")


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
            a.say(f"{s.name} doesn't come with parking.")
            if needs:
                a.mismatches.append(f"{s.name} has no parking, and parking is one of the team's requirements.")
        else:
            a.defer(f"{CONFIRM} on parking options at {s.name}.")
        return
    a.use("parking type", "detailed_amenities.parking.type", p.type)
    kind = _PARKING_TYPES.get(p.type, f"{p.type} parking")
    if p.type == "street-only":
        a.say(f"{s.name} has {kind}" + (f" ({p.note.rstrip('.').lower()})" if p.note else "") + ".")
        if p.note:
            a.use("parking note", "detailed_amenities.parking.note", p.note)
        if needs:
            a.mismatches.append(f"{s.name} only has street parking, and the team needs parking.")
        return
    if p.location:
        a.use("parking location", "detailed_amenities.parking.location", p.location)
    if p.location and p.type == "building-garage":
        where = f" ({p.location})"  # "the building's garage (B1 garage)", not "garage at the B1 garage"
    else:
        where = f" at the {p.location}" if p.location and not p.location.lower().startswith("the ") else \
            (f" at {p.location}" if p.location else "")
    costs = []
    if p.cost_monthly is not None:
        a.use("parking cost per month", "detailed_amenities.parking.costMonthly", p.cost_monthly)
        costs.append(f"{money(p.cost_monthly)} per month")
    if p.cost_per_day is not None:
        a.use("parking cost per day", "detailed_amenities.parking.costPerDay", p.cost_per_day)
        costs.append(f"{money(p.cost_per_day)} per day")
    charged = bool(p.cost_monthly or p.cost_per_day)
    not_included = "Parking is charged separately: " if charged and _ASKS_INCLUDED.search(a.question.text) else ""
    a.say(f"{not_included}{s.name} has {kind}{where}" + (", at " + " or ".join(costs) + " per spot" if costs else "")
          + ".")
    if not costs and (a.question.asks_cost or "cost" in a.question.facets):
        a.defer(f"{CONFIRM} on the cost of parking at {s.name}.")
    if p.spots_available is not None:
        a.use("parking spots available", "detailed_amenities.parking.spotsAvailable", p.spots_available)
        if p.spots_available == 0:
            a.say("Right now there are no spots available" + (f" ({p.note.rstrip('.').lower()})." if p.note else "."),
                  caveat=True)
            if needs:
                a.mismatches.append(f"{s.name}'s parking is full right now, and the team needs parking.")
        else:
            a.say(f"{p.spots_available} spot{'s are' if p.spots_available != 1 else ' is'} available right now.",
                  facet="spots")
            needed = spots_asked(a.question.sentence or a.question.text)
            if needed and needed > p.spots_available:
                a.say(f"That's fewer than the {needed} you need, so {CONFIRM} about the rest.", caveat=True)
                if needs:
                    a.mismatches.append(f"{s.name} has {p.spots_available} parking spots free; the team needs "
                                        f"{needed}.")
    elif a.question.asks_count:
        a.defer(f"{CONFIRM} how many parking spots are free at {s.name}.")
    if p.note and p.spots_available != 0:
        a.use("parking note", "detailed_amenities.parking.note", p.note)
        a.say(f"{p.note.rstrip('.')}.", facet="detail")


def access(a: Answer, seeker: SeekerFacts, deal: DealFacts) -> None:
    s = a.space
    assert s is not None
    acc = s.detailed.access
    after = acc.after_hours if acc and acc.after_hours is not None else s.amenities.get("afterHours")
    if acc is None and after is None:
        a.defer(f"{CONFIRM} on after-hours access at {s.name}.")
        return
    if acc and acc.after_hours is not None:
        a.use("after-hours access", "detailed_amenities.access.afterHours", acc.after_hours)
    else:
        a.use("after-hours access", "amenities.afterHours", after)
    if after:
        lead = f"{s.name} has after-hours access" + (f" ({acc.hours})" if acc and acc.hours else "")
    else:
        lead = f"{s.name} doesn't offer after-hours access" + \
            (f" — the building is open {acc.hours}" if acc and acc.hours else "")
        if deal.requirements.get("afterHours"):
            a.mismatches.append(f"{s.name} has no after-hours access, and the team needs to work late.")
    if acc and acc.hours:
        a.use("access hours", "detailed_amenities.access.hours", acc.hours)
    if acc and acc.system:
        a.use("access system", "detailed_amenities.access.system", acc.system)
        lead += f"; entry is by {_lower_first(acc.system)}"
    a.say(lead + ".")
    card_cost = acc.cost_per_card if acc and acc.cost_per_card is not None else (acc.cost if acc else None)
    if card_cost is not None:
        path = "costPerCard" if acc and acc.cost_per_card is not None else "cost"
        a.use("access cost", f"detailed_amenities.access.{path}", card_cost)
        a.say("Access credentials are free." if card_cost == 0 else f"Key cards are {money(card_cost)} each.",
              facet="cost", caveat=bool(re.search(r"key ?cards?|fobs?|badges?", a.question.text, re.I)))
    elif a.question.asks_cost or re.search(r"key ?cards?|fobs?|badges?", a.question.text, re.IGNORECASE):
        a.defer(f"{CONFIRM} on the cost of key cards at {s.name}.")
    if acc and acc.process:
        a.use("access process", "detailed_amenities.access.process", acc.process)
        notice = f" ({acc.advance_notice} notice)" if acc.advance_notice else ""
        a.say(f"To get set up: {_lower_first(acc.process).rstrip('.')}{notice}.", facet="process")
        if acc.advance_notice:
            a.use("access notice", "detailed_amenities.access.advanceNotice", acc.advance_notice)
    elif "process" in a.question.facets:
        a.defer(f"{CONFIRM} how access is set up at {s.name} and how long it takes.")


def meeting_rooms(a: Answer, seeker: SeekerFacts, deal: DealFacts) -> None:
    _meeting_rooms(a, seeker, deal)
    rooms = a.space.detailed.meeting_rooms if a.space else None
    if rooms is not None and rooms.count:
        _equipment(a)


def _meeting_rooms(a: Answer, seeker: SeekerFacts, deal: DealFacts) -> None:
    s = a.space
    assert s is not None
    rooms = s.detailed.meeting_rooms
    if rooms is None:
        if s.amenities.get("meetingRooms") is False:
            a.use("meeting rooms", "amenities.meetingRooms", False)
            a.say(f"{s.name} doesn't have a dedicated meeting room.")
        else:
            a.defer(f"{CONFIRM} on the meeting rooms at {s.name}.")
        return
    a.use("meeting room count", "detailed_amenities.meetingRooms.count", rooms.count)
    if rooms.count == 0:
        a.say(f"{s.name} doesn't have a dedicated meeting room.")
        return
    lead = f"{s.name} has {rooms.count} meeting room{'s' if rooms.count != 1 else ''}"
    if rooms.sizes:
        a.use("meeting room sizes", "detailed_amenities.meetingRooms.sizes", rooms.sizes)
        sizes = ", ".join(str(n) for n in rooms.sizes[:-1]) + (" and " if len(rooms.sizes) > 1 else "") + \
            str(rooms.sizes[-1])
        lead += f" (seating {sizes})"
    if rooms.booking_system:
        a.use("meeting room booking", "detailed_amenities.meetingRooms.bookingSystem", rooms.booking_system)
        lead += f", booked through {rooms.booking_system}"
    a.say(lead + ".")
    team = seeker.team_size or deal.team_size
    if rooms.sizes and team > max(rooms.sizes):
        a.mismatches.append(f"The largest meeting room at {s.name} seats {max(rooms.sizes)}, fewer than the "
                            f"team of {team}.")
        a.say(f"The largest seats {max(rooms.sizes)}, so an all-hands of {team} wouldn't fit in one room.",
              caveat=True)
    if rooms.max_hours_per_booking is not None:
        a.use("max booking hours", "detailed_amenities.meetingRooms.maxHoursPerBooking", rooms.max_hours_per_booking)
        a.say(f"Bookings are capped at {rooms.max_hours_per_booking:g} hours.", facet="booking")
    elif ("booking" in a.question.facets and not rooms.booking_system) or \
            re.search(r"\bhours?\b|how long|all day|full day|half[- ]day", a.question.text, re.IGNORECASE):
        a.defer(f"{CONFIRM} on how long a single meeting-room booking can run at {s.name}.")


def _equipment(a: Answer) -> None:
    """The record has no field for what a room is equipped with: defer it by name rather than skip it."""
    assert a.space is not None
    if "equipment" in a.question.facets:
        a.defer(f"{CONFIRM} what AV equipment (screens, video conferencing) the meeting rooms at {a.space.name} "
                "have.")


def tour(a: Answer, seeker: SeekerFacts, deal: DealFacts) -> None:
    tour_answer(a)
