"""Cached analytics for the Analytics page; the review page clears them after every action.

A minute-long TTL bounds staleness for actions taken elsewhere (CLI, other sessions):
figures reflect every action within one minute, and this session's actions at once.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from echo_core.queries import analytics

TTL_SECONDS = 60


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def load_kpis(_engine: Engine, start: date, end: date) -> analytics.Kpis:
    return analytics.kpis(_engine, start=start, end=end)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def load_breakdowns(_engine: Engine, start: date, end: date) -> analytics.Breakdowns:
    return analytics.breakdowns(_engine, start=start, end=end)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def load_activity(_engine: Engine, start: date, end: date) -> pd.DataFrame:
    return analytics.broker_activity(_engine, start=start, end=end)


def clear_analytics() -> None:
    """Every cached figure: any draft action can move any KPI."""
    load_kpis.clear()
    load_breakdowns.clear()
    load_activity.clear()
