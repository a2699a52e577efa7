"""Every checkable attribute of the seed's space shapes, named by its field path.

One entry per attribute: its value type, unit and period, and where it lives in the
row. The fact check reads claims as (space, attribute, value) with these names, and the
question-kind registry refers to them (read-only) to say which attributes a kind's
answers touch. Names follow the seed's JSONB keys (`parking.costMonthly`), without the
`detailed_amenities.` prefix; `field_path` is the full path a broker sees in an issue.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from echo_core.generation.context import SpaceFacts

ValueType = Literal[
    "money",      # dollars, with a period
    "bool",       # yes / no (allowed, included, after hours)
    "count",      # a whole number of things (rooms, spots, people)
    "counts",     # a list of whole numbers (meeting-room seat sizes)
    "kind",       # one of a small vocabulary (garage / off-site / street; shared kitchen; key card)
    "frequency",  # how often (nightly, daily, weekly)
    "speed",      # internet speed in Mbps (the record holds free text such as "1 Gbps fiber")
    "hours",      # opening hours ("24/7", "8am-7pm weekdays")
    "duration",   # a span of time ("2 business days", 4 hours per booking)
    "weight",     # a dog size limit in lbs (the record holds free text such as "under 60 lbs")
    "slots",      # weekday -> tour start times
    "date",       # a date as text ("January 15, 2027")
    "text",       # free text checked only for presence
]
Period = Literal["month", "day", "card", "once", "booking"]
Family = Literal["rent", "parking", "access", "dogs", "meeting_rooms", "inclusions", "amenities", "tours", "space",
                 "deal"]


@dataclass(frozen=True)
class Attribute:
    name: str
    family: Family
    label: str
    value_type: ValueType
    field_path: str
    read: Callable[[SpaceFacts], Any]
    unit: str | None = None
    period: Period | None = None


def _d(section: str, key: str) -> Callable[[SpaceFacts], Any]:
    def read(space: SpaceFacts) -> Any:
        part = getattr(space.detailed, section)
        return None if part is None else getattr(part, key)
    return read


def _extra(*keys: str) -> Callable[[SpaceFacts], Any]:
    def read(space: SpaceFacts) -> Any:
        return next((space.extras[k] for k in keys if space.extras.get(k) is not None), None)
    return read


def _flag(key: str) -> Callable[[SpaceFacts], Any]:
    return lambda space: space.amenities.get(key)


def _rate(space: SpaceFacts) -> Any:
    return space.monthly_rate


def _slots(space: SpaceFacts) -> Any:
    return {day: list(times) for day, times in space.availability.items() if times} or None


_DA = "detailed_amenities"
_ENTRIES = (
    Attribute("monthlyRate", "rent", "monthly rent", "money", "monthly_rate", _rate, "USD", "month"),
    Attribute("parking.type", "parking", "parking type", "kind", f"{_DA}.parking.type", _d("parking", "type")),
    Attribute("parking.location", "parking", "parking location", "text", f"{_DA}.parking.location",
              _d("parking", "location")),
    Attribute("parking.costMonthly", "parking", "parking cost per month", "money", f"{_DA}.parking.costMonthly",
              _d("parking", "cost_monthly"), "USD", "month"),
    Attribute("parking.costPerDay", "parking", "parking cost per day", "money", f"{_DA}.parking.costPerDay",
              _d("parking", "cost_per_day"), "USD", "day"),
    Attribute("parking.spotsAvailable", "parking", "parking spots available", "count",
              f"{_DA}.parking.spotsAvailable", _d("parking", "spots_available"), "spots"),
    Attribute("parking.provider", "parking", "parking provider", "text", f"{_DA}.parking.provider",
              _d("parking", "provider")),
    Attribute("parking.sharedSpots", "parking", "shared parking spots", "bool", f"{_DA}.parking.sharedSpots",
              _d("parking", "shared_spots")),
    Attribute("dogPolicy.allowed", "dogs", "dogs allowed", "bool", f"{_DA}.dogPolicy.allowed",
              _d("dog_policy", "allowed")),
    Attribute("dogPolicy.sizeLimit", "dogs", "dog size limit", "weight", f"{_DA}.dogPolicy.sizeLimit",
              _d("dog_policy", "size_limit"), "lbs"),
    Attribute("dogPolicy.deposit", "dogs", "pet deposit", "money", f"{_DA}.dogPolicy.deposit",
              _d("dog_policy", "deposit"), "USD", "once"),
    Attribute("access.system", "access", "access system", "kind", f"{_DA}.access.system", _d("access", "system")),
    Attribute("access.costPerCard", "access", "key card cost", "money", f"{_DA}.access.costPerCard",
              _d("access", "cost_per_card"), "USD", "card"),
    Attribute("access.cost", "access", "access cost", "money", f"{_DA}.access.cost", _d("access", "cost"), "USD",
              "once"),
    Attribute("access.hours", "access", "building hours", "hours", f"{_DA}.access.hours", _d("access", "hours")),
    Attribute("access.afterHours", "access", "after-hours access", "bool", f"{_DA}.access.afterHours",
              _d("access", "after_hours")),
    Attribute("access.advanceNotice", "access", "advance notice for access", "duration",
              f"{_DA}.access.advanceNotice", _d("access", "advance_notice"), "days"),
    Attribute("access.process", "access", "access setup process", "text", f"{_DA}.access.process",
              _d("access", "process")),
    Attribute("meetingRooms.count", "meeting_rooms", "meeting room count", "count", f"{_DA}.meetingRooms.count",
              _d("meeting_rooms", "count"), "rooms"),
    Attribute("meetingRooms.sizes", "meeting_rooms", "meeting room seats", "counts", f"{_DA}.meetingRooms.sizes",
              _d("meeting_rooms", "sizes"), "seats"),
    Attribute("meetingRooms.bookingSystem", "meeting_rooms", "meeting room booking system", "text",
              f"{_DA}.meetingRooms.bookingSystem", _d("meeting_rooms", "booking_system")),
    Attribute("meetingRooms.maxHoursPerBooking", "meeting_rooms", "longest meeting room booking", "duration",
              f"{_DA}.meetingRooms.maxHoursPerBooking", _d("meeting_rooms", "max_hours_per_booking"), "hours",
              "booking"),
    Attribute("rentInclusions.utilities", "inclusions", "utilities included", "bool",
              f"{_DA}.rentInclusions.utilities", _d("rent_inclusions", "utilities")),
    Attribute("rentInclusions.internet", "inclusions", "internet", "speed", f"{_DA}.rentInclusions.internet",
              _d("rent_inclusions", "internet"), "Mbps"),
    Attribute("rentInclusions.janitorial", "inclusions", "janitorial service", "frequency",
              f"{_DA}.rentInclusions.janitorial", _d("rent_inclusions", "janitorial")),
    Attribute("rentInclusions.hvac", "inclusions", "HVAC included", "bool", f"{_DA}.rentInclusions.hvac",
              _d("rent_inclusions", "hvac")),
    Attribute("rentInclusions.kitchen", "inclusions", "kitchen", "kind", f"{_DA}.rentInclusions.kitchen",
              _d("rent_inclusions", "kitchen")),
    Attribute("amenities.dogFriendly", "amenities", "dog friendly (flag)", "bool", "amenities.dogFriendly",
              _flag("dogFriendly")),
    Attribute("amenities.parking", "amenities", "parking (flag)", "bool", "amenities.parking", _flag("parking")),
    Attribute("amenities.afterHours", "amenities", "after-hours access (flag)", "bool", "amenities.afterHours",
              _flag("afterHours")),
    Attribute("amenities.meetingRooms", "amenities", "meeting rooms (flag)", "bool", "amenities.meetingRooms",
              _flag("meetingRooms")),
    Attribute("amenities.kitchen", "amenities", "kitchen (flag)", "bool", "amenities.kitchen", _flag("kitchen")),
    Attribute("availability", "tours", "tour days and times", "slots", "availability", _slots),
    Attribute("capacity", "space", "capacity (people)", "count", f"{_DA}.capacity",
              _extra("capacity", "desks", "seats", "maxOccupancy"), "people"),
    Attribute("availableFrom", "space", "move-in date", "date", f"{_DA}.availableFrom",
              _extra("availableFrom", "moveInDate", "moveIn")),
)

ATTRIBUTES: dict[str, Attribute] = {a.name: a for a in _ENTRIES}
# The deal's own figures a reply may quote or derive from (budget, the gap to it, team size).
DEAL_FIGURES = {"deal.monthlyBudget": "monthly_budget", "deal.teamSize": "team_size"}


def attribute(name: str) -> Attribute:
    """The catalogue entry for `name`; any other amenity flag is `amenities.<key>` (a bool)."""
    if name in ATTRIBUTES:
        return ATTRIBUTES[name]
    if name.startswith("amenities.") and len(name) > len("amenities."):
        key = name.split(".", 1)[1]
        return Attribute(name, "amenities", f"{key} (flag)", "bool", name, _flag(key))
    raise KeyError(f"unknown attribute {name!r}")


def family(name: str) -> list[Attribute]:
    """The catalogue's attributes of one family, in catalogue order."""
    return [a for a in _ENTRIES if a.family == name]
