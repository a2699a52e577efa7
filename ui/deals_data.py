"""Cached reads of the deals page, and the one place that decides what a deal action invalidates."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from echo_core.queries import deals
from echo_core.queries.deals import DealDetail, DealFilters
from echo_core.queries.reading import Cursor, Page
from ui.home_data import clear_home

TTL_SECONDS = 60


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def load_page(_engine: Engine, filters: DealFilters, after: Cursor | None) -> Page:
    return deals.list_deals(_engine, filters, after=after)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def load_count(_engine: Engine, filters: DealFilters) -> int:
    return deals.count_deals(_engine, filters)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def load_deal(_engine: Engine, deal_id: int) -> DealDetail:
    return deals.get_deal(_engine, deal_id)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def load_thread(_engine: Engine, deal_id: int) -> pd.DataFrame:
    return deals.thread(_engine, deal_id)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def load_deal_spaces(_engine: Engine, deal_id: int) -> pd.DataFrame:
    return deals.deal_spaces(_engine, deal_id)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def load_fitting_spaces(_engine: Engine, deal_id: int) -> pd.DataFrame:
    return deals.fitting_spaces(_engine, deal_id)


def _clear_space_deal_lists() -> None:
    from ui.spaces_data import load_space_deals  # the spaces page lists the deals a space is in

    load_space_deals.clear()


def after_stage_change(engine: Engine, deal_id: int) -> None:
    load_page.clear()  # the stage column and the stage filter
    load_count.clear()
    load_deal.clear(engine, deal_id)
    _clear_space_deal_lists()
    clear_home()  # open-deal count


def after_space_link_change(engine: Engine, deal_id: int) -> None:
    """A space was added to the deal or its status changed."""
    load_deal_spaces.clear(engine, deal_id)
    load_fitting_spaces.clear(engine, deal_id)
    _clear_space_deal_lists()


def after_deal_created() -> None:
    load_page.clear()
    load_count.clear()
    clear_home()
    try:  # the draft review page's deal filter lists every deal
        from ui.review_data import load_deal_options
    except ImportError:
        return
    load_deal_options.clear()


def after_draft_generated() -> None:
    """A new pending draft: the review queue, its counts and analytics change; the deal's data does not."""
    try:
        from ui.analytics_data import clear_analytics
        from ui.review_data import load_counts, load_queue
    except ImportError:
        return
    load_queue.clear()
    load_counts.clear()
    clear_analytics()
    clear_home()
