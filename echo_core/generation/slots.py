"""Weekdays and times in text: 'Tuesday at 2pm', 'Wed 10:30am', 'Thu around 3', 'tomorrow'."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

_F = re.IGNORECASE
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAY = re.compile(r"\b(mon(day)?|tue(s(day)?)?|wed(nesday)?|thu(r(s(day)?)?)?|fri(day)?|sat(urday)?|sun(day)?|"
                  r"tomorrow|today)\b\.?", _F)
_TIME = re.compile(r"\b(\d{1,2})(?::(\d{2}))?\s*(a\.?m\.?|p\.?m\.?|hours?\b|h\b)?(?=\W|$)|\b(noon|midday)\b", _F)


@dataclass(frozen=True)
class Slot:
    """A weekday with an optional time in minutes after midnight."""

    weekday: str
    minutes: int | None = None

    def label(self) -> str:
        return self.weekday.capitalize() + (f" at {format_minutes(self.minutes)}" if self.minutes is not None else "")


def format_minutes(minutes: int) -> str:
    hour, minute = divmod(minutes, 60)
    suffix = "am" if hour < 12 else "pm"
    hour12 = hour % 12 or 12
    return f"{hour12}:{minute:02d}{suffix}" if minute else f"{hour12}{suffix}"


def parse_slot_time(text: str) -> int | None:
    """'2pm', '10:30am' -> minutes after midnight."""
    match = re.fullmatch(r"\s*(\d{1,2})(?::(\d{2}))?\s*(am|pm)\s*", text, _F)
    if not match:
        return None
    hour = int(match.group(1)) % 12 + (12 if match.group(3).lower() == "pm" else 0)
    return hour * 60 + int(match.group(2) or 0)


def _weekday(token: str, now: datetime | None) -> str | None:
    token = token.lower().rstrip(".")
    if token in ("today", "tomorrow"):
        if now is None:
            return None
        return WEEKDAYS[(now.weekday() + (1 if token == "tomorrow" else 0)) % 7]
    return next((d for d in WEEKDAYS if d.startswith(token[:3])), None)


def find_slots(text: str, now: datetime | None = None) -> list[Slot]:
    """Weekday/time requests in `text`, in order."""
    return [slot for _, slot in find_slots_at(text, now)]


def find_slots_at(text: str, now: datetime | None = None) -> list[tuple[int, Slot]]:
    """Each slot of `text` with the position of its weekday word."""
    slots: list[tuple[int, Slot]] = []
    for day in _DAY.finditer(text):
        token = day.group(1)
        if token.lower() in ("sat", "sun", "wed", "mon") and not token[0].isupper() and len(token) == 3:
            continue  # 'sun', 'wed' in running prose are rarely weekdays
        weekday = _weekday(token, now)
        if weekday is None:
            continue
        tail = text[day.end(): day.end() + 24]
        time = _TIME.search(tail)
        minutes = None
        if time and re.match(r"^[\s,]*(at|around|@|about|~|from|,)?\s*(\d|noon|midday)", tail, _F):
            minutes = _to_minutes(time)
        slots.append((day.start(), Slot(weekday, minutes)))
    return slots


def _to_minutes(time: re.Match[str]) -> int | None:
    if time.group(4):
        return 12 * 60
    hour = int(time.group(1))
    if hour > 23:
        return None
    minute = int(time.group(2) or 0)
    meridiem = (time.group(3) or "").lower().replace(".", "")
    if meridiem == "pm" and hour < 12:
        hour += 12
    elif meridiem == "am" and hour == 12:
        hour = 0
    elif meridiem in ("", "h", "hour", "hours") and 1 <= hour <= 6:
        hour += 12  # "around 3" means the afternoon in a tour request
    return hour * 60 + minute
