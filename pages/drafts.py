"""Draft review, the brokers' inbox: the queue on the left, the open draft beside it.

Three levels rerun apart: the whole page (arriving, the shortcuts help), the inbox body (`inbox_body`: the search box
and the filters it draws into the top row, the views, the queue and the open draft — a search, a filter or a click
on a queue row reruns only this), and the open draft alone (ui/draft_panel.py, a fragment inside it: editing,
approving and sending rerun only the panel).
"""

import streamlit as st
from sqlalchemy import Engine
from streamlit.delta_generator import DeltaGenerator

from echo_core.errors import EchoError
from echo_core.permissions import Actor
from ui import flash, inbox, inbox_filters, keyboard
from ui.actor import current_actor
from ui.auth import requested_draft_id
from ui.draft_actions import open_draft
from ui.draft_panel import draft_panel, queue_drawn
from ui.health import database_guard
from ui.inbox_queue import queue_list
from ui.resources import get_engine
from ui.review_data import load_counts, load_queue
from ui.text import md_escape


@st.fragment
@database_guard()  # the database gone mid-run: the banner, not a traceback
def inbox_body(engine: Engine, actor: Actor, search_slot: DeltaGenerator, filters_slot: DeltaGenerator) -> None:
    ss = st.session_state
    search_slot.text_input("Search", key="q_search", placeholder="Search drafts and emails: words, \"a phrase\", -not",
                           label_visibility="collapsed", icon=":material/search:",
                           on_change=inbox_filters.first_search_page)
    with filters_slot:
        inbox_filters.filters_popover(engine)
    filters = inbox_filters.current(actor)
    cursor: list[int] = ss.q_cursor
    try:
        counts = load_counts(engine, filters)
        page = load_queue(engine, filters, cursor[-1] if cursor else None)
    except EchoError as error:
        st.error(md_escape(error))
        return
    queue_drawn()
    left, right = st.columns([4, 10], gap="medium")
    with left:
        inbox_filters.owner_view()
        inbox_filters.status_view(counts)
        if ss.q_search.strip():
            inbox.search_results(engine, ss.q_search)
        elif len(page.rows):
            queue_list(page.rows, open_id=None, on_open=open_draft)  # the panel highlights the open row
            inbox.pager(page)
        else:
            st.info("No drafts match this view and these filters.")
    with right:
        draft_panel(engine, filters, page, actor)


engine = get_engine()
actor = current_actor()
inbox_filters.init_state()
requested = requested_draft_id()  # a deep link: /drafts?draft=42
if requested is not None and requested != st.session_state.get("url_draft"):
    open_draft(requested)
flash.show()
keyboard.install()
st.html(inbox.PAGE_STYLE)

top = st.columns([4, 6, 2, 2], vertical_alignment="center")
top[0].title("Draft review", anchor=False)
with top[3]:
    keyboard.help_popover()

inbox_body(engine, actor, top[1], top[2])
