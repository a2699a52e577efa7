"""Non-money claims against one space's record: dogs, parking kind and spots, access, meeting rooms,
what the rent includes, amenity flags, tour slots, capacity and move-in date.
"""

from __future__ import annotations

import math
import re
from typing import Any

from echo_core.generation.context import ReplyContext, SpaceFacts
from echo_core.generation.facts import lexicon as lx
from echo_core.generation.facts import record as rec
from echo_core.generation.facts.findings import Finding, clock_label, fail, warn, yes
from echo_core.generation.facts.reading import Claim

_DA = "detailed_amenities"


def _ok_or(claim: Claim, known: Any, said: str, record: str, path: str, equal: bool) -> Finding | None:
    if known is None:
        return warn(said, path)
    return None if equal else fail(said, record, path)


def dogs_allowed(claim: Claim, space: SpaceFacts, context: ReplyContext) -> Finding | None:
    policy = space.detailed.dog_policy
    allowed = policy.allowed if policy else space.amenities.get("dogFriendly")
    path = f"{_DA}.dogPolicy.allowed" if policy else "amenities.dogFriendly"
    return _ok_or(claim, allowed, yes(claim.value, "dogs are allowed", "dogs are not allowed"),
                  yes(allowed, "allowed = true", "allowed = false"), path, allowed == claim.value)


def dog_size(claim: Claim, space: SpaceFacts, context: ReplyContext) -> Finding | None:
    policy = space.detailed.dog_policy
    said = "no size limit" if math.isinf(claim.value) else f"a {claim.value:g} lb limit"
    if policy is not None and not policy.allowed:
        return fail(said, "dogs not allowed", f"{_DA}.dogPolicy.allowed")
    limit = rec.weight_limit(policy.size_limit) if policy and policy.size_limit else None
    return _ok_or(claim, limit, said, f'"{policy.size_limit if policy else ""}"', f"{_DA}.dogPolicy.sizeLimit",
                  limit == claim.value)


def _parking_kind(space: SpaceFacts) -> str | None:
    p = space.detailed.parking
    return rec.parking_kind(p.type) if p and p.type else None


def parking_type(claim: Claim, space: SpaceFacts, context: ReplyContext) -> Finding | None:
    kind = _parking_kind(space)
    said = {"building": "parking in the building", "off-site": "off-site parking",
            "street": "street parking"}[claim.value]
    if kind is None and space.amenities.get("parking") is False and claim.value != "street":
        return fail(said, "no parking", "amenities.parking")
    p = space.detailed.parking
    return _ok_or(claim, kind, said, f'type "{p.type if p else ""}"', f"{_DA}.parking.type", kind == claim.value)


def parking_exists(claim: Claim, space: SpaceFacts, context: ReplyContext) -> Finding | None:
    kind = _parking_kind(space)
    exists = (kind != "street") if kind else space.amenities.get("parking")
    path = f"{_DA}.parking.type" if kind else "amenities.parking"
    return _ok_or(claim, exists, yes(claim.value, "there is parking", "there is no parking"),
                  f'type "{space.detailed.parking.type}"' if kind and space.detailed.parking else
                  yes(exists, "parking = true", "parking = false"), path, exists == claim.value)


def parking_free(claim: Claim, space: SpaceFacts, context: ReplyContext) -> Finding | None:
    p = space.detailed.parking
    cost = next((c for c in ((p.cost_monthly, "costMonthly", "month"), (p.cost_per_day, "costPerDay", "day"))
                 if c[0] is not None), None) if p else None
    said = yes(claim.value, "parking is free / included", "parking costs extra")
    if claim.value and p is None and space.amenities.get("parking") is False:
        return fail(said, "no parking", "amenities.parking")
    if claim.value and _parking_kind(space) == "street":
        return fail(said, 'type "street-only" (no parking to include)', f"{_DA}.parking.type")
    if cost is None:
        return warn(said, f"{_DA}.parking.costMonthly")
    free = cost[0] == 0
    return None if free == claim.value else fail(said, f"${cost[0]:,.0f} per {cost[2]}", f"{_DA}.parking.{cost[1]}")


def spots(claim: Claim, space: SpaceFacts, context: ReplyContext) -> Finding | None:
    p = space.detailed.parking
    known = p.spots_available if p else None
    if claim.value == "1+":
        return _ok_or(claim, known, "open spots", f"{known} available", f"{_DA}.parking.spotsAvailable",
                      bool(known))
    return _ok_or(claim, known, f"{claim.value} spots available", f"{known} available",
                  f"{_DA}.parking.spotsAvailable", known == claim.value)


def always_open(claim: Claim, space: SpaceFacts, context: ReplyContext) -> Finding | None:
    acc = space.detailed.access
    hours = rec.hours(acc.hours if acc else None)
    after = acc.after_hours if acc and acc.after_hours is not None else space.amenities.get("afterHours")
    said = yes(claim.value, "24/7 access", "no 24/7 access")
    if hours is not None:
        return None if hours.always == claim.value else fail(said, f'hours "{acc.hours if acc else ""}"',
                                                             f"{_DA}.access.hours")
    if after is False:
        return None if not claim.value else fail(said, "afterHours = false", f"{_DA}.access.afterHours")
    return warn(said, f"{_DA}.access.hours")


def after_hours(claim: Claim, space: SpaceFacts, context: ReplyContext) -> Finding | None:
    acc = space.detailed.access
    after = acc.after_hours if acc and acc.after_hours is not None else space.amenities.get("afterHours")
    return _ok_or(claim, after, yes(claim.value, "after-hours access", "no after-hours access"),
                  yes(after, "afterHours = true", "afterHours = false"), f"{_DA}.access.afterHours",
                  after == claim.value)


def system(claim: Claim, space: SpaceFacts, context: ReplyContext) -> Finding | None:
    acc = space.detailed.access
    known = rec.kind_of(acc.system if acc else None, lx.ACCESS_SYSTEMS)
    return _ok_or(claim, known, f"entry by {claim.value}", f'"{acc.system if acc else ""}"', f"{_DA}.access.system",
                  known == claim.value)


def booking_system(claim: Claim, space: SpaceFacts, context: ReplyContext) -> Finding | None:
    rooms = space.detailed.meeting_rooms
    known = rooms.booking_system if rooms else None
    said = f"meeting rooms booked through {claim.value}"
    return _ok_or(claim, known, said, f'"{known}"', f"{_DA}.meetingRooms.bookingSystem",
                  known is not None and str(claim.value).lower() in known.lower())


def notice(claim: Claim, space: SpaceFacts, context: ReplyContext) -> Finding | None:
    acc = space.detailed.access
    known = rec.notice_days(acc.advance_notice) if acc and acc.advance_notice else None
    said = "same-day setup" if claim.value == 0 else f"{claim.value:g} day(s) of notice"
    return _ok_or(claim, known, said, f'"{acc.advance_notice if acc else ""}"', f"{_DA}.access.advanceNotice",
                  known is not None and abs(known - claim.value) < 0.01)


def hours(claim: Claim, space: SpaceFacts, context: ReplyContext) -> Finding | None:
    acc = space.detailed.access
    known = rec.hours(acc.hours if acc else None)
    side = claim.attribute.split(":", 1)[1] if ":" in claim.attribute else "both"
    values = claim.value if side == "both" else (claim.value,)
    said = {"opens": "opens at ", "closes": "closes at ", "both": "open "}[side] + "–".join(
        clock_label(v % 1440) if v != 1440 else "midnight" for v in values)
    if known is None:
        return warn(said, f"{_DA}.access.hours")
    record = f'hours "{acc.hours if acc else ""}"'
    if known.always:
        return fail(said, record, f"{_DA}.access.hours")
    expected = {"opens": (known.opens,), "closes": (known.closes,), "both": (known.opens, known.closes)}[side]
    return None if tuple(values) == expected else fail(said, record, f"{_DA}.access.hours")


def room_count(claim: Claim, space: SpaceFacts, context: ReplyContext) -> Finding | None:
    rooms = space.detailed.meeting_rooms
    flag = space.amenities.get("meetingRooms")
    count = rooms.count if rooms else (None if flag is None or flag else 0)
    said = "at least one meeting room" if claim.value == "1+" else f"{claim.value} meeting room(s)"
    if count is None and flag:
        return None if claim.value == "1+" else warn(said, f"{_DA}.meetingRooms.count")
    equal = count is not None and (count >= 1 if claim.value == "1+" else count == claim.value)
    return _ok_or(claim, count, said, f"count = {count}", f"{_DA}.meetingRooms.count", equal)


def room_sizes(claim: Claim, space: SpaceFacts, context: ReplyContext) -> Finding | None:
    rooms = space.detailed.meeting_rooms
    sizes = list(rooms.sizes) if rooms and rooms.sizes else None
    if claim.attribute.endswith(":max"):
        return _ok_or(claim, sizes, f"the largest room seats {claim.value}", f"sizes {sizes}",
                      f"{_DA}.meetingRooms.sizes", bool(sizes) and max(sizes or [0]) == claim.value)
    said = "rooms seating " + ", ".join(str(n) for n in claim.value)
    return _ok_or(claim, sizes, said, f"sizes {sizes}", f"{_DA}.meetingRooms.sizes",
                  bool(sizes) and all(n in (sizes or []) for n in claim.value))


def booking(claim: Claim, space: SpaceFacts, context: ReplyContext) -> Finding | None:
    rooms = space.detailed.meeting_rooms
    known = rooms.max_hours_per_booking if rooms else None
    return _ok_or(claim, known, f"bookings up to {claim.value:g} hours", f"{known:g} hours" if known else "",
                  f"{_DA}.meetingRooms.maxHoursPerBooking", known == claim.value)


def inclusion(claim: Claim, space: SpaceFacts, context: ReplyContext) -> Finding | None:
    item = claim.attribute.split(".", 1)[1].split(":", 1)[0]
    inc = space.detailed.rent_inclusions
    raw = getattr(inc, item) if inc else None
    path = f"{_DA}.rentInclusions.{item}"
    detail = claim.attribute.split(":", 1)[1] if ":" in claim.attribute else None
    if raw is None and item == "kitchen" and space.amenities.get("kitchen") is False:
        return None if claim.value is False else fail("a kitchen", "no kitchen", "amenities.kitchen")
    if detail is None:
        included = rec.provided(raw)
        return _ok_or(claim, included, yes(claim.value, f"{item} is included", f"{item} is not included"),
                      f'"{raw}"' if not isinstance(raw, bool) else f"{item} = {str(raw).lower()}", path,
                      included == claim.value)
    text = str(raw) if raw is not None else None
    if text is not None and not rec.provided(text):
        return fail(f"{item} ({claim.value})", f'"{text}"', path)
    known: Any = None
    if detail == "speed":
        known = rec.speed_mbps(text or "")
        said = f"{claim.value:g} Mbps" if claim.value < 1000 else f"{claim.value / 1000:g} Gbps"
        return _ok_or(claim, known, said, f'"{text}"', path, known == claim.value)
    if detail == "fiber":
        return None if text and re.search(r"fib(?:er|re)", text, re.IGNORECASE) else warn("fiber internet", path)
    families = {"frequency": lx.FREQUENCIES, "privacy": lx.KITCHEN_PRIVACY, "size": lx.KITCHEN_SIZE}[detail]
    known = rec.kind_of(text, families)
    if detail == "size" and known is None and text and re.search(r"kitchen", text, re.IGNORECASE):
        known = "full" if detail == "size" and claim.value == "full" and "kitchenette" not in text.lower() else None
    return _ok_or(claim, known, f"{claim.value} {item}", f'"{text}"', path, known == claim.value)


def amenity(claim: Claim, space: SpaceFacts, context: ReplyContext) -> Finding | None:
    name = claim.attribute.split(":", 1)[1]
    key = re.sub(r"\W", "", name).lower()
    flag = next((v for k, v in space.amenities.items() if _same_amenity(re.sub(r"\W", "", k).lower(), key)), None)
    said = yes(claim.value, f"it has {name}", f"it has no {name}")
    return _ok_or(claim, flag, said, f"{name} = {str(flag).lower()}", f"amenities.{name.replace(' ', '')}",
                  flag == claim.value)


def _same_amenity(flag: str, claimed: str) -> bool:
    """'rooftopdeck' is the 'rooftop' a reply mentions; 'bikestorage' is 'bike storage'."""
    a, b = flag.rstrip("s"), claimed.rstrip("s")
    return bool(a) and bool(b) and (a == b or (len(b) >= 3 and b in a) or (len(a) >= 3 and a in b))


def slot(claim: Claim, space: SpaceFacts, context: ReplyContext) -> Finding | None:
    table = {day: [rec.clock(t) for t in times] for day, times in space.availability.items() if times}
    if claim.attribute == "availability:none":
        day = claim.value
        return None if not table.get(day) else fail(f"no tour slots on {day.capitalize()}",
                                                    ", ".join(space.availability[day]), f"availability.{day}")
    day, minutes = claim.value
    label = (day.capitalize() if day else "a slot") + (f" at {clock_label(minutes)}" if minutes is not None else "")
    if not table:
        return warn(f"a tour on {label}", "availability")
    if day is None:
        ok = any(minutes in times for times in table.values())
    else:
        ok = bool(table.get(day)) and (minutes is None or minutes in table[day])
    summary = "; ".join(f"{d.capitalize()} {', '.join(t)}" for d, t in space.availability.items() if t)
    return None if ok else fail(f"a tour on {label}", summary, "availability" + (f".{day}" if day else ""))


def capacity(claim: Claim, space: SpaceFacts, context: ReplyContext) -> Finding | None:
    known = next((space.extras[k] for k in ("capacity", "desks", "seats", "maxOccupancy") if k in space.extras), None)
    return _ok_or(claim, known, f"room for {claim.value} people", f"capacity {known}", f"{_DA}.capacity",
                  known == claim.value)


def move_in(claim: Claim, space: SpaceFacts, context: ReplyContext) -> Finding | None:
    known = next((str(space.extras[k]) for k in ("availableFrom", "moveInDate", "moveIn") if k in space.extras), None)
    said = f"available from {claim.value}"
    if known is None:
        return warn(said, f"{_DA}.availableFrom")
    tokens = [t.lower()[:3] for t in re.findall(r"[a-z]+|\d+", str(claim.value), re.IGNORECASE)]
    ok = all(t in [k.lower()[:3] for k in re.findall(r"[a-z]+|\d+", known, re.IGNORECASE)] for t in tokens if
             t not in ("st", "nd", "rd", "th"))
    return None if ok else fail(said, f'"{known}"', f"{_DA}.availableFrom")


JUDGES = {
    "dogPolicy.allowed": dogs_allowed, "dogPolicy.sizeLimit": dog_size, "parking.type": parking_type,
    "parking.exists": parking_exists, "parking.free": parking_free, "parking.spotsAvailable": spots,
    "access.always": always_open, "access.afterHours": after_hours, "access.system": system,
    "access.advanceNotice": notice, "access.hours": hours, "access.hours:opens": hours, "access.hours:closes": hours,
    "meetingRooms.count": room_count, "meetingRooms.sizes": room_sizes, "meetingRooms.sizes:max": room_sizes,
    "meetingRooms.maxHoursPerBooking": booking, "meetingRooms.bookingSystem": booking_system, "amenity": amenity,
    "availability": slot,
    "availability:none": slot, "capacity": capacity, "availableFrom": move_in,
    **{f"rentInclusions.{item}{detail}": inclusion for item in ("utilities", "internet", "janitorial", "hvac",
                                                                 "kitchen")
       for detail in ("", ":frequency", ":speed", ":fiber", ":privacy", ":size")},
}
