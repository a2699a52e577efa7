"""The inbox's view and filters: status view, Mine / Unassigned / All, and the rest in a popover.

session_state holds only the filter values (ids, strings, numbers) under `q_*` keys; a change
of any filter goes back to the first page of the queue.
"""

from __future__ import annotations

from datetime import timedelta

import streamlit as st
from sqlalchemy import Engine

from echo_core.errors import EchoError
from echo_core.lifecycle import UNDER_REVIEW
from echo_core.permissions import Actor
from echo_core.queries.ownership import OWNER_VIEW_LABELS, OWNER_VIEWS
from echo_core.queries.review import COVERAGE_STATUSES, VALIDATION_STATUSES, QueueFilters
from ui import text
from ui.review_data import load_deal_options

VIEWS: dict[str, tuple[str, ...]] = {  # label -> statuses
    "To review": UNDER_REVIEW, "Pending": ("pending",), "Approved": ("approved",),
    "Sent": ("sent",), "Archived": ("archived",), "All": (),
}
AGES: dict[str, tuple[timedelta | None, timedelta | None]] = {  # label -> (at least, at most)
    "Any age": (None, None), "Under 1 hour": (None, timedelta(hours=1)), "Under 1 day": (None, timedelta(days=1)),
    "1–7 days": (timedelta(days=1), timedelta(days=7)), "Over 7 days": (timedelta(days=7), None),
}
COVERAGE_LABELS = {"complete": "Covers every ask", "incomplete": "Misses an ask", "unknown": "Not checked"}
DEFAULTS: dict[str, object] = {
    "q_view": "To review", "q_owner": "all", "q_validation": [], "q_coverage": [], "q_confidence": (0, 100),
    "q_deal": None, "q_deal_search": "", "q_age": "Any age", "q_cursor": [], "q_search": "",
    "q_search_cursor": [],  # where each older page of search hits starts (echo_core.queries.search.SearchCursor)
}


def init_state() -> None:
    for key, value in DEFAULTS.items():
        if key not in st.session_state:
            st.session_state[key] = value.copy() if isinstance(value, list) else value


def first_page() -> None:
    """A filter changed: the cursor of the old result set means nothing now."""
    st.session_state.q_cursor = []


def first_search_page() -> None:
    """The search words changed: back to the newest hits."""
    st.session_state.q_search_cursor = []


def current(actor: Actor) -> QueueFilters:
    ss = st.session_state
    min_age, max_age = AGES.get(ss.q_age, (None, None))
    low, high = ss.q_confidence
    return QueueFilters(
        statuses=VIEWS.get(ss.q_view or "To review", VIEWS["To review"]), validation=tuple(ss.q_validation),
        min_confidence=low, max_confidence=high, deal_id=ss.q_deal, min_age=min_age, max_age=max_age,
        coverage=tuple(ss.q_coverage), owner_view=ss.q_owner or "all", viewer_email=actor.email,
    )


def owner_view() -> None:
    st.segmented_control("Whose deals", OWNER_VIEWS, key="q_owner", on_change=first_page, label_visibility="collapsed",
                         format_func=lambda v: OWNER_VIEW_LABELS.get(v, v), width="stretch")


def status_view(counts: dict[str, int]) -> None:
    def label(view: str) -> str:
        statuses = VIEWS[view] or tuple(counts)
        return f"{view} {sum(counts.get(s, 0) for s in statuses):,}"

    st.selectbox("Show", list(VIEWS), key="q_view", on_change=first_page, format_func=label,
                 label_visibility="collapsed")


def filters_popover(engine: Engine) -> None:
    ss = st.session_state
    active = sum(bool(x) for x in (ss.q_validation, ss.q_coverage, ss.q_deal, ss.q_age != "Any age",
                                   tuple(ss.q_confidence) != (0, 100)))
    with st.popover(f"Filters{f' ({active})' if active else ''}", icon=":material/filter_list:"):
        st.multiselect("Fact check", VALIDATION_STATUSES, key="q_validation", on_change=first_page)
        st.multiselect("Coverage", COVERAGE_STATUSES, key="q_coverage", on_change=first_page,
                       format_func=lambda c: COVERAGE_LABELS.get(c, c))
        st.slider("Confidence", 0, 100, key="q_confidence", on_change=first_page)
        st.selectbox("Age", list(AGES), key="q_age", on_change=first_page)
        st.text_input("Find a deal", key="q_deal_search", placeholder="company or seeker")
        try:
            deals = load_deal_options(engine, ss.q_deal_search, ss.q_deal)
        except EchoError as error:
            text.error(error)
            return
        names = {int(r.deal_id): f"{text.clean(r.company)} — {text.clean(r.seeker)}" for r in deals.itertuples()}
        st.selectbox("Deal", [None, *names], key="q_deal", on_change=first_page,
                     format_func=lambda d: "All deals" if d is None else names.get(d, f"Deal {d}"))
