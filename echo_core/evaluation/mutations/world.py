"""Spaces for the mutation eval: the demo's sixteen plus randomly generated ones (seeded).

Random spaces use every shape the seed allows (per-day parking, street parking, no
parking, free access credentials, 24/7 or business hours, kitchens of every kind,
extra amenity flags), so the eval is not limited to the demo's values.
"""

from __future__ import annotations

import random
from typing import Any

from echo_core.demo.spaces import DEMO_SPACES

_FIRST = ("Harbor", "Cedar", "Foundry", "Linden", "Alder", "Quarry", "Beacon", "Summit", "Juniper", "Copper",
          "Orchard", "Granite", "Atlas", "Willow", "Ember", "Canal", "Sterling", "Maple", "Pier 12", "Brick Lane",
          "Lumen", "Redwood", "Tidewater", "Kestrel", "Mercer", "Northgate", "Sable", "Fulton", "Larkin", "Presidio")
_SECOND = ("Works", "Studio", "Loft", "Suites", "Commons", "House", "Yard", "Hall", "Exchange", "Depot", "Annex",
           "Lab", "Collective", "Building", "Place")
_STREETS = ("Howard", "Natoma", "Brannan", "Townsend", "Harrison", "Bryant", "Clay", "Sansome", "Pine", "Larkin",
            "Polk", "Divisadero", "Irving", "Judah", "Valencia", "Guerrero", "Alabama", "Florida", "Potrero")
_HOODS = ("SoMa", "Mission", "Dogpatch", "Financial District", "Hayes Valley", "Castro", "Marina", "Potrero Hill")
_SYSTEMS = (("Key card (Honeywell)", True), ("Key fob", True), ("Smart lock (Latch)", False),
            ("Front desk check-in", False), ("Keypad code entry", False), ("Badge access (Kisi)", True))
_NOTICE = ("same day", "1 business day", "2 business days", "3 business days", "5 business days")
_INTERNET = ("1 Gbps fiber", "500 Mbps shared", "300 Mbps", "2 Gbps fiber", "100 Mbps", "bring your own")
_CLEANING = ("nightly", "weekly", "daily", "twice a week", "every other week")
_KITCHENS = ("full kitchen", "shared kitchen", "kitchenette", "private kitchen", "shared kitchenette",
             "full kitchen with espresso machine")
_EXTRAS = ("showers", "bikeStorage", "rooftopDeck", "phoneBooths", "gym", "mailHandling")
_TIMES = ("9am", "10am", "10:30am", "11am", "1pm", "2pm", "3pm", "4pm")
_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")


def demo_spaces() -> list[dict[str, Any]]:
    return [dict(space, id=i) for i, space in enumerate(DEMO_SPACES, start=1)]


def random_space(rng: random.Random, space_id: int, taken: set[str]) -> dict[str, Any]:
    name = _name(rng, taken)
    street = rng.choice(_STREETS)
    detailed: dict[str, Any] = {}
    parking = _parking(rng, street)
    if parking:
        detailed["parking"] = parking
    allowed = rng.random() < 0.6
    dogs: dict[str, Any] = {"allowed": allowed}
    if allowed:
        if rng.random() < 0.7:
            dogs["sizeLimit"] = "any size" if rng.random() < 0.2 else f"under {rng.randrange(20, 85, 5)} lbs"
        if rng.random() < 0.8:
            dogs["deposit"] = 0 if rng.random() < 0.2 else rng.randrange(100, 1000, 50)
    else:
        dogs["reason"] = rng.choice(("Building rules", "Allergy policy for the floor", "Lease prohibits pets"))
    detailed["dogPolicy"] = dogs
    detailed["access"] = _access(rng)
    count = rng.choice((0, 1, 1, 2, 2, 3, 4, 5))
    detailed["meetingRooms"] = {"count": count, "sizes": sorted(rng.sample((4, 6, 8, 10, 12, 14, 16, 20, 24), count))}
    inclusions: dict[str, Any] = {"utilities": rng.random() < 0.7, "internet": rng.choice(_INTERNET),
                                  "janitorial": rng.choice(_CLEANING), "hvac": rng.random() < 0.7}
    if rng.random() < 0.75:
        inclusions["kitchen"] = rng.choice(_KITCHENS)
    detailed["rentInclusions"] = inclusions
    extras = {key: rng.random() < 0.5 for key in rng.sample(_EXTRAS, rng.randrange(0, 4))}
    days = sorted(rng.sample(_DAYS, rng.randrange(1, 4)), key=_DAYS.index)
    return {
        "id": space_id, "name": name, "address": f"{rng.randrange(10, 2999)} {street} St, San Francisco",
        "neighborhood": rng.choice(_HOODS), "host_company": f"{name.split()[0]} Holdings",
        "monthly_rate": rng.randrange(6000, 42000, 100),
        "amenities": {"dogFriendly": allowed, "parking": parking is not None and parking["type"] != "street-only",
                      "afterHours": bool(detailed["access"]["afterHours"]), "meetingRooms": count > 0,
                      "kitchen": "kitchen" in inclusions, **extras},
        "availability": {d: sorted(rng.sample(_TIMES, rng.randrange(1, 4)), key=_TIMES.index) for d in days},
        "detailed_amenities": detailed,
    }


def _name(rng: random.Random, taken: set[str]) -> str:
    while True:
        name = f"{rng.choice(_FIRST)} {rng.choice(_SECOND)}"
        if name not in taken:
            taken.add(name)
            return name


def _parking(rng: random.Random, street: str) -> dict[str, Any] | None:
    kind = rng.choice(("building-garage", "building-garage", "off-site", "off-site", "street-only", None))
    if kind is None:
        return None
    if kind == "street-only":
        return {"type": kind, "note": rng.choice(("Metered street parking", "Residential permit zone"))} \
            if rng.random() < 0.5 else {"type": kind}
    parking: dict[str, Any] = {"type": kind}
    if kind == "off-site":
        parking["location"] = f"{rng.choice(_STREETS)} & {street} {rng.choice(('garage', 'lot'))}"
    style = rng.random()
    if style < 0.65:
        parking["costMonthly"] = rng.randrange(120, 600, 5)
    elif style < 0.85:
        parking["costPerDay"] = rng.randrange(8, 45)
    else:
        parking["costMonthly"] = rng.randrange(120, 600, 5)
        parking["costPerDay"] = rng.randrange(8, 45)
    parking["spotsAvailable"] = rng.choice((0, 1, 2, 3, 4, 5, 6, 8, 10, 12))
    return parking


def _access(rng: random.Random) -> dict[str, Any]:
    system, cards = rng.choice(_SYSTEMS)
    access: dict[str, Any] = {"system": system}
    if cards:
        access["costPerCard"] = rng.choice((0, 10, 15, 20, 25, 30, 35, 40, 50, 75))
    elif system.startswith("Smart"):
        access["cost"] = 0
    if rng.random() < 0.55:
        access["hours"], access["afterHours"] = "24/7", True
    else:
        opens, closes = rng.choice((7, 8, 9)), rng.choice((6, 7, 8))
        access["hours"] = f"{opens}am-{closes}pm weekdays"
        access["afterHours"] = False
    access["advanceNotice"] = rng.choice(_NOTICE)
    return access
