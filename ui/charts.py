"""Vega-Lite charts as plain dicts, drawn with st.vega_lite_chart.

st.bar_chart and st.line_chart build and validate an Altair chart on every run (0.1–0.2 s each on
this machine) and add a zoom selection and hover layers the browser then has to wire up. These
specs say the same things — fields, axis titles, colour by outcome, horizontal bars, the order
given — in a few dicts, and the browser draws one light view per chart: SVG (a handful of marks,
no canvas to allocate), tooltips kept, no zoom or hover layers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import streamlit as st

HEIGHT = 260  # px: two charts side by side stay readable without scrolling past a screen
Spec = dict[str, Any]


def _axis(field: str, kind: str, title: str, *, grid: bool, fmt: str | None = None, sort: bool = False) -> Spec:
    axis: Spec = {"grid": grid}
    if kind == "quantitative":
        axis["tickMinStep"] = 1 if fmt is None else 0.1
    if fmt:
        axis["format"] = fmt
    encoding: Spec = {"field": field, "type": kind, "title": title, "axis": axis}
    if kind != "quantitative" and not sort:
        encoding["sort"] = None  # the frame's order (funnel stages, buckets), not alphabetical
    return encoding


def _tooltip(*fields: tuple[str, str, str]) -> list[Spec]:
    return [{"field": f, "type": t, "title": title} for f, t, title in fields]


def _chart(mark: Spec, encoding: Spec, **extra: Any) -> Spec:
    return {"mark": mark, "encoding": encoding, "height": HEIGHT, **extra}


def bar(x: str, y: str, *, x_title: str, y_title: str, y_format: str | None = None,
        color: str | None = None, color_domain: Sequence[str] = ()) -> Spec:
    """Vertical bars over an ordinal x (bucket, status…), stacked by `color` when given."""
    encoding: Spec = {
        "x": _axis(x, "ordinal", x_title, grid=False),
        "y": _axis(y, "quantitative", y_title, grid=True, fmt=y_format),
    }
    tips = [(x, "ordinal", x_title), (y, "quantitative", y_title)]
    if color:
        scale: Spec = {"domain": list(color_domain)} if color_domain else {}
        encoding["color"] = {"field": color, "type": "nominal", "title": color, "scale": scale,
                             "legend": {"orient": "bottom", "titlePadding": 5, "offset": 5}}
        tips.append((color, "nominal", color))
    encoding["tooltip"] = _tooltip(*tips)
    return _chart({"type": "bar"}, encoding)


def horizontal_bar(category: str, value: str, *, category_title: str, value_title: str) -> Spec:
    """One bar per row, in the frame's order, categories down the side (long labels stay readable)."""
    encoding: Spec = {
        "y": _axis(category, "nominal", category_title, grid=False),
        "x": _axis(value, "quantitative", value_title, grid=True),
        "tooltip": _tooltip((category, "nominal", category_title), (value, "quantitative", value_title)),
    }
    return _chart({"type": "bar"}, encoding)


def lines(x: str, series: Sequence[str], *, x_title: str, y_title: str, series_title: str,
          time_unit: str | None = None) -> Spec:
    """One line per column in `series` over a date column (folded in the browser: the frame stays wide, as
    its CSV). `time_unit` (e.g. "utcyearmonth") sums the points per unit and labels them in that unit."""
    x_enc: Spec = _axis(x, "temporal", x_title, grid=False)
    y_enc: Spec = _axis("value", "quantitative", y_title, grid=True)
    tip_x: Spec = {"field": x, "type": "temporal", "title": x_title}
    if time_unit:
        x_enc["timeUnit"] = tip_x["timeUnit"] = time_unit
        y_enc["aggregate"] = "sum"
    encoding: Spec = {
        "x": x_enc,
        "y": y_enc,
        "color": {"field": "series", "type": "nominal", "title": series_title, "sort": list(series),
                  "legend": {"orient": "bottom", "titlePadding": 5, "offset": 5}},
        "tooltip": [tip_x, {**y_enc, "title": y_title}, {"field": "series", "type": "nominal",
                                                         "title": series_title}],
    }
    return _chart({"type": "line", "point": True}, encoding,
                  transform=[{"fold": list(series), "as": ["series", "value"]}])


def show(frame: pd.DataFrame, spec: Spec, *, key: str) -> None:
    """Draw `spec` over `frame`, as wide as its column, in SVG."""
    st.vega_lite_chart(frame, {**spec, "usermeta": {"embedOptions": {"renderer": "svg"}}}, width="stretch",
                       key=key)
