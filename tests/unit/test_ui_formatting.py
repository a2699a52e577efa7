"""One way to write times, money, missing values, labels and articles."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest

from ui.formatting import MISSING, article, dash, hours, label, money, relative

NOW = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("ago", "expected"),
    [(timedelta(seconds=20), "just now"), (timedelta(minutes=12), "12 min ago"), (timedelta(hours=2), "2 h ago"),
     (timedelta(hours=47), "1 d ago"), (timedelta(days=6), "6 d ago"), (timedelta(days=40), "23 Jan"),
     (timedelta(days=400), "28 Jan 2025")],
)
def test_relative_ages_read_like_an_inbox(ago: timedelta, expected: str) -> None:
    assert relative(NOW - ago, NOW) == expected


def test_a_missing_time_is_a_dash_not_none() -> None:
    assert relative(None) == MISSING and relative(pd.NaT) == MISSING


@pytest.mark.parametrize(("value", "expected"), [(15000, "$15,000"), (12.5, "$12.50"), (0, "$0"), (None, MISSING)])
def test_money_is_written_one_way(value: object, expected: str) -> None:
    assert money(value) == expected


@pytest.mark.parametrize(("role", "expected"), [("analyst", "an analyst"), ("broker", "a broker"), ("lead", "a lead")])
def test_the_article_fits_the_role(role: str, expected: str) -> None:
    assert article(role) == expected


@pytest.mark.parametrize(("column", "expected"), [("inbound_subject", "Subject"), ("monthly_budget", "Budget / month"),
                                                  ("last_seen_at", "Last seen at"), ("validation", "Fact check")])
def test_columns_get_human_labels(column: str, expected: str) -> None:
    assert label(column) == expected


@pytest.mark.parametrize("value", [None, "", float("nan")])
def test_missing_values_are_a_dash(value: object) -> None:
    assert dash(value) == MISSING


@pytest.mark.parametrize(("minutes", "shown"), [(750, "12.5 h"), (-0.4, "0.0 h"), (0.4, "0.0 h"), (-30, "-0.5 h"),
                                               (None, MISSING), (float("nan"), MISSING)])
def test_hours_round_to_a_tenth_and_never_show_minus_zero(minutes: float | None, shown: str) -> None:
    assert hours(minutes) == shown
