"""The open draft as one `st.fragment`: opening the next draft, editing, approving and sending rerun this panel
only, not the queue, the filters and the counts beside it (issue 13: every click under 300 ms at scale).

The queue on the left is drawn by full runs only, so the panel keeps it in step by itself:
- the open draft's row is highlighted by a style the panel writes (keyed by the row's st-key class);
- a draft sent or archived from the panel is hidden from the queue at once (its id is kept in
  `GONE_KEY` until the next full run redraws the queue from fresh data);
- when Next / Previous leaves the queue page (or nothing is open any more), the whole page reruns.
"""

from __future__ import annotations

import streamlit as st
from sqlalchemy import Engine

from echo_core.errors import EchoError
from echo_core.lifecycle import UNDER_REVIEW
from echo_core.permissions import Action, Actor
from echo_core.queries.review import QueueFilters, QueuePage
from ui import inbox
from ui.draft_actions import OPEN_KEY, seen_lock
from ui.draft_panels import flags, header, reply, thread
from ui.draft_tabs import show_tabs
from ui.health import database_guard, database_problem
from ui.inbox import FULL_RUN_KEY
from ui.review_data import load_draft, load_thread
from ui.text import md_escape

GONE_KEY = "inbox_gone"  # ids acted on since the queue was last drawn: hidden from it


def queue_drawn() -> None:
    """A full run is drawing the queue from fresh data: nothing needs hiding any more."""
    st.session_state[GONE_KEY] = []
    st.session_state.pop(FULL_RUN_KEY, None)


def _queue_style(open_id: int | None) -> None:
    """Highlight the open draft's row and hide the rows acted on, without redrawing the queue."""
    rules = [f".st-key-inbox_row_{int(gone)} {{display: none}}" for gone in st.session_state.get(GONE_KEY, [])]
    if open_id is not None:
        rules.append(f".st-key-inbox_row_{int(open_id)} button {{background: #e8f0fe; border: 2px solid #1a73e8}}")
    if rules:
        st.html(f"<style>{' '.join(rules)}</style>")


def _gone_then_next(engine: Engine, filters: QueueFilters, draft_id: int) -> None:
    st.session_state.setdefault(GONE_KEY, []).append(draft_id)
    inbox.go_next(engine, filters, draft_id)


@st.fragment
@database_guard()  # the database gone mid-run: the banner, not a traceback
def draft_panel(engine: Engine, filters: QueueFilters, page: QueuePage, actor: Actor) -> None:
    if database_problem() is not None:  # a panel-only run skips app.py's check: let the whole page show the
        st.rerun()  # banner (it keeps the typed text and comes back by itself), not a failed action here
    inbox.nav_buttons(engine, filters, page)
    if st.session_state.pop(FULL_RUN_KEY, False):
        st.rerun()  # Next / Previous went past this queue page: redraw the queue too
    open_id = st.session_state.get(OPEN_KEY)
    _queue_style(open_id)
    if open_id is None:
        inbox.leave_previous(engine, actor)
        st.session_state.url_draft = None
        st.query_params.pop("draft", None)
        st.info("Pick a draft on the left — or press J for the first one. Shortcuts are listed under "
                "“Shortcuts”.", icon=":material/inbox:")
        return
    try:
        detail = load_draft(engine, int(open_id))
        mails = load_thread(engine, detail.deal_id)
    except EchoError as error:
        inbox.leave_previous(engine, actor)
        st.error(md_escape(error))
        return
    st.session_state.url_draft = detail.id
    st.query_params["draft"] = str(detail.id)  # a reload or a copied link opens this draft
    lock = seen_lock(detail)
    header(engine, detail, lock, actor)
    presence = st.container()  # who else has it open: filled last, below
    flags(detail)
    talk, answer = st.columns([2, 3], gap="small")
    with talk:
        thread(detail, mails, height=440)
    with answer:
        reply(engine, detail, lock, actor, on_done=lambda: _gone_then_next(engine, filters, detail.id))
    show_tabs(engine, detail, lock, actor)
    # The presence write (leaving the previous draft, the beat, the "opened" mark: one transaction) comes last: the
    # browser draws the draft while it commits, instead of waiting for it (issue 13: a click's server time).
    with presence:
        inbox.presence_line(engine, detail.id, actor,
                            reviewable=detail.status in UNDER_REVIEW and actor.may(Action.REVIEW_DRAFTS))
