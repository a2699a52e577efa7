"""The queue as a compact list: one button per draft, the open one highlighted; a click opens it.

Each row: company · seeker · age, the subject, then confidence, fact-check, coverage and
review-flag badges and the deal's owner. Names and subjects are untrusted: every piece is
markdown-escaped before it joins the fixed badge syntax. No hover text: a tooltip costs a row about 4 ms to draw in
the browser, a hundred for the page (the open draft's header gives the local time on hover).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pandas as pd
import streamlit as st

from ui.draft_frames import confidence_color, coverage_badge, fact_check_badge
from ui.formatting import relative
from ui.text import md_escape

QUEUE_CONTAINER = "inbox_queue"
_STYLE = f"""<style>
.st-key-{QUEUE_CONTAINER} button {{justify-content: flex-start; text-align: left; padding: 0.35rem 0.6rem;
  min-height: 0; line-height: 1.3}}
.st-key-{QUEUE_CONTAINER} button p {{text-align: left; margin: 0}}
.st-key-{QUEUE_CONTAINER} button[kind="primary"] {{background: #e8f0fe; color: #1f1f1f; border: 2px solid #1a73e8}}
.st-key-{QUEUE_CONTAINER} div[data-testid="stVerticalBlock"] {{gap: 0.3rem}}
</style>"""


def _badge(text: str, color: str) -> str:
    return f":{color}-badge[{md_escape(text)}]"


def row_label(row: Any, *, now: datetime) -> str:
    """The markdown label of one queue row; every value from the database is escaped."""
    top = f"**{md_escape(row.company)}** · {md_escape(row.seeker)} · {relative(row.created_at, now)}"
    subject = md_escape(row.inbound_subject or "(no subject)")
    facts, cover = fact_check_badge(str(row.validation)), coverage_badge(str(row.coverage))
    badges = [_badge(f"{int(row.confidence)}%", confidence_color(int(row.confidence))),
              _badge(facts.text, facts.color), _badge(cover.text, cover.color)]
    if int(row.flags):
        badges.append(_badge(f"{int(row.flags)} to check", "violet"))
    if row.status != "pending":
        badges.append(_badge(str(row.status), "blue"))
    owner = md_escape(row.owner_email) if isinstance(row.owner_email, str) else "unassigned"
    return f"{top}  \n{subject}  \n{' '.join(badges)} · {owner}"


def queue_list(rows: pd.DataFrame, *, open_id: int | None, on_open: Callable[[int], None],
               height: int = 640) -> None:
    """The rows as buttons in a scrolling box; clicking one calls `on_open(draft_id)` before the rerun."""
    st.html(_STYLE)
    now = datetime.now(UTC)  # once per run, not once per row
    with st.container(height=height, key=QUEUE_CONTAINER, border=False):
        for row in rows.itertuples():
            draft_id = int(row.draft_id)
            st.button(row_label(row, now=now), key=f"inbox_row_{draft_id}", width="stretch",
                      type="primary" if draft_id == open_id else "secondary", on_click=on_open, args=(draft_id,))
