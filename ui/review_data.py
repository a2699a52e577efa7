"""Cached reads of the review page, and the one place that decides what an action invalidates."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from echo_core.queries import review
from echo_core.queries.review import DraftDetail, QueueFilters, QueuePage
from ui.analytics_data import clear_analytics
from ui.home_data import clear_home

TTL_SECONDS = 60


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def load_queue(_engine: Engine, filters: QueueFilters, after_id: int | None) -> QueuePage:
    return review.queue(_engine, filters, after_id=after_id)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def load_counts(_engine: Engine, filters: QueueFilters) -> dict[str, int]:
    return review.status_counts(_engine, filters)


@st.cache_data(ttl=300, show_spinner=False)
def load_deal_options(_engine: Engine, search: str, include: int | None) -> pd.DataFrame:
    return review.deal_options(_engine, search, include=include)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def load_draft(_engine: Engine, draft_id: int) -> DraftDetail:
    return review.draft_detail(_engine, draft_id)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def load_thread(_engine: Engine, deal_id: int) -> pd.DataFrame:
    return review.thread(_engine, deal_id)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def load_events(_engine: Engine, draft_id: int) -> pd.DataFrame:
    return review.draft_events(_engine, draft_id)


def after_action(engine: Engine, *, draft_id: int, deal_id: int, new_email: bool = False) -> None:
    """Clear exactly what a draft action changed: this draft, its history, the queue, counts, analytics.

    Sending also adds an email to the deal's thread. Other drafts and other threads stay cached.
    """
    load_draft.clear(engine, draft_id)
    load_events.clear(engine, draft_id)
    load_queue.clear()  # any page of any filter may list this draft
    load_counts.clear()
    if new_email:
        load_thread.clear(engine, deal_id)
    clear_analytics()
    clear_home()


def reload_draft(engine: Engine, *, draft_id: int, deal_id: int) -> None:
    """The broker asked for the latest version of one draft (e.g. after a stale-edit conflict)."""
    load_draft.clear(engine, draft_id)
    load_events.clear(engine, draft_id)
    load_thread.clear(engine, deal_id)
