"""Cached reads of the spaces page. What an action invalidates is decided in ui/changes.py."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine

from echo_core.queries import spaces
from echo_core.queries.reading import Cursor, Page
from echo_core.queries.spaces import SpaceDetail, SpaceFilters
from ui.scoped_cache import cached_read

TTL_SECONDS = 60


@cached_read(ttl=TTL_SECONDS)
def load_page(_engine: Engine, filters: SpaceFilters, after: Cursor | None) -> Page:
    return spaces.list_spaces(_engine, filters, after=after)


@cached_read(ttl=TTL_SECONDS)
def load_count(_engine: Engine, filters: SpaceFilters) -> int:
    return spaces.count_spaces(_engine, filters)


@cached_read(ttl=300)
def load_choices(_engine: Engine) -> tuple[list[str], list[str]]:
    """(neighborhoods, amenity flags) for the filters."""
    return spaces.neighborhoods(_engine), spaces.amenity_flags(_engine)


@cached_read(ttl=TTL_SECONDS)
def load_space(_engine: Engine, space_id: int) -> SpaceDetail:
    return spaces.get_space(_engine, space_id)


@cached_read(ttl=TTL_SECONDS)
def load_space_deals(_engine: Engine, space_id: int) -> pd.DataFrame:
    return spaces.space_deals(_engine, space_id)
