"""The inbox's moving parts around the queue and the draft: navigation, search results, presence, paging."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import TypeVar

import streamlit as st
from sqlalchemy import Engine

from echo_core.errors import EchoError
from echo_core.permissions import Actor
from echo_core.presence import HEARTBEAT_EVERY, beat_due
from echo_core.queries import review
from echo_core.queries.review import QueueFilters, QueuePage
from echo_core.queries.search import SearchCursor
from ui import commands, keyboard
from ui.draft_actions import OPEN_KEY, OPENED_PENDING_KEY, open_draft
from ui.formatting import relative
from ui.health import database_guard
from ui.text import md_escape

FULL_RUN_KEY = "inbox_full_run"  # a panel callback needs the queue redrawn (ui/draft_panel.py)
T = TypeVar("T")  # where a keyset page starts: a draft id (the queue) or a SearchCursor (the search)
BEAT_KEY = "presence_beat"  # (draft id, time.monotonic()) of the last presence beat this tab wrote
PRESENCE_ON_KEY = "presence_on"  # the draft this tab's presence row is on

# Fixed CSS: less empty space above the page, so the open draft fits a 1440×900 screen.
PAGE_STYLE = """<style>
[data-testid="stMainBlockContainer"] {padding-top: 2.2rem; padding-bottom: 1rem}
[data-testid="stMainBlockContainer"] h1 {padding-top: 0; padding-bottom: 0.2rem; font-size: 2rem;
  white-space: nowrap}
</style>"""


def open_neighbour(engine: Engine, filters: QueueFilters, page: QueuePage, *, forward: bool) -> None:
    """J / K: the next (or previous) draft in queue order; from no open draft, the first on the page."""
    current = st.session_state.get(OPEN_KEY)
    if current is None:
        if len(page.rows):
            open_draft(int(page.rows["draft_id"].iloc[0]))
        return
    try:
        found = review.neighbour(engine, filters, int(current), forward=forward)
    except EchoError as error:
        st.session_state["inbox_notice"] = str(error)
        return
    if found is None:
        st.session_state["inbox_notice"] = "That was the last draft in this view." if forward else \
            "This is the first draft in this view."
        return
    open_draft(found)
    if found not in {int(i) for i in page.rows["draft_id"]}:  # it is on the next (or previous) page: show it
        st.session_state[FULL_RUN_KEY] = True
        cursor: list[int] = st.session_state.q_cursor
        if forward and page.next_after_id is not None:
            cursor.append(page.next_after_id)
        elif not forward and cursor:
            cursor.pop()


def nav_buttons(engine: Engine, filters: QueueFilters, page: QueuePage) -> None:
    cols = st.columns(2)
    cols[0].button("Previous", key="inbox_prev", icon=":material/arrow_upward:", shortcut=keyboard.PREVIOUS.keys,
                   width="stretch", on_click=open_neighbour, args=(engine, filters, page), kwargs={"forward": False})
    cols[1].button("Next", key="inbox_next", icon=":material/arrow_downward:", shortcut=keyboard.NEXT.keys,
                   width="stretch", on_click=open_neighbour, args=(engine, filters, page), kwargs={"forward": True})
    notice = st.session_state.pop("inbox_notice", None)
    if notice:
        st.caption(md_escape(notice))


def go_next(engine: Engine, filters: QueueFilters, draft_id: int) -> None:
    """After Send / Approve & send / Archive: open the draft that followed this one (or none at the end)."""
    try:
        found = review.neighbour(engine, filters, draft_id, forward=True)
    except EchoError:
        found = None
    if found is None:
        found = review.neighbour(engine, filters, draft_id, forward=False)
    open_draft(found)
    if found is None:
        st.session_state["inbox_notice"] = "Queue clear — nothing left in this view."


def pager(page: QueuePage) -> None:
    _pager(st.session_state.q_cursor, page.next_after_id, newer="Newer page", older="Older page", key="inbox_page")


def _pager(cursor: list[T], following: T | None, *, newer: str, older: str, key: str) -> None:
    """Newer / older buttons over keyset pages: `cursor` holds where each older page starts, `following` where the
    next one would (None on the last page)."""
    cols = st.columns(2)
    if cols[0].button(newer, key=f"{key}_prev", disabled=not cursor, width="stretch", icon=":material/chevron_left:"):
        cursor.pop()
        st.rerun()
    if cols[1].button(older, key=f"{key}_next", disabled=following is None, width="stretch",
                      icon=":material/chevron_right:") and following is not None:
        cursor.append(following)
        st.rerun()


def search_results(engine: Engine, query: str) -> None:
    """Drafts and emails matching the search box, newest first; a hit with a draft opens it."""
    from ui.review_data import QUEUE_ROWS, load_search

    cursor: list[SearchCursor] = st.session_state.q_search_cursor
    try:
        found = load_search(engine, query, cursor[-1] if cursor else None)
    except EchoError as error:
        st.error(md_escape(error))
        return
    first = len(cursor) * QUEUE_ROWS + 1
    shown = f"Showing matches {first}–{first + len(found.hits) - 1}, newest first" if found.hits else "No matches"
    st.caption(f"{shown} · clear the search to see the queue")
    now = datetime.now(UTC)
    with st.container(height=640, border=False, key="inbox_search"):
        for hit in found.hits:
            what = "Draft" if hit.kind == "draft" else "Email"
            unanswered = "" if hit.draft_id else " · no draft answers it yet"
            label = (f"**{md_escape(hit.company)}** · {md_escape(hit.seeker)} · {relative(hit.at, now)}  \n"
                     f"{what} #{hit.id}{unanswered}: {md_escape(hit.subject or '(no subject)')}  \n"
                     f"{md_escape(hit.snippet)}")
            st.button(label, key=f"hit_{hit.kind}_{hit.id}", width="stretch",  # no tooltip: ~4 ms a row to draw
                      disabled=hit.draft_id is None, on_click=open_draft, args=(hit.draft_id,))
    _pager(cursor, found.next, newer="Newer matches", older="Older matches", key="search_page")


@st.fragment(run_every=HEARTBEAT_EVERY)
@database_guard()  # the database gone mid-run: the banner, not a traceback
def presence_line(engine: Engine, draft_id: int, actor: Actor, *, reviewable: bool) -> None:
    """Who else has this draft open right now (refreshed on its own every few seconds).

    The first run on a newly opened draft also leaves the previous one and, when `reviewable` (a pending or
    approved draft, an actor who reviews), marks that review began: one write for the click."""
    now = time.monotonic()
    previous = st.session_state.get(PRESENCE_ON_KEY)
    left = int(previous) if previous is not None and previous != draft_id else None
    st.session_state[PRESENCE_ON_KEY] = draft_id
    opened = st.session_state.pop(OPENED_PENDING_KEY, None) == draft_id and reviewable
    if opened or left is not None or beat_due(st.session_state.get(BEAT_KEY), draft_id, now):
        outcome = commands.heartbeat(engine, draft_id=draft_id, actor=actor, left=left, record_opened=opened)
        if outcome.ok:
            st.session_state[BEAT_KEY] = (draft_id, now)
    else:
        outcome = commands.present(engine, draft_id=draft_id, actor=actor)
    others = outcome.value or []
    if others:
        names = ", ".join(f"{md_escape(v.email)} (since {relative(v.opened_at)})" for v in others)
        st.warning(f"Also open now: {names} — coordinate before you send.", icon=":material/group:")


def leave_previous(engine: Engine, actor: Actor) -> None:
    """No draft is open any more (or the one asked for cannot be shown): leave the one that was."""
    previous = st.session_state.pop(PRESENCE_ON_KEY, None)
    if previous is not None:
        commands.leave(engine, draft_id=int(previous), actor=actor)
