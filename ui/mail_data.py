"""Cached reads of the Mail page: the outbox and the new inquiries to complete."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine

from echo_core.queries import outbox
from ui.scoped_cache import cached_read


@cached_read(ttl=15)
def load_outbox(_engine: Engine, status: str | None) -> tuple[dict[str, int], pd.DataFrame, list[int]]:
    """(counts per delivery state, the rows of one state or all, the ids of failed deliveries)."""
    return outbox.outbox_counts(_engine), outbox.outbox_rows(_engine, status=status), outbox.failed_ids(_engine)


@cached_read(ttl=30)
def load_to_complete(_engine: Engine) -> pd.DataFrame:
    return outbox.deals_to_complete(_engine)
