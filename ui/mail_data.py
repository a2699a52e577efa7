"""Cached reads of the Mail page: the outbox and the new inquiries to complete."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from echo_core.queries import outbox


@st.cache_data(ttl=15, show_spinner=False)
def load_outbox(_engine: Engine, status: str | None) -> tuple[dict[str, int], pd.DataFrame, list[int]]:
    """(counts per delivery state, the rows of one state or all, the ids of failed deliveries)."""
    return outbox.outbox_counts(_engine), outbox.outbox_rows(_engine, status=status), outbox.failed_ids(_engine)


@st.cache_data(ttl=30, show_spinner=False)
def load_to_complete(_engine: Engine) -> pd.DataFrame:
    return outbox.deals_to_complete(_engine)
