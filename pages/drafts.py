"""Draft review, the brokers' main page: the queue (oldest first) and the opened draft."""

from datetime import timedelta
from functools import partial

import streamlit as st

from echo_core.errors import EchoError
from echo_core.lifecycle import DRAFT_STATUSES
from echo_core.queries.review import VALIDATION_STATUSES, QueueFilters
from ui import text
from ui.actor import current_actor
from ui.draft_panels import show_draft
from ui.resources import get_engine
from ui.review_data import load_counts, load_deal_options, load_queue

engine = get_engine()
actor = current_actor()  # drawn on every run: the sidebar's "Acting as" box

AGES: dict[str, tuple[timedelta | None, timedelta | None]] = {  # label -> (at least, at most)
    "Any age": (None, None),
    "Under 1 hour": (None, timedelta(hours=1)),
    "Under 1 day": (None, timedelta(days=1)),
    "1–7 days": (timedelta(days=1), timedelta(days=7)),
    "Over 7 days": (timedelta(days=7), None),
}
DEFAULTS = {
    "q_status": ["pending", "approved"], "q_validation": [], "q_confidence": (0, 100),
    "q_deal": None, "q_deal_search": "", "q_age": "Any age", "q_cursor": [], "open_draft": None,
}
for key, value in DEFAULTS.items():
    if key not in st.session_state:
        st.session_state[key] = value
if "draft" in st.query_params and st.query_params["draft"].isdigit():  # deep link: ?draft=42
    st.session_state.open_draft = int(st.query_params.pop("draft"))


def first_page() -> None:
    """A filter changed: the cursor of the old result set means nothing now."""
    st.session_state.q_cursor = []


st.title("Draft review")
try:
    deals = load_deal_options(engine, st.session_state.q_deal_search, st.session_state.q_deal)
except EchoError as error:
    text.error(error)
    st.stop()
deal_names = {int(r.deal_id): f"{r.company} — {r.seeker}" for r in deals.itertuples()}

cols = st.columns([3, 3, 3, 2, 3, 2])
cols[0].multiselect("Status", DRAFT_STATUSES, key="q_status", on_change=first_page)
cols[1].multiselect("Fact check", VALIDATION_STATUSES, key="q_validation", on_change=first_page)
cols[2].slider("Confidence", 0, 100, key="q_confidence", on_change=first_page)
cols[3].text_input("Find a deal", key="q_deal_search", placeholder="company or seeker")
cols[4].selectbox(
    "Deal", [None, *deal_names], key="q_deal", on_change=first_page,
    format_func=lambda d: "All deals" if d is None else deal_names.get(d, f"Deal {d}"),
)
cols[5].selectbox("Age", list(AGES), key="q_age", on_change=first_page)

min_age, max_age = AGES[st.session_state.q_age]
low, high = st.session_state.q_confidence
filters = QueueFilters(
    statuses=tuple(st.session_state.q_status), validation=tuple(st.session_state.q_validation),
    min_confidence=low, max_confidence=high, deal_id=st.session_state.q_deal, min_age=min_age, max_age=max_age,
)
cursor: list[int] = st.session_state.q_cursor
try:
    counts = load_counts(engine, filters)
    page = load_queue(engine, filters, cursor[-1] if cursor else None)
except EchoError as error:
    text.error(error)
    st.stop()

for col, status in zip(st.columns(len(DRAFT_STATUSES)), DRAFT_STATUSES, strict=True):
    col.metric(status.capitalize(), counts[status], border=True)

ids = [int(i) for i in page.rows["draft_id"]]


def open_selected_row(row_ids: list[int]) -> None:
    """Runs only when the table selection changes, so it never overrides the selectbox below."""
    rows = st.session_state.queue_table.selection.rows
    if rows:
        st.session_state.open_draft = row_ids[rows[0]]


st.caption(f"Page {len(cursor) + 1} · {len(page.rows)} drafts · oldest first · click a row to open it")
st.dataframe(
    page.rows, hide_index=True, width="stretch", key="queue_table", on_select=partial(open_selected_row, ids),
    selection_mode="single-row", height=min(38 * (len(page.rows) + 1), 420),
    column_config={
        "draft_id": st.column_config.NumberColumn("Draft", format="#%d"),
        "created_at": st.column_config.DatetimeColumn("Created", format="YYYY-MM-DD HH:mm"),
        "confidence": st.column_config.ProgressColumn("Confidence", min_value=0, max_value=100, format="%d"),
    },
)
labels = {int(r.draft_id): f"#{r.draft_id} · {r.company} · {r.status}" for r in page.rows.itertuples()}
nav = st.columns([4, 1, 1])
opened = st.session_state.open_draft
choice = nav[0].selectbox(
    "Open a draft", [None, *ids], index=ids.index(opened) + 1 if opened in ids else 0,
    format_func=lambda d: "Choose a draft from this page" if d is None else labels[d],
)
if choice is not None and choice != opened:
    st.session_state.open_draft = choice
if nav[1].button("Previous page", disabled=not cursor, width="stretch"):
    cursor.pop()
    st.rerun()
if nav[2].button("Next page", disabled=page.next_after_id is None, width="stretch") and page.next_after_id:
    cursor.append(page.next_after_id)
    st.rerun()

if not len(page.rows):
    st.info("No drafts match these filters.")

if st.session_state.open_draft is not None:
    st.divider()
    show_draft(engine, int(st.session_state.open_draft), actor)
