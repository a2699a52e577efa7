"""Analytics charts drawn on the server as one block of HTML each (bars as boxes, lines as an inline SVG).

Why not Vega-Lite (st.vega_lite_chart): on this machine the browser took 90-130 ms more per page for two small
Vega views than for none (it compiles each spec, builds a dataflow, lays out and then resizes the view to its
column), and a tab of Analytics draws two. The same two charts as HTML cost it about 15 ms. What a team lead
reads here — a dozen bars or a year of weekly points — needs no zoom; each bar and point keeps its tooltip (its
`title`), the axes and legend are text the page's theme colours, and the numbers stay one click away as CSV.

Every label that comes from the data is HTML-escaped with its bidi controls made visible (`ui.text.html_text`).
"""

from __future__ import annotations

import base64
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd
import streamlit as st

from ui.formatting import number
from ui.text import html_text

HEIGHT = 220  # px of plotting area: two charts side by side stay readable without scrolling past a screen
CLASS = "echo-chart"
PALETTE = ("#4c78a8", "#f58518", "#e45756", "#72b7b2", "#54a24b", "#eeca3b", "#b279a2", "#ff9da6")  # Vega's
MAX_TIME_LABELS = 7
_SMALL = "font-size:0.75rem;opacity:0.8"
_GRID = "position:absolute;left:0;right:0;border-top:1px solid rgba(128,128,128,0.2)"


@dataclass(frozen=True)
class Bars:
    """Vertical bars over the frame's `x` values in order (buckets, outcomes), stacked by `color` when given."""

    x: str
    y: str
    x_title: str
    y_title: str
    percent: bool = False  # y is a fraction, shown as 35%
    color: str | None = None
    color_domain: Sequence[str] = ()  # the stacking (bottom first) and legend order; others follow as found


@dataclass(frozen=True)
class HorizontalBars:
    """One bar per row in the frame's order, its category beside it and its value at its end."""

    category: str
    value: str
    category_title: str
    value_title: str


@dataclass(frozen=True)
class Lines:
    """One line per column in `series` over the date column `x` (a week's Monday or a month's first day)."""

    x: str
    series: Sequence[str]
    x_title: str
    y_title: str
    monthly: bool = False


Spec = Bars | HorizontalBars | Lines


def ticks(top: float, *, percent: bool = False) -> list[float]:
    """Round axis steps from 0 to just above `top` (4-6 of them; whole numbers unless `percent`)."""
    if not top > 0:
        return [0.0, 1.0]
    raw = top / 4
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    step = max(0.01, step) if percent else max(1.0, math.ceil(step))  # no step finer than its labels
    count = math.ceil(top / step - 1e-9)
    return [round(i * step, 10) for i in range(count + 1)]


def _pct(value: float, top: float) -> str:
    return f"{100 * value / top:.3f}%"


def _color(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def _legend(names: Sequence[str]) -> str:
    items = "".join(f'<span style="display:inline-flex;align-items:center;gap:0.3rem;margin-right:0.9rem">'
                    f'<span style="width:0.7rem;height:0.7rem;border-radius:2px;background:{_color(i)}">'
                    f"</span>{html_text(name)}</span>" for i, name in enumerate(names))
    return f'<div style="{_SMALL};text-align:center;margin-top:0.3rem">{items}</div>'


def _figure(name: str, key: str, style: str, body: str) -> str:
    """A chart's outer element: its accessible name, and the key tests find it by."""
    return (f'<figure class="{CLASS}" data-chart="{html_text(key)}" aria-label="{html_text(name)}" '
            f'style="margin:0 0 0.5rem 0;display:grid;font-size:0.8rem;{style}">{body}</figure>')


def _frame_with_axes(name: str, key: str, y_title: str, scale: list[float], percent: bool, plot: str,
                     below: str) -> str:
    """The y axis (title and ticks), the plotting area with its grid lines, and what goes under it."""
    top = scale[-1]
    width = max(len(number(t, percent=percent)) for t in scale) + 1
    labels = "".join(f'<div style="position:absolute;right:0.3rem;bottom:{_pct(t, top)};transform:translateY(50%)">'
                     f"{number(t, percent=percent)}</div>" for t in scale)
    grid = "".join(f'<div style="{_GRID};bottom:{_pct(t, top)}"></div>' for t in scale)
    return _figure(
        name, key, f"grid-template-columns:auto {width}ch 1fr;grid-template-rows:{HEIGHT}px auto",
        f'<div style="{_SMALL};writing-mode:vertical-rl;transform:rotate(180deg);text-align:center">'
        f"{html_text(y_title)}</div>"
        f'<div style="position:relative;{_SMALL}">{labels}</div>'
        f'<div style="position:relative;border-left:1px solid rgba(128,128,128,0.5);'
        f'border-bottom:1px solid rgba(128,128,128,0.5)">{grid}{plot}</div>'
        f'<div style="grid-column:3">{below}</div>',
    )


def _bars(frame: pd.DataFrame, spec: Bars, name: str, key: str) -> str:
    groups = list(dict.fromkeys([*spec.color_domain, *frame[spec.color].tolist()])) if spec.color else [None]
    totals = frame.groupby(spec.x, sort=False)[spec.y].sum()  # per x, in the frame's order
    scale = ticks(float(totals.max()) if len(totals) else 0.0, percent=spec.percent)
    top = scale[-1]
    columns, labels = [], []
    for x, total in totals.items():
        rows = frame[frame[spec.x] == x]
        segments = []
        for i, group in enumerate(groups):
            value = float(total if group is None else rows.loc[rows[spec.color] == group, spec.y].sum())
            if value <= 0:
                continue
            tip = "" if group is None else (f' title="{html_text(f"{spec.x_title}: {x} · {spec.color}: {group} · ")}'
                                            f'{html_text(f"{spec.y_title}: {number(value, percent=spec.percent)}")}"')
            segments.append(f'<div{tip} style="height:{_pct(value, top)};background:{_color(i)}"></div>')
        # The column's tooltip is its total (a 0% bar has none to hover); a segment's is its own value.
        whole = f"{spec.x_title}: {x} · {spec.y_title}: {number(float(total), percent=spec.percent)}"
        # Bottom first in the domain's order: the column stacks its segments upwards.
        columns.append(f'<div title="{html_text(whole)}" style="flex:1;height:100%;margin:0 6%;display:flex;'
                       f'flex-direction:column-reverse">{"".join(segments)}</div>')
        labels.append(f'<div style="flex:1;text-align:center;overflow:hidden;text-overflow:ellipsis;'
                      f'white-space:nowrap" title="{html_text(x)}">{html_text(x)}</div>')
    plot = f'<div style="position:absolute;inset:0;display:flex;align-items:flex-end">{"".join(columns)}</div>'
    below = (f'<div style="display:flex;{_SMALL}">{"".join(labels)}</div>'
             f'<div style="{_SMALL};text-align:center">{html_text(spec.x_title)}</div>'
             + (_legend([str(g) for g in groups]) if spec.color else ""))
    return _frame_with_axes(name, key, spec.y_title, scale, spec.percent, plot, below)


def _horizontal(frame: pd.DataFrame, spec: HorizontalBars, name: str, key: str) -> str:
    values = [float(v) for v in frame[spec.value].tolist()]
    top = max([*values, 0.0]) or 1.0
    rows = []
    for category, value in zip(frame[spec.category].tolist(), values, strict=True):
        tip = html_text(f"{spec.category_title}: {category} · {spec.value_title}: {number(value)}")
        rows.append(
            f'<div style="{_SMALL};text-align:right;overflow:hidden;text-overflow:ellipsis;white-space:nowrap" '
            f'title="{html_text(category)}">{html_text(category)}</div>'
            f'<div style="display:flex;align-items:center;gap:0.4rem" title="{tip}">'
            f'<div style="height:1.1rem;width:{_pct(value, top)};min-width:1px;background:{PALETTE[0]}"></div>'
            f'<span style="font-variant-numeric:tabular-nums">{number(value)}</span></div>')
    return _figure(name, key, "grid-template-columns:minmax(4rem,40%) 1fr;gap:0.45rem 0.6rem;align-items:center",
                   f'{"".join(rows)}<div></div><div style="{_SMALL}">{html_text(spec.value_title)} '
                   f"(by {html_text(spec.category_title)})</div>")


def _day(value: object) -> date:
    day: date = pd.Timestamp(value).date()
    return day


def _when(day: date, monthly: bool) -> str:
    return f"{day:%b %Y}" if monthly else f"{day:%-d %b %Y}"


def _lines(frame: pd.DataFrame, spec: Lines, name: str, key: str) -> str:
    # Several rows for one period are summed (a period is one point), in date order.
    sums = frame.assign(**{spec.x: frame[spec.x].map(_day)}).groupby(spec.x, sort=True)[list(spec.series)].sum()
    if len(sums) > 1:  # a period with no drafts is a 0 on the line, not a straight line over it
        every_period = pd.date_range(sums.index[0], sums.index[-1], freq="MS" if spec.monthly else "7D").date
        sums = sums.reindex(every_period, fill_value=0)
    days: list[date] = list(sums.index)
    scale = ticks(float(sums.to_numpy().max()) if len(sums) else 0.0)
    top, span = scale[-1], max((days[-1] - days[0]).days, 1) if days else 1

    def x_of(day: date) -> float:
        return 500.0 if len(days) < 2 else 1000 * (day - days[0]).days / span

    lines: list[str] = []
    dots: list[str] = []
    for i, series in enumerate(spec.series):
        color = _color(i)
        points = [(x_of(d), 1000 * float(v) / top, d, float(v)) for d, v in sums[series].items()]
        path = " ".join(f"{x:.1f},{1000 - y:.1f}" for x, y, _, _ in points)
        lines.append(f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="2" '
                     'vector-effect="non-scaling-stroke"/>')
        # The dots are boxes over the drawing, so that they stay round and each keeps its tooltip.
        dots.extend(f'<div title="{html_text(f"{spec.x_title} of {_when(d, spec.monthly)} · {series}: ")}'
                    f'{number(v)}" style="position:absolute;left:{x / 10:.2f}%;bottom:{y / 10:.2f}%;'
                    f'width:7px;height:7px;margin:0 0 -3.5px -3.5px;border-radius:50%;background:{color}"></div>'
                    for x, y, d, v in points)
    # st.html keeps no inline <svg>; an image does, and only numbers go into it.
    drawing = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1000 1000" preserveAspectRatio="none">'
               f'{"".join(lines)}</svg>')
    plot = (f'<img alt="" src="data:image/svg+xml;base64,{base64.b64encode(drawing.encode()).decode()}" '
            f'style="position:absolute;inset:0;width:100%;height:100%">{"".join(dots)}')
    every = max(1, math.ceil(len(days) / MAX_TIME_LABELS))
    labels = "".join(f'<span style="position:absolute;left:{x_of(d) / 10:.2f}%;transform:translateX(-50%);'
                     f'white-space:nowrap">{f"{d:%b %Y}" if spec.monthly else f"{d:%-d %b}"}</span>'
                     for d in days[::every])
    below = (f'<div style="position:relative;height:1.2rem;{_SMALL}">{labels}</div>'
             f'<div style="{_SMALL};text-align:center">{html_text(spec.x_title)}</div>'
             + _legend([str(s) for s in spec.series]))
    return _frame_with_axes(name, key, spec.y_title, scale, False, plot, below)


def chart_html(frame: pd.DataFrame, spec: Spec, *, name: str, key: str) -> str:
    """`frame` drawn as `spec`, named `name` (its accessible name) and marked with `key` (how tests find it)."""
    if isinstance(spec, Bars):
        return _bars(frame, spec, name, key)
    if isinstance(spec, HorizontalBars):
        return _horizontal(frame, spec, name, key)
    return _lines(frame, spec, name, key)


def show(frame: pd.DataFrame, spec: Spec, *, name: str, key: str) -> None:
    """Draw `frame` as `spec`, as wide as its column."""
    st.html(chart_html(frame, spec, name=name, key=key), width="stretch")
