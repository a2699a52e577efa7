"""A range of days is covered by whole months, whole ISO weeks and single days: each day once, none missed."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from echo_core.queries.analytics_periods import charted_by_month, period_params


def _rows(params: dict[str, date]) -> list[tuple[str, date]]:
    """The (grain, period) rollup keys the PERIOD predicate selects, read from its parameters as the SQL does."""
    rows: list[tuple[str, date]] = []
    day = params["months_start"]
    while day < params["months_end"]:
        rows.append(("m", day))
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    for e in ("a", "z"):
        day = params[f"{e}_start"]
        while day < params[f"{e}_end"]:
            if params[f"{e}_weeks_start"] <= day < params[f"{e}_weeks_end"]:
                if day.weekday() == 0:
                    rows.append(("w", day))
            else:
                rows.append(("d", day))
            day += timedelta(days=1)
    return rows


def _days(grain: str, period: date) -> list[date]:
    if grain == "d":
        return [period]
    if grain == "w":
        return [period + timedelta(days=n) for n in range(7)]
    after = date(period.year + period.month // 12, period.month % 12 + 1, 1)
    return [period + timedelta(days=n) for n in range((after - period).days)]


def _check(start: date, end: date, months: bool) -> list[tuple[str, date]]:
    params = period_params(start, end, months=months)
    rows = _rows(params)
    covered = [day for row in rows for day in _days(*row)]
    assert len(covered) == len(set(covered)), "a day is read twice"
    wanted = {start + timedelta(days=n) for n in range((end - start).days + 1)}
    assert set(covered) == wanted
    assert all(p.day == 1 for g, p in rows if g == "m")
    assert all(p.weekday() == 0 for g, p in rows if g == "w")
    if not months:
        assert all(g != "m" for g, _ in rows)
    return rows


dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31))


@given(dates, st.integers(min_value=0, max_value=1500), st.booleans())
def test_every_day_of_the_range_is_read_once(start: date, length: int, months: bool) -> None:
    _check(start, start + timedelta(days=length), months)


@given(dates, st.integers(min_value=1, max_value=60))
def test_a_reversed_range_reads_nothing(start: date, back: int) -> None:
    assert _rows(period_params(start, start - timedelta(days=back))) == []


def test_the_ends_of_the_calendar_do_not_overflow() -> None:
    assert period_params(date.min, date.min + timedelta(days=40))["a_start"] == date.min
    _check(date.max - timedelta(days=50), date.max - timedelta(days=1), True)
    assert period_params(date(9999, 12, 5), date.max)["z_end"] == date.max


def test_three_years_read_a_few_dozen_rows_a_key_not_one_per_week() -> None:
    rows = _check(date(2023, 12, 1), date(2026, 11, 30), True)
    assert [g for g, _ in rows].count("m") == 36 and len(rows) == 36
    ragged = _check(date(2023, 11, 29), date(2026, 11, 27), True)
    assert len(ragged) <= 35 + 2 * (4 + 6)
    assert len(_check(date(2023, 11, 29), date(2026, 11, 27), False)) > 150


def test_a_month_is_not_taken_when_only_part_of_it_is_in_the_range() -> None:
    rows = _check(date(2026, 3, 2), date(2026, 3, 30), True)
    assert {g for g, _ in rows} == {"w", "d"}
    assert [g for g, _ in _check(date(2026, 3, 1), date(2026, 3, 31), True)] == ["m"]


def test_the_volume_is_charted_by_month_past_a_year_of_weeks() -> None:
    assert not charted_by_month(date(2026, 1, 1), date(2026, 1, 1) + timedelta(days=53 * 7 - 1))
    assert charted_by_month(date(2026, 1, 1), date(2026, 1, 1) + timedelta(days=53 * 7))
