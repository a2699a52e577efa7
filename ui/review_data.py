"""Cached reads of the review inbox. What an action invalidates is decided in ui/changes.py, not here."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from echo_core.queries import drafts, review, search
from echo_core.queries.drafts import DraftDetail
from echo_core.queries.review import QueueFilters, QueuePage

TTL_SECONDS = 60
QUEUE_ROWS = 25  # the queue's box shows about six at a time: half the buttons per run of a 50-row page


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def load_queue(_engine: Engine, filters: QueueFilters, after_id: int | None) -> QueuePage:
    return review.queue(_engine, filters, after_id=after_id, limit=QUEUE_ROWS)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def load_counts(_engine: Engine, filters: QueueFilters) -> dict[str, int]:
    return review.status_counts(_engine, filters)


@st.cache_data(ttl=300, show_spinner=False)
def load_deal_options(_engine: Engine, search_text: str, include: int | None) -> pd.DataFrame:
    return review.deal_options(_engine, search_text, include=include)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def load_draft(_engine: Engine, draft_id: int) -> DraftDetail:
    return drafts.draft_detail(_engine, draft_id)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def load_thread(_engine: Engine, deal_id: int) -> pd.DataFrame:
    return review.thread(_engine, deal_id)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def load_history(_engine: Engine, draft_id: int) -> pd.DataFrame:
    return drafts.draft_history(_engine, draft_id)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def load_search(_engine: Engine, query: str) -> search.SearchPage:
    return search.search(_engine, query, limit=25)
