"""Draft review, the brokers' inbox: the queue on the left, the open draft beside its thread on the right."""

import streamlit as st

from echo_core.errors import EchoError
from echo_core.permissions import Action
from ui import flash, inbox, inbox_filters, keyboard
from ui.actor import current_actor
from ui.auth import requested_draft_id
from ui.commands import record_opened
from ui.draft_actions import OPEN_KEY, open_draft, seen_lock
from ui.draft_panels import flags, header, reply, thread
from ui.draft_tabs import show_tabs
from ui.inbox_queue import queue_list
from ui.resources import get_engine
from ui.review_data import load_counts, load_draft, load_queue, load_thread
from ui.text import md_escape

engine = get_engine()
actor = current_actor()
ss = st.session_state
inbox_filters.init_state()
requested = requested_draft_id()  # a deep link: /drafts?draft=42
if requested is not None and requested != ss.get("url_draft"):
    open_draft(requested)
flash.show()
keyboard.install()
st.html(inbox.PAGE_STYLE)

top = st.columns([4, 6, 2, 2], vertical_alignment="center")
top[0].title("Draft review", anchor=False)
top[1].text_input("Search", key="q_search", placeholder="Search drafts and emails: words, \"a phrase\", -not",
                  label_visibility="collapsed", icon=":material/search:")
with top[2]:
    inbox_filters.filters_popover(engine)
with top[3]:
    keyboard.help_popover()

filters = inbox_filters.current(actor)
cursor: list[int] = ss.q_cursor
try:
    counts = load_counts(engine, filters)
    page = load_queue(engine, filters, cursor[-1] if cursor else None)
except EchoError as error:
    st.error(md_escape(error))
    st.stop()

left, right = st.columns([4, 10], gap="medium")
with left:
    inbox_filters.owner_view()
    inbox_filters.status_view(counts)
    inbox.nav_buttons(engine, filters, page)
    if ss.q_search.strip():
        inbox.search_results(engine, ss.q_search)
    elif len(page.rows):
        queue_list(page.rows, open_id=ss.get(OPEN_KEY), on_open=open_draft)
        inbox.pager(page)
    else:
        st.info("No drafts match this view and these filters.")

open_id = ss.get(OPEN_KEY)
inbox.leave_previous(engine, open_id, actor)
with right:
    if open_id is None:
        ss.url_draft = None
        st.query_params.pop("draft", None)
        st.info("Pick a draft on the left — or press J for the first one. Shortcuts are listed under "
                "“Shortcuts”.", icon=":material/inbox:")
        st.stop()
    try:
        detail = load_draft(engine, int(open_id))
        mails = load_thread(engine, detail.deal_id)
    except EchoError as error:
        st.error(md_escape(error))
        st.stop()
    ss.url_draft = detail.id
    st.query_params["draft"] = str(detail.id)  # a reload or a copied link opens this draft
    if ss.pop("opened_pending", None) == detail.id and detail.status in ("pending", "approved") \
            and actor.may(Action.REVIEW_DRAFTS):
        record_opened(engine, draft_id=detail.id, actor=actor)
    lock = seen_lock(detail)
    header(engine, detail, lock, actor)
    inbox.presence_line(engine, detail.id, actor)
    flags(detail)
    talk, answer = st.columns([2, 3], gap="small")
    with talk:
        thread(detail, mails, height=440)
    with answer:
        reply(engine, detail, lock, actor, on_done=lambda: inbox.go_next(engine, filters, detail.id))
    show_tabs(engine, detail, lock, actor)
