"""Every figure the dashboard shows, defined once: its label, what it counts, and where it comes from.

Home and Analytics both draw their draft figures from `echo_core.queries.analytics.kpis` (the
trigger-kept rollups) through the same cached loader, with these labels and definitions, so
"Approved" means one thing everywhere: drafts created in the range that were approved, whether
they have been sent since or not. The queue figures ("waiting now") come from the inbox's own
status counts, and are labelled as states, not as totals.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import streamlit as st

from echo_core.queries.analytics import Kpis
from ui.text import html_text


@dataclass(frozen=True)
class Figure:
    label: str
    definition: str


WRITTEN = Figure("Drafts written", "Drafts created in the period.")
APPROVED = Figure("Approved", "Drafts created in the period that a broker approved — sent since or not.")
SENT = Figure("Sent", "Drafts created in the period whose reply went out.")
ARCHIVED = Figure("Archived", "Drafts created in the period that are archived now.")
WAITING = Figure("Waiting for review", "Pending drafts now: nobody has approved them yet (any age).")
READY = Figure("Approved, not sent", "Approved drafts now, waiting for Send (any age).")
VOLUME = (WRITTEN, APPROVED, SENT, ARCHIVED)


def volume_value(kpis: Kpis, figure: Figure) -> int:
    return {WRITTEN: kpis.written, APPROVED: kpis.approved, SENT: kpis.sent, ARCHIVED: kpis.archived}[figure]


@dataclass(frozen=True)
class Shown:
    """A figure as drawn: its label, its value, and what it counts (the tooltip, and read out by screen readers)."""

    label: str
    value: object
    help: str | None = None


def defined(figure: Figure, value: object, *, period: str = "") -> Shown:
    """A figure from the registry above, with its definition (and the period it covers) as its help."""
    return Shown(figure.label, value, figure.definition + (f" Period: {period}." if period else ""))


# Inline styles: st.html sanitises its HTML, and keeps style attributes. The sizes are st.metric's.
_ROW = ("display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,9rem),1fr));gap:1rem;margin:0 0 1rem 0;"
        "padding:0")
_CELL = "min-width:0;margin:0"
_BORDER = "border:1px solid rgba(128,128,128,0.3);border-radius:0.5rem;padding:0.75rem 1rem"
_LABEL = "font-size:0.875rem;margin:0 0 0.25rem 0;overflow-wrap:anywhere"
_VALUE = "font-size:2.25rem;line-height:1.2;margin:0;overflow-wrap:anywhere"
# A question mark in a circle drawn with CSS: the ⓘ character is missing from some system fonts.
_MARK = ("display:inline-block;width:1.1em;height:1.1em;margin-left:0.3em;border:1px solid currentColor;"
         "border-radius:50%;font-size:0.7rem;line-height:1.05em;text-align:center;vertical-align:0.15em;opacity:0.6;"
         "cursor:help")
_SCREEN_READER = ("position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;"
                  "clip:rect(0,0,0,0);white-space:nowrap;border:0")


def row_html(shown: Sequence[Shown], *, border: bool = False) -> str:
    """The figures as one definition list: label (its help as a tooltip), value, and the help again for screen
    readers. Every text is escaped and its bidi controls made visible."""
    cells = []
    for figure in shown:
        label, value = html_text(figure.label), html_text("—" if figure.value is None else figure.value)
        if figure.help:
            helped = html_text(figure.help)
            term = (f'<dt style="{_LABEL}" title="{helped}">{label}'
                    f'<span aria-hidden="true" style="{_MARK}">?</span></dt>'
                    f'<dd style="{_VALUE}">{value}</dd><dd style="{_SCREEN_READER}">{helped}</dd>')
        else:
            term = f'<dt style="{_LABEL}">{label}</dt><dd style="{_VALUE}">{value}</dd>'
        cells.append(f'<div class="echo-figure" style="{_CELL};{_BORDER if border else ""}">{term}</div>')
    return f'<dl class="echo-figures" style="{_ROW}">{"".join(cells)}</dl>'


def row(*shown: Shown, border: bool = False) -> None:
    """Figures side by side, drawn as one element. (st.metric is a component of its own for each figure, inside
    st.columns: a stock page of 14 of them took about 40 ms more of the browser per visit than the same figures
    as one block of HTML, which cost next to nothing.)"""
    st.html(row_html(shown, border=border), width="stretch")
