"""Every figure the dashboard shows, defined once: its label, what it counts, and where it comes from.

Home and Analytics both draw their draft figures from `echo_core.queries.analytics.kpis` (the
trigger-kept rollups) through the same cached loader, with these labels and definitions, so
"Approved" means one thing everywhere: drafts created in the range that were approved, whether
they have been sent since or not. The queue figures ("waiting now") come from the inbox's own
status counts, and are labelled as states, not as totals.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from echo_core.queries.analytics import Kpis


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


def metric(column: object, figure: Figure, value: object, *, period: str = "") -> None:
    target = column if hasattr(column, "metric") else st
    help_text = figure.definition + (f" Period: {period}." if period else "")
    target.metric(figure.label, value, help=help_text)  # type: ignore[attr-defined]
