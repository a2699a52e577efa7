"""A judged claim, and how values are written in an issue."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    """What is wrong with a claim: `record` is the record's value in words, `path` where it lives."""

    level: str  # "fail" | "warn"
    said: str
    record: str
    path: str


def fail(said: str, record: str, path: str) -> Finding:
    return Finding("fail", said, record, path)


def warn(said: str, path: str, record: str = "nothing on file") -> Finding:
    return Finding("warn", said, record, path)


def usd(value: float) -> str:
    return f"${value:,.0f}" if float(value).is_integer() else f"${value:,.2f}"


def per(period: str | None) -> str:
    return f" per {period}" if period and period not in ("once",) else ""


def yes(value: bool | None, positive: str, negative: str) -> str:
    return positive if value else negative


def clock_label(minutes: int) -> str:
    hour, minute = divmod(minutes % 1440, 60)
    suffix = "am" if hour < 12 else "pm"
    return f"{hour % 12 or 12}:{minute:02d}{suffix}" if minute else f"{hour % 12 or 12}{suffix}"
