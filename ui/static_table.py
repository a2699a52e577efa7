"""Small read-only tables drawn as one block of HTML, for what is read, not clicked (Monitoring, Home).

Why not st.dataframe: each one mounts a canvas data grid that sizes itself over several frames. On a stock
Streamlit page on this machine, six small grids cost the browser about 180 ms per visit and six HTML tables
about 45 ms. A grid stays where a person selects rows or reads thousands of them (the lists, the queue).

Every header and cell is HTML-escaped with its bidi controls made visible (`ui.text.html_text`); numbers are
right-aligned with thousands separators, times are local to the browser, missing values are "—".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from numbers import Integral, Real
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import streamlit as st

from ui.formatting import MISSING, browser_zone, label, local, number
from ui.text import html_text

CLASS = "echo-table"

# Inline styles: st.html sanitises its HTML and keeps style attributes. Borders as st.table's (theme-neutral).
_BOX = "overflow:auto;max-height:26rem;margin:0 0 1rem 0;border:1px solid rgba(128,128,128,0.3);border-radius:0.5rem"
_TABLE = "border-collapse:collapse;width:100%;font-size:0.875rem"
_HEAD = ("text-align:left;font-weight:600;padding:0.35rem 0.6rem;border-bottom:1px solid rgba(128,128,128,0.3);"
         "white-space:nowrap")
_CELL = "padding:0.3rem 0.6rem;border-bottom:1px solid rgba(128,128,128,0.15);vertical-align:top"
_TEXT = "max-width:36rem;overflow-wrap:anywhere"
_NUMBER = "text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums"
# A long text (a statement, an error) shows its first three lines; the whole of it is the cell's tooltip.
LONG = 160
_CLAMP = "display:-webkit-box;-webkit-line-clamp:3;-webkit-box-orient:vertical;overflow:hidden"


def _cell_html(shown: str) -> str:
    escaped = html_text(shown)
    return f'<div style="{_CLAMP}" title="{escaped}">{escaped}</div>' if len(shown) > LONG else escaped


def cell_text(value: object, *, percent: bool = False, zone: ZoneInfo | None = None) -> str:
    """One value as shown: yes/no, 1,234, 0.25, 25% (a `percent` column's fractions), times in `zone` (the
    browser's when not given), "—"."""
    if value is None or (not isinstance(value, str) and pd.api.types.is_scalar(value) and pd.isna(value)):
        return MISSING
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if isinstance(value, Integral) and not percent:
        return f"{int(value):,}"  # exact, however large
    if isinstance(value, Real):
        return number(float(value), percent=percent)
    if isinstance(value, datetime):
        return local(value, zone)
    return str(value)


def _numeric(series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)


def table_html(frame: pd.DataFrame, *, name: str, percent: Iterable[str] = (),
               labels: Mapping[str, str] | None = None) -> str:
    """`frame` as one HTML table named `name` (its accessible name, and how tests find it)."""
    percents, names, zone = set(percent), labels or {}, browser_zone()  # the zone once, not once per cell
    numeric = {c: _numeric(frame[c]) for c in frame.columns}
    head = "".join(f'<th scope="col" style="{_HEAD}{";" + _NUMBER if numeric[c] else ""}">'
                   f"{html_text(names.get(str(c)) or label(str(c)))}</th>" for c in frame.columns)
    rows = []
    for values in frame.itertuples(index=False, name=None):
        cells = "".join(
            f'<td style="{_CELL};{_NUMBER if numeric[column] else _TEXT}">'
            f"{_cell_html(cell_text(value, percent=str(column) in percents, zone=zone))}</td>"
            for column, value in zip(frame.columns, values, strict=True))
        rows.append(f"<tr>{cells}</tr>")
    if not rows:
        rows.append(f'<tr><td style="{_CELL}" colspan="{max(len(frame.columns), 1)}">Nothing to show.</td></tr>')
    return (f'<div class="{CLASS}" style="{_BOX}"><table style="{_TABLE}" aria-label="{html_text(name)}">'
            f'<thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>')


def static_table(frame: pd.DataFrame, *, name: str, percent: Iterable[str] = (),
                 labels: Mapping[str, str] | None = None) -> None:
    """Draw `frame` read-only, as one element (see the module's docstring for when to use a grid instead)."""
    st.html(table_html(frame, name=name, percent=percent, labels=labels), width="stretch")
