"""The analytics page: KPIs from the database, every chart downloadable, fresh after review actions."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from echo_core.db.models import EmailDraft
from tests.app.conftest import figure_values, html_blocks
from tests.factories import make_deal, make_draft

PAGE = "pages/analytics.py"
NOW = datetime.now(UTC)
TAB_KEY = "analytics_tab"
# Each tab's charts (a tooltip each must show, from `history`) and CSV downloads; only the open tab's content runs.
TABS = {
    "Confidence": ({"chart_confidence_by_outcome": "confidence (bucket start): 40 · outcome: archived · drafts: 1",
                    "chart_calibration": "confidence (bucket start): 40 · share sent untouched: 0%"},
                   {"csv_confidence_by_outcome", "csv_calibration"}),
    "Volume and funnel": ({"chart_volume": "week of ",
                           "chart_status_funnel": "stage: 1 written · drafts: 2"},
                          {"csv_volume", "csv_status_funnel"}),
    "Archive and fact checks": ({"chart_archive_reasons": "reason: Wrong facts · drafts: 1",
                                 "chart_validation_outcomes": "validation: "},
                                {"csv_archive_reasons", "csv_validation_outcomes"}),
    "Activity per broker": ({}, {"csv_broker_activity"}),
}
CHART = re.compile(r'data-chart="([^"]+)"')


def drawn_charts(at: AppTest) -> dict[str, str]:
    """The charts on the page (ui.charts: one html element each), by key: their markup, entities decoded."""
    return {match[1]: html.unescape(block) for block in html_blocks(at, "echo-chart")
            if (match := CHART.search(block))}


@pytest.fixture
def history(app_engine: Engine) -> list[EmailDraft]:
    with Session(app_engine, expire_on_commit=False) as s:
        deal = make_deal(s)
        rows = [
            make_draft(s, deal=deal, confidence_score=90, created_at=NOW - timedelta(days=2)),
            make_draft(s, deal=deal, confidence_score=40, status="archived", archive_category="wrong_facts",
                       created_at=NOW - timedelta(days=1)),
            make_draft(s, deal=deal, confidence_score=20, created_at=NOW - timedelta(days=400)),  # out of range
        ]
        s.commit()
    return rows


def _metrics(at: AppTest) -> dict[str, str]:
    return figure_values(at)


def _open_tab(at: AppTest, label: str) -> AppTest:
    at.session_state[TAB_KEY] = label
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    return at


def test_kpis_count_the_teams_drafts_in_the_default_range(history: list[EmailDraft],
                                                          open_page: Callable[..., AppTest]) -> None:
    at = open_page(PAGE, role="lead")
    assert not at.exception and not at.error
    metrics = _metrics(at)
    assert (metrics["Drafts written"], metrics["Archived"], metrics["Sent"]) == ("2", "1", "0")
    assert metrics["Average confidence"] == "65"
    assert metrics["Approval rate"] == "0%"  # one decided draft, archived without approval


def test_every_chart_has_a_csv_download(history: list[EmailDraft], open_page: Callable[..., AppTest]) -> None:
    at = open_page(PAGE, role="analyst")
    for label, (_, downloads) in TABS.items():
        keys = {b.key for b in _open_tab(at, label).get("download_button")}
        assert downloads <= keys, label


def test_each_tab_draws_only_its_own_charts_from_the_figures(history: list[EmailDraft],
                                                              open_page: Callable[..., AppTest]) -> None:
    at = open_page(PAGE, role="lead")
    for label, (charts, _) in TABS.items():
        _open_tab(at, label)
        drawn = drawn_charts(at)
        assert set(drawn) == set(charts), label
        for key, tooltip in charts.items():
            assert tooltip in drawn[key], (key, drawn[key])
        assert not at.get("dataframe") or label == "Activity per broker"
        if "chart_volume" in drawn:  # the two drafts in range, in one week or two
            assert sum(map(int, re.findall(r" · written: (\d+)", drawn["chart_volume"]))) == 2


def test_a_narrower_date_range_narrows_the_figures(history: list[EmailDraft],
                                                   open_page: Callable[..., AppTest]) -> None:
    at = open_page(PAGE, role="lead")
    today = date.today()
    at.date_input(key="analytics_range").set_value((today - timedelta(days=500), today)).run()
    assert _metrics(at)["Drafts written"] == "3"
    yesterday = (NOW - timedelta(days=1)).date()
    at.date_input(key="analytics_range").set_value((yesterday, today)).run()
    assert _metrics(at)["Drafts written"] == "1"


def test_a_range_over_a_year_charts_volume_by_utc_month(history: list[EmailDraft],
                                                        open_page: Callable[..., AppTest]) -> None:
    at = open_page(PAGE, role="lead")
    today = date.today()
    at.date_input(key="analytics_range").set_value((today - timedelta(days=500), today)).run()
    _open_tab(at, "Volume and funnel")
    assert "Monthly volume" in [h.value for h in at.subheader]
    volume = drawn_charts(at)["chart_volume"]
    assert "month of " in volume and "week of " not in volume
    at.date_input(key="analytics_range").set_value((today - timedelta(days=30), today)).run()
    assert "Weekly volume" in [h.value for h in at.subheader]


def test_a_brokers_archive_on_the_review_page_shows_at_once_in_their_analytics(
    history: list[EmailDraft], open_page: Callable[..., AppTest]
) -> None:
    pending = history[0]
    at = open_page(PAGE, role="broker")
    assert _metrics(at)["Archived"] == "0"  # a broker's figures cover only drafts they acted on; now cached
    at.session_state["open_draft"] = pending.id
    at.switch_page("pages/drafts.py").run()
    at.button(key=f"archive_open_{pending.id}_1").click().run()
    at.radio(key=f"archive_reason_{pending.id}_1").set_value("duplicate").run()
    at.button(key=f"archive_{pending.id}_1").click().run()
    assert not at.error, [e.value for e in at.error]
    at.switch_page(PAGE).run()
    assert _metrics(at)["Archived"] == "1"
    activity = _open_tab(at, "Activity per broker").dataframe[0].value
    assert list(activity["broker"]) == ["broker@tandem.space"] and int(activity["Archived"].iloc[0]) == 1
    assert "Opened" not in activity.columns, "opening a draft is reading it, not work"


def test_an_empty_range_renders_without_errors(app_db_url: str, open_page: Callable[..., AppTest]) -> None:
    at = open_page(PAGE)
    assert not at.exception and not at.error
    assert _metrics(at)["Approval rate"] == "—"
