"""How brokers write each fact: several wordings per fact, written as real replies are, not as the
fact check reads them. `say(family, values, subject, k)` renders one sentence; `k` picks the
wording so that a wrong variant can reuse the exact wording of the correct sentence.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Values = dict[str, Any]


def money(x: float, k: int) -> str:
    x = float(x)
    forms = [f"${x:,.0f}", f"${x:,.0f}", f"{x:,.0f} dollars", f"${x:,.2f}", f"USD {x:,.0f}"]
    if x >= 1000 and x % 100 == 0:
        forms.append(f"${x / 1000:g}k")
    return forms[k % len(forms)]


def month(k: int) -> str:
    return ("per month", "a month", "/mo", "/month", "monthly", "each month", "per calendar month")[k % 7]


def day(k: int) -> str:
    return ("per day", "a day", "/day", "daily", "for the day")[k % 5]


def period(p: str, k: int) -> str:
    if p == "month":
        return month(k)
    if p == "day":
        return day(k)
    return {"year": "a year", "week": "a week", "card": "per card", "hour": "an hour"}[p]


def clock(minutes: int) -> str:
    h, m = divmod(minutes, 60)
    tail = f":{m:02d}" if m else ""
    return f"{h % 12 or 12}{tail}{'am' if h < 12 else 'pm'}"


def _rent(v: Values, s: str, at: str, k: int) -> str:
    amount, per = money(v["amount"], k), period(v.get("period", "month"), k + 1)
    return [f"{s} is {amount} {per}.", f"Rent at {s} runs {amount} {per}.", f"{s} comes in at {amount} {per}.",
            f"The asking rent is {amount} {per}{at}.", f"{s} is listed at {amount} {per}, all in.",
            f"Pricing-wise, {s} goes for {amount} {per}."][k % 6]


def _parking_cost(v: Values, s: str, at: str, k: int) -> str:
    amount, per = money(v["amount"], k), period(v["period"], k + 2)
    if v.get("free"):
        return [f"Parking{at} is free for tenants.", f"Parking is included in the rent{at}.",
                f"{s} includes a parking spot at no extra cost.", f"There's no charge for parking{at}."][k % 4]
    return [f"Parking{at} is {amount} {per}.", f"A parking spot{at} runs {amount} {per}.",
            f"{s} charges {amount} {per} for parking.", f"If you need a spot, it's {amount} {per}{at}.",
            f"Parking costs {amount} {per}{at}, billed separately from rent."][k % 5]


def _parking_kind(v: Values, s: str, at: str, k: int) -> str:
    kind, where = v["kind"], v.get("location")
    if kind == "building":
        return [f"Parking{at} is in the building's own garage.", f"{s} has on-site parking in the garage downstairs.",
                f"Tenants park in the building garage{at}."][k % 3]
    if kind == "off-site":
        spot = f" at the {where}" if where else ""
        return [f"Parking{at} is off-site{spot}.", f"{s}'s parking is a short walk away{spot}.",
                f"There's no garage in the building; parking is off-site{spot}."][k % 3]
    return [f"{s} only has street parking.", f"Parking{at} is street only.",
            f"There's no garage{at}, just metered street parking."][k % 3]


def _spots(v: Values, s: str, at: str, k: int) -> str:
    n = v["n"]
    if n == 0:
        return [f"Parking{at} is full right now, with a waitlist.",
                f"There are no parking spots open{at} at the moment."][k % 2]
    return [f"{n} parking spots are available{at} right now.", f"There are {n} spots open in the garage{at}.",
            f"{s} has {n} parking spaces left.", f"Right now {n} spots are free{at}."][k % 4]


def _card(v: Values, s: str, at: str, k: int) -> str:
    noun = v.get("noun", "key cards")
    if v.get("free"):
        return [f"{noun.capitalize()} are free{at}.", f"There's no charge for {noun}{at}.",
                f"{noun.capitalize()} come at no extra cost{at}."][k % 3]
    amount = money(v["amount"], k)
    if v.get("period"):
        return [f"{noun.capitalize()}{at} are {amount} {period(v['period'], k)}.",
                f"{noun.capitalize()} cost {amount} {period(v['period'], k)}{at}."][k % 2]
    return [f"{noun.capitalize()}{at} are {amount} each.", f"Each {noun.rstrip('s')} costs {amount}{at}.",
            f"{noun.capitalize()} run {amount} apiece{at}.", f"{noun.capitalize()} are {amount} per card{at}."][k % 4]


def _hours(v: Values, s: str, at: str, k: int) -> str:
    if v["always"]:
        return [f"{s} has 24/7 access.", f"You can get into {s} around the clock.", f"{s} never closes.",
                f"Access{at} is 24 hours a day, seven days a week."][k % 4]
    o, c = clock(v["opens"]), clock(v["closes"])
    return [f"{s} is open {o} to {c} on weekdays, with no after-hours access.", f"The building{at} is open {o}-{c}.",
            f"Doors{at} close at {c} on weekdays.", f"{s} doesn't offer after-hours access; hours are {o}-{c}."][k % 4]


def _notice(v: Values, s: str, at: str, k: int) -> str:
    d = v["days"]
    if d == 0:
        return [f"Access{at} can be set up the same day.", f"Setup is same-day{at}."][k % 2]
    unit = "business day" if d == 1 else "business days"
    return [f"Please allow {d} {unit}' notice to set up access{at}.", f"Access setup{at} needs {d} {unit} of notice.",
            f"The host asks for {d} {unit} advance notice for new access{at}."][k % 3]


_SYSTEMS = {"card": ("key card", "key-card entry"), "smart lock": ("a smart lock", "smart-lock entry via an app"),
            "front desk": ("front desk check-in", "check-in at the front desk"),
            "keypad": ("a keypad code", "keypad code entry")}


def _system(v: Values, s: str, at: str, k: int) -> str:
    a, b = _SYSTEMS[v["system"]]
    return [f"Entry{at} is by {a}.", f"{s} uses {b}.", f"You get in with {a}{at}."][k % 3]


def _dogs(v: Values, s: str, at: str, k: int) -> str:
    if v["allowed"]:
        return [f"{s} is dog friendly.", f"Dogs are welcome{at}.", f"You're welcome to bring your dog to {s}.",
                f"{s} allows dogs."][k % 4]
    return [f"{s} doesn't allow dogs.", f"Unfortunately dogs aren't permitted{at}.", f"No pets are allowed{at}.",
            f"{s} is not dog friendly."][k % 4]


def _deposit(v: Values, s: str, at: str, k: int) -> str:
    if v["amount"] == 0:
        return [f"There's no pet deposit{at}.", f"{s} doesn't charge a pet deposit."][k % 2]
    amount = money(v["amount"], k)
    return [f"There's a {amount} pet deposit{at}.", f"The pet deposit{at} is {amount}.",
            f"{s} asks for a one-time {amount} deposit for dogs."][k % 3]


def _size(v: Values, s: str, at: str, k: int) -> str:
    if v["lbs"] is None:
        return [f"Dogs of any size are welcome{at}.", f"There's no size limit for dogs{at}."][k % 2]
    n = int(v["lbs"])
    return [f"Dogs need to be under {n} lbs{at}.", f"The dog size limit{at} is {n} pounds.",
            f"{s} takes dogs up to {n} lbs."][k % 3]


def _rooms(v: Values, s: str, at: str, k: int) -> str:
    n = v["n"]
    if n == 0:
        return [f"{s} doesn't have a meeting room.", f"There's no conference room{at}."][k % 2]
    word = ("zero", "one", "two", "three", "four", "five", "six", "seven")[n] if n < 8 and k % 2 else str(n)
    room = "room" if n == 1 else "rooms"
    return [f"{s} has {word} meeting {room}.", f"There are {word} conference {room}{at}." if n > 1 else
            f"There is {word} conference room{at}.", f"You'd have {word} bookable meeting {room}{at}."][k % 3]


def _sizes(v: Values, s: str, at: str, k: int) -> str:
    sizes = v["sizes"]
    listed = sizes[0] if len(sizes) == 1 else ", ".join(map(str, sizes[:-1])) + " and " + str(sizes[-1])
    return [f"The meeting rooms{at} seat {listed} people.", f"Meeting room sizes{at}: {listed} seats.",
            f"The largest meeting room{at} seats {max(sizes)}."][k % 3]


def _inclusion(v: Values, s: str, at: str, k: int) -> str:
    item = {"utilities": "utilities", "hvac": "HVAC", "internet": "internet"}[v["item"]]
    if v["included"]:
        return [f"{item[0].upper() + item[1:]} {'are' if item == 'utilities' else 'is'} included in the rent{at}.",
                f"The rent{at} covers {item}.", f"{s}'s rent includes {item}."][k % 3]
    return [f"{item[0].upper() + item[1:]} {'are' if item == 'utilities' else 'is'} not included{at}.",
            f"{item[0].upper() + item[1:]} {'are' if item == 'utilities' else 'is'} billed separately{at}.",
            f"The rent{at} doesn't cover {item}."][k % 3]


def _cleaning(v: Values, s: str, at: str, k: int) -> str:
    f = v["freq"]
    return [f"Janitorial{at} is {f}.", f"Cleaning{at} happens {f}.", f"{s} gets {f} cleaning."][k % 3] \
        if f not in ("twice a week", "every other week") else \
        [f"Cleaners come {f}{at}.", f"Janitorial service{at} is {f}."][k % 2]


def _kitchen(v: Values, s: str, at: str, k: int) -> str:
    kind = v["kind"]
    return [f"{s} has a {kind}.", f"There's a {kind}{at}.", f"The rent{at} includes a {kind}."][k % 3]


def _speed(v: Values, s: str, at: str, k: int) -> str:
    mbps = v["mbps"]
    speed = [f"{mbps:g} Mbps", f"{mbps / 1000:g} Gbps" if mbps >= 1000 else f"{mbps:g} Mbps"][k % 2]
    return [f"Internet{at} is {speed}.", f"The building{at} has {speed} internet.",
            f"{s}'s internet runs at {speed}."][k % 3]


def _tour(v: Values, s: str, at: str, k: int) -> str:
    d, t = v["day"].capitalize(), v["time"]
    return [f"{d} at {t} is open for a tour{at}.", f"I can show you {s} on {d} at {t}.",
            f"How about a walkthrough on {d} at {t}?", f"We could tour {s} {d} at {t}."][k % 4]


def _amenity(v: Values, s: str, at: str, k: int) -> str:
    thing = v["thing"]
    return [f"{s} also has {thing}.", f"Tenants get access to {thing}{at}.", f"There's {thing}{at} too."][k % 3]


SAY: dict[str, Callable[[Values, str, str, int], str]] = {
    "rent": _rent, "parking_cost": _parking_cost, "parking_kind": _parking_kind, "parking_spots": _spots,
    "card_cost": _card, "access_hours": _hours, "access_notice": _notice, "access_system": _system,
    "dogs_allowed": _dogs, "dog_deposit": _deposit, "dog_size": _size, "meeting_count": _rooms,
    "meeting_sizes": _sizes, "inclusions": _inclusion, "janitorial": _cleaning, "kitchen": _kitchen,
    "internet_speed": _speed, "tour": _tour, "amenities": _amenity,
}


def say(family: str, values: Values, name: str, k: int, *, named: bool) -> str:
    """One sentence; `named` puts the space's name in it, else the reply's subject is implied."""
    subject = name if named else ("The space", "The office", "This space")[k % 3]
    at = f" at {name}" if named else ""
    text = SAY[family](values, subject, at, k)
    if not named:  # "You can get into the space …" mid-sentence
        text = text[:1] + text[1:].replace(subject, subject.lower())
    return text[0].upper() + text[1:]
