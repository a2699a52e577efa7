"""Which rollup rows cover a range of UTC days: whole months, then whole ISO weeks, then single days.

The rollups of revisions 0011 and 0021 hold every figure three times: per UTC day ('d'), per ISO week
('w', period = its Monday) and per calendar month ('m', period = its first day). A range reads its
whole months from 'm' rows; what is left at either edge is less than a month, inside one month, and
reads its whole weeks from 'w' rows and its other days from 'd' rows. No day is read twice and none is
missed (tests/unit/test_analytics_periods.py), and all time reads a few dozen months, not 150 weeks.
"""

from __future__ import annotations

from datetime import date, timedelta

MONTHLY_AFTER_DAYS = 53 * 7  # a longer range charts its volume by month: a year of weekly points is the most drawn

# Whole months from 'm' rows; at each edge (a) and (z), its whole weeks from 'w' rows and its other days from 'd'
# rows: never two grains for one day.
_EDGE = """(grain = 'd' AND period >= :{e}_start AND period < :{e}_end
                  AND (period < :{e}_weeks_start OR period >= :{e}_weeks_end))
        OR (grain = 'w' AND period >= :{e}_weeks_start AND period < :{e}_weeks_end)"""
PERIOD = f"""((grain = 'm' AND period >= :months_start AND period < :months_end)
    OR {_EDGE.format(e="a")}
    OR {_EDGE.format(e="z")})"""


def period_params(start: date, end: date, *, months: bool = True) -> dict[str, date]:
    """Bind parameters for an inclusive range of UTC days: its whole calendar months (none when `months` is
    false), and at either edge that is left its whole ISO weeks and its other days."""
    after = min(end, date.max - timedelta(days=1)) + timedelta(days=1)
    first = start if start.day == 1 else _next_month(start)
    last = after.replace(day=1)
    if not months or first >= last:  # no whole month: the range is one edge
        first = last = max(after, start)
    return {"months_start": first, "months_end": last, **_edge("a", start, first), **_edge("z", last, after)}


def _next_month(day: date) -> date:
    if day.month < 12:
        return date(day.year, day.month + 1, 1)
    return date(day.year + 1, 1, 1) if day.year < date.max.year else date.max


def _edge(name: str, start: date, after: date) -> dict[str, date]:
    """Days [start, after) and the whole ISO weeks inside them (Monday to Monday; start = end when none)."""
    lo, hi = start.toordinal(), after.toordinal()  # ordinals: a week near date.max must not overflow
    weeks_start = min(lo + (-((lo + 6) % 7)) % 7, hi)  # the first Monday on or after start (ordinal 1 is one)
    weeks_end = max(hi - (hi + 6) % 7, weeks_start)  # the last Monday on or before `after`
    return {f"{name}_start": start, f"{name}_end": after,
            f"{name}_weeks_start": date.fromordinal(weeks_start), f"{name}_weeks_end": date.fromordinal(weeks_end)}


def charted_by_month(start: date, end: date) -> bool:
    """Whether the volume chart's points are months: for a range longer than MONTHLY_AFTER_DAYS."""
    return (end - start).days + 1 > MONTHLY_AFTER_DAYS
