"""ui/static_table.py: small read-only tables as one block of escaped HTML."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pandas as pd
import pytest

from ui.static_table import cell_text, table_html


@pytest.mark.parametrize(("value", "percent", "shown"), [
    (None, False, "—"), (float("nan"), False, "—"), (pd.NaT, False, "—"), (pd.NA, False, "—"),
    (True, False, "yes"), (np.bool_(False), False, "no"),
    (1234567, False, "1,234,567"), (np.int64(42), False, "42"),
    (2.0, False, "2"), (1234.5678, False, "1,234.57"), (np.float64(0.125), True, "12%"),
    ("plain", False, "plain"),
])
def test_a_cell_is_written_one_way(value: object, percent: bool, shown: str) -> None:
    assert cell_text(value, percent=percent) == shown


def test_a_time_is_local_with_its_zone() -> None:
    assert cell_text(datetime(2026, 3, 4, 9, 5, tzinfo=UTC)) == "Wed 4 Mar 2026, 09:05 UTC"


def test_markup_in_a_cell_or_a_header_stays_text_and_bidi_controls_are_visible() -> None:
    frame = pd.DataFrame({"<b>col</b>": ["<script>alert(1)</script>", "evil\u202egpj.exe"]})

    html = table_html(frame, name='Name "quoted"')

    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;col&lt;/b&gt;" in html
    assert "\u202e" not in html and "[U+202E]" in html
    assert 'aria-label="Name &quot;quoted&quot;"' in html


def test_numbers_are_right_aligned_and_labels_are_human_or_given() -> None:
    frame = pd.DataFrame({"items_done": [3], "busy_pct": [0.5], "state": ["ok"]})

    html = table_html(frame, name="t", percent=("busy_pct",), labels={"busy_pct": "Busy of pool"})

    assert ">Items done</th>" in html and ">Busy of pool</th>" in html and ">State</th>" in html
    assert html.count("text-align:right") == 4  # two numeric headers, two numeric cells
    assert ">50%</td>" in html and ">3</td>" in html and ">ok</td>" in html


def test_an_empty_table_says_so_under_its_header() -> None:
    html = table_html(pd.DataFrame({"worker": pd.Series([], dtype=object)}), name="Workers")

    assert ">Worker</th>" in html and "Nothing to show." in html


def test_a_long_text_shows_three_lines_and_the_whole_of_it_on_hover() -> None:
    query = "SELECT " + ", ".join(f"column_{n}" for n in range(60)) + " FROM t WHERE a < 1"

    html = table_html(pd.DataFrame({"query": [query, "SELECT 1"]}), name="Slowest statements")

    assert html.count("-webkit-line-clamp:3") == 1
    assert f'title="{query.replace("<", "&lt;")}"' in html
