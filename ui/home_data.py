"""Cached reads of the Home page (its figures come from the same queries as Analytics and the inbox)."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine

from echo_core.queries import home
from ui.scoped_cache import cached_read


@cached_read(ttl=60)
def load_table_counts(_engine: Engine) -> dict[str, int]:
    return home.table_counts(_engine)


@cached_read(ttl=60)
def load_waiting(_engine: Engine) -> pd.DataFrame:
    return home.waiting_for_review(_engine)
