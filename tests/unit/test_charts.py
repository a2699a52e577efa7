"""The analytics charts drawn as HTML: scales, stacking, tooltips, time axes, and data kept as text."""

from __future__ import annotations

import base64
import re
from datetime import date
from html.parser import HTMLParser

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ui import charts

CONFIDENCE = charts.Bars("bucket", "drafts", x_title="confidence", y_title="drafts", color="outcome",
                         color_domain=("sent", "archived"))
SHARE = charts.Bars("bucket", "share", x_title="confidence", y_title="share", percent=True)
REASONS = charts.HorizontalBars("reason", "drafts", category_title="reason", value_title="drafts")
WEEKLY = charts.Lines("week", ("written", "sent"), x_title="week", y_title="drafts")
MONTHLY = charts.Lines("month", ("written",), x_title="month", y_title="drafts", monthly=True)


class _Boxes(HTMLParser):
    """Every element's tag and attributes, in document order."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}))


def boxes(markup: str) -> list[tuple[str, dict[str, str]]]:
    parser = _Boxes()
    parser.feed(markup)
    return parser.elements


def titles(markup: str) -> list[str]:
    return [attrs["title"] for _, attrs in boxes(markup) if "title" in attrs]


def style_of(markup: str, title: str, prop: str) -> str:
    style = next(attrs["style"] for _, attrs in boxes(markup) if attrs.get("title") == title)
    found = re.search(rf"(?:^|;){prop}:([^;]+)", style)
    assert found, style
    return found[1]


@pytest.mark.parametrize(("top", "percent", "expected"), [
    (6, False, [0, 2, 4, 6]),
    (3, False, [0, 1, 2, 3]),
    (1234, False, [0, 500, 1000, 1500]),
    (0, False, [0, 1]),
    (0.33, True, [0, 0.1, 0.2, 0.3, 0.4]),
    (1.0, True, [0, 0.25, 0.5, 0.75, 1.0]),
])
def test_the_scale_has_round_steps_from_zero_past_the_top(top: float, percent: bool, expected: list[float]) -> None:
    assert charts.ticks(top, percent=percent) == pytest.approx(expected)


@given(st.floats(min_value=0.001, max_value=1e9), st.booleans())
def test_any_top_gets_a_few_even_steps_that_reach_it(top: float, percent: bool) -> None:
    scale = charts.ticks(top, percent=percent)
    steps = {round(b - a, 6) for a, b in zip(scale, scale[1:], strict=False)}
    assert scale[0] == 0 and scale[-1] >= top * (1 - 1e-9) and scale[-2] < top
    assert 2 <= len(scale) <= 7 and len(steps) == 1
    assert percent or all(float(t).is_integer() for t in scale)


def test_stacked_bars_put_each_outcome_in_its_bucket_at_its_height() -> None:
    frame = pd.DataFrame({"bucket": [50, 50, 90], "outcome": ["archived", "sent", "sent"], "drafts": [1, 2, 5]})
    markup = charts.chart_html(frame, CONFIDENCE, name="Confidence by outcome", key="chart_c")
    assert titles(markup) == [
        "confidence: 50 · drafts: 3", "confidence: 50 · outcome: sent · drafts: 2",
        "confidence: 50 · outcome: archived · drafts: 1",
        "confidence: 90 · drafts: 5", "confidence: 90 · outcome: sent · drafts: 5",
        "50", "90",  # the bucket labels under the columns
    ]
    # The scale runs to 6 (steps of 2): 2 sent drafts are a third of the height, 5 are five sixths.
    assert style_of(markup, "confidence: 50 · outcome: sent · drafts: 2", "height") == "33.333%"
    assert style_of(markup, "confidence: 90 · outcome: sent · drafts: 5", "height") == "83.333%"
    assert 'data-chart="chart_c"' in markup and 'aria-label="Confidence by outcome"' in markup
    assert ">sent</span>" in markup and ">archived</span>" in markup  # the legend, in the domain's order


def test_a_share_is_a_percent_on_its_axis_and_a_zero_share_keeps_its_tooltip() -> None:
    frame = pd.DataFrame({"bucket": [40, 90], "share": [0.0, 0.333]})
    markup = charts.chart_html(frame, SHARE, name="Calibration", key="chart_s")
    assert titles(markup)[:2] == ["confidence: 40 · share: 0%", "confidence: 90 · share: 33%"]
    assert ">40%</div>" in markup and ">20%</div>" in markup


def test_horizontal_bars_keep_the_frames_order_and_print_their_values() -> None:
    frame = pd.DataFrame({"reason": ["Wrong facts", "Duplicate", "Other"], "drafts": [2, 4, 0]})
    markup = charts.chart_html(frame, REASONS, name="Archive reasons", key="chart_r")
    tips = [t for t in titles(markup) if " · " in t]
    assert tips == ["reason: Wrong facts · drafts: 2", "reason: Duplicate · drafts: 4", "reason: Other · drafts: 0"]
    widths = [re.search(r"width:([\d.]+%)", attrs["style"]) for _, attrs in boxes(markup)
              if "height:1.1rem" in attrs.get("style", "")]
    assert [w[1] for w in widths if w] == ["50.000%", "100.000%", "0.000%"]


def test_labels_from_the_data_stay_text_with_bidi_controls_visible() -> None:
    hostile = '<img src=x onerror="alert(1)">\u202egnp.exe'
    frame = pd.DataFrame({"reason": [hostile], "drafts": [3]})
    markup = charts.chart_html(frame, REASONS, name=hostile, key="chart_x")
    assert "<img" not in markup and "onerror=\"" not in markup and "\u202e" not in markup
    assert "[U+202E]" in markup and "&lt;img" in markup


def test_weekly_lines_fill_a_week_without_drafts_with_zero_and_label_each_point() -> None:
    frame = pd.DataFrame({"week": [date(2026, 10, 5), date(2026, 10, 19)], "written": [3, 1], "sent": [1, 1]})
    markup = charts.chart_html(frame, WEEKLY, name="Weekly volume", key="chart_v")
    assert titles(markup) == [
        "week of 5 Oct 2026 · written: 3", "week of 12 Oct 2026 · written: 0", "week of 19 Oct 2026 · written: 1",
        "week of 5 Oct 2026 · sent: 1", "week of 12 Oct 2026 · sent: 0", "week of 19 Oct 2026 · sent: 1",
    ]
    assert style_of(markup, "week of 12 Oct 2026 · written: 0", "left") == "50.00%"
    assert style_of(markup, "week of 19 Oct 2026 · written: 1", "bottom") == "33.33%"  # 1 on a scale to 3
    assert ">12 Oct</span>" in markup


def test_the_line_drawing_is_an_image_of_numbers_only() -> None:
    frame = pd.DataFrame({"week": pd.to_datetime(["2026-10-05", "2026-10-12"]), "written": [2, 4], "sent": [0, 1]})
    markup = charts.chart_html(frame, WEEKLY, name="Weekly volume", key="chart_v")
    source = next(attrs["src"] for tag, attrs in boxes(markup) if tag == "img")
    drawing = base64.b64decode(source.removeprefix("data:image/svg+xml;base64,")).decode()
    assert drawing.count("<polyline") == 2
    assert re.sub(r'points="[\d., ]+"|stroke="#[0-9a-f]{6}"', "", drawing) == (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1000 1000" preserveAspectRatio="none">'
        + '<polyline  fill="none"  stroke-width="2" vector-effect="non-scaling-stroke"/>' * 2 + "</svg>")


def test_monthly_lines_sum_a_months_rows_and_name_the_month() -> None:
    frame = pd.DataFrame({"month": [date(2026, 1, 1), date(2026, 1, 1), date(2026, 3, 1)], "written": [2, 3, 1]})
    markup = charts.chart_html(frame, MONTHLY, name="Monthly volume", key="chart_m")
    assert titles(markup) == ["month of Jan 2026 · written: 5", "month of Feb 2026 · written: 0",
                              "month of Mar 2026 · written: 1"]
    assert ">Jan 2026</span>" in markup


@pytest.mark.parametrize("spec", [CONFIDENCE, SHARE, REASONS, WEEKLY])
def test_an_empty_frame_draws_an_empty_chart(spec: charts.Spec) -> None:
    columns = {charts.Bars: ["bucket", "outcome", "drafts", "share"], charts.HorizontalBars: ["reason", "drafts"],
               charts.Lines: ["week", "written", "sent"]}[type(spec)]
    markup = charts.chart_html(pd.DataFrame(columns=columns), spec, name="Empty", key="chart_e")
    assert markup.startswith('<figure class="echo-chart"') and " · " not in markup
