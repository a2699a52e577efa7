"""Cached reads of the deals page. What an action invalidates is decided in ui/changes.py."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine

from echo_core.queries import deals
from echo_core.queries.deals import DealDetail, DealFilters
from echo_core.queries.reading import Cursor, Page
from ui.scoped_cache import cached_read

TTL_SECONDS = 60


@cached_read(ttl=TTL_SECONDS)
def load_page(_engine: Engine, filters: DealFilters, after: Cursor | None) -> Page:
    return deals.list_deals(_engine, filters, after=after)


@cached_read(ttl=TTL_SECONDS)
def load_count(_engine: Engine, filters: DealFilters) -> int:
    return deals.count_deals(_engine, filters)


@cached_read(ttl=TTL_SECONDS)
def load_deal(_engine: Engine, deal_id: int) -> DealDetail:
    return deals.get_deal(_engine, deal_id)


@cached_read(ttl=TTL_SECONDS)
def load_thread(_engine: Engine, deal_id: int) -> pd.DataFrame:
    return deals.thread(_engine, deal_id)


@cached_read(ttl=TTL_SECONDS)
def load_deal_spaces(_engine: Engine, deal_id: int) -> pd.DataFrame:
    return deals.deal_spaces(_engine, deal_id)


@cached_read(ttl=TTL_SECONDS)
def load_fitting_spaces(_engine: Engine, deal_id: int) -> pd.DataFrame:
    return deals.fitting_spaces(_engine, deal_id)
