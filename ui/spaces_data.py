"""Cached reads of the spaces page, and what a space action invalidates."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from echo_core.queries import spaces
from echo_core.queries.reading import Cursor, Page
from echo_core.queries.spaces import SpaceDetail, SpaceFilters

TTL_SECONDS = 60


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def load_page(_engine: Engine, filters: SpaceFilters, after: Cursor | None) -> Page:
    return spaces.list_spaces(_engine, filters, after=after)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def load_count(_engine: Engine, filters: SpaceFilters) -> int:
    return spaces.count_spaces(_engine, filters)


@st.cache_data(ttl=300, show_spinner=False)
def load_choices(_engine: Engine) -> tuple[list[str], list[str]]:
    """(neighborhoods, amenity flags) for the filters."""
    return spaces.neighborhoods(_engine), spaces.amenity_flags(_engine)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def load_space(_engine: Engine, space_id: int) -> SpaceDetail:
    return spaces.get_space(_engine, space_id)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def load_space_deals(_engine: Engine, space_id: int) -> pd.DataFrame:
    return spaces.space_deals(_engine, space_id)


def after_space_saved(engine: Engine, space_id: int | None) -> None:
    """A space was added or edited: the inventory, its filter choices, and the deals page's fits."""
    from ui.deals_data import load_deal_spaces, load_fitting_spaces

    load_page.clear()
    load_count.clear()
    load_choices.clear()
    if space_id is not None:
        load_space.clear(engine, space_id)
    load_fitting_spaces.clear()  # a new or changed space may now fit (or stop fitting) any deal
    load_deal_spaces.clear()  # they show the space's name and rate
