"""Tour slots from a space's weekday availability: confirm a free slot or offer the nearest free ones."""

from __future__ import annotations

from typing import TYPE_CHECKING

from echo_core.generation.slots import WEEKDAYS, Slot, parse_slot_time

if TYPE_CHECKING:
    from echo_core.generation.answers import Answer
    from echo_core.generation.context import SpaceFacts

WEEK = 7 * 24 * 60


def free_slots(space: SpaceFacts) -> list[Slot]:
    """The space's bookable slots in weekday order."""
    slots = []
    for day in WEEKDAYS:
        for raw in space.availability.get(day, []):
            minutes = parse_slot_time(raw)
            if minutes is not None:
                slots.append(Slot(day, minutes))
    return sorted(slots, key=_position)


def _position(slot: Slot) -> int:
    return WEEKDAYS.index(slot.weekday) * 1440 + (slot.minutes if slot.minutes is not None else 12 * 60)


def nearest(requested: Slot, slots: list[Slot], count: int = 2) -> list[Slot]:
    """Free slots closest to the requested one (same weekday first, then around the week)."""
    target = _position(requested)

    def distance(slot: Slot) -> tuple[int, int]:
        gap = abs(_position(slot) - target)
        return (0 if slot.weekday == requested.weekday else 1, min(gap, WEEK - gap))

    return sorted(sorted(slots, key=distance)[:count], key=_position)


def _labels(slots: list[Slot]) -> str:
    labels = [s.label() for s in slots]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " or " + labels[-1]


def _requested(a: Answer) -> list[Slot]:
    """The slots asked for this space: those named with it, else those named with no space."""
    q = a.question
    space_id = a.space.id if a.space else None
    pairs = list(zip(q.slots, q.slot_spaces or (None,) * len(q.slots), strict=False))
    return [slot for slot, sid in pairs if sid == space_id] or [slot for slot, sid in pairs if sid is None]


def tour_answer(a: Answer) -> None:
    space = a.space
    assert space is not None
    slots = free_slots(space)
    for day in WEEKDAYS:
        if space.availability.get(day):
            a.use(f"tour slots {day}", f"availability.{day}", space.availability[day])
    if not slots:
        a.defer(f"I'll confirm with the host which tour times work at {space.name}.")
        a.scheduling.append(f"{space.name} has no tour availability on file; asked the host.")
        return
    requested = _requested(a)
    if not requested:
        offer = slots[:3]
        a.say(f"I can set up a tour of {space.name} on {_labels(offer)} — let me know which suits you.")
        a.scheduling.append(f"No time requested; offered the first open slots at {space.name}: {_labels(offer)}.")
        return
    want = requested[0]
    same_day = [s for s in slots if s.weekday == want.weekday]
    if want.minutes is None:
        if same_day:
            a.say(f"On {want.weekday.capitalize()}, {space.name} has tour slots at "
                  + _labels([Slot(s.weekday, s.minutes) for s in same_day]).replace(
                      f"{want.weekday.capitalize()} at ", "") + " — which works best?")
            a.scheduling.append(f"Requested {want.weekday}; offered that day's open slots.")
        else:
            offer = nearest(want, slots)
            a.say(f"{space.name} doesn't have tour slots on {want.weekday.capitalize()}, but the nearest open "
                  f"ones are {_labels(offer)}.")
            a.scheduling.append(f"Requested {want.weekday}: no slots that day; offered {_labels(offer)}.")
        return
    if want in slots:
        a.say(f"{want.label()} is open for a tour of {space.name}, so I'll lock that in with the host.")
        a.scheduling.append(f"Requested {want.label()}: free in {space.name}'s availability; confirmed.")
        return
    offer = nearest(want, slots)
    a.say(f"{want.label()} isn't one of the open tour slots at {space.name}, but the nearest free ones are "
          f"{_labels(offer)} — would one of those work?")
    a.scheduling.append(f"Requested {want.label()}: not in {space.name}'s availability; offered nearest "
                        f"{_labels(offer)}.")
