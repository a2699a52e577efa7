"""CSV cells are spreadsheet-safe and JSON is flattened — no database needed."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pandas as pd
import pytest

from echo_core.errors import InvalidInput
from echo_core.export import cell, dataframe_to_csv_bytes, flatten, neutralise, parse_since
from echo_core.permissions import Actor, Role

ANALYST = Actor("analyst@tandem.space", Role.ANALYST)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("=HYPERLINK(\"http://evil\")", "'=HYPERLINK(\"http://evil\")"),
        ("+1-555-0100", "'+1-555-0100"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Mission Loft", "Mission Loft"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_formula_like_strings_get_a_leading_quote(raw: str, expected: str) -> None:
    assert neutralise(raw) == expected


def test_numbers_are_not_neutralised_even_when_negative() -> None:
    assert neutralise(-5) == -5
    assert cell(-5) == "-5"


def test_nested_json_flattens_into_dotted_paths() -> None:
    value = {"parking": {"costMonthly": 250, "type": "garage"}, "hostStatus": "responsive"}
    assert flatten(value, "detailed_amenities") == {
        "detailed_amenities.parking.costMonthly": 250,
        "detailed_amenities.parking.type": "garage",
        "detailed_amenities.hostStatus": "responsive",
    }


def test_lists_become_one_readable_cell() -> None:
    assert cell(["2pm", "4pm"]) == "2pm; 4pm"
    assert cell([{"a": 1}]) == '[{"a": 1}]'


def test_missing_values_and_booleans_render_plainly() -> None:
    assert cell(None) == ""
    assert cell(float("nan")) == ""
    assert cell(True) == "true"
    assert cell(datetime(2026, 1, 31, 9, 0)) == "2026-01-31T09:00:00"


def test_dataframe_csv_flattens_json_and_neutralises_every_string_cell() -> None:
    df = pd.DataFrame(
        {
            "company": ["=cmd|' /C calc'!A0", "Ledgerly"],
            "requirements": [{"dogFriendly": True, "location": "@home"}, {"parking": False}],
            "budget": [16000, -1],
        }
    )
    rows = list(csv.reader(io.StringIO(dataframe_to_csv_bytes(df, actor=ANALYST).decode("utf-8"))))
    assert rows[0] == ["company", "requirements.dogFriendly", "requirements.location", "requirements.parking",
                       "budget"]
    assert rows[1] == ["'=cmd|' /C calc'!A0", "true", "'@home", "", "16000"]
    assert rows[2] == ["Ledgerly", "", "", "false", "-1"]


def test_dataframe_csv_neutralises_formula_headers_too() -> None:
    df = pd.DataFrame({"=evil": ["x"]})
    rows = list(csv.reader(io.StringIO(dataframe_to_csv_bytes(df, actor=ANALYST).decode("utf-8"))))
    assert rows[0] == ["'=evil"]


def test_empty_dataframe_gives_a_header_only_csv() -> None:
    df = pd.DataFrame({"a": pd.Series([], dtype=object), "b": pd.Series([], dtype="int64")})
    assert dataframe_to_csv_bytes(df, actor=ANALYST).decode("utf-8").splitlines() == ["a,b"]


def test_since_accepts_a_date_and_a_timestamp() -> None:
    assert parse_since("2026-01-31") == datetime(2026, 1, 31)
    assert parse_since("2026-01-31T09:30") == datetime(2026, 1, 31, 9, 30)
    assert parse_since(None) is None


@pytest.mark.parametrize("bad", ["yesterday", "2026-13-01", "31/01/2026", "'; DROP TABLE deals; --"])
def test_since_rejects_anything_but_an_iso_date_with_a_clear_message(bad: str) -> None:
    with pytest.raises(InvalidInput, match="--since must be a date like 2026-01-31"):
        parse_since(bad)
