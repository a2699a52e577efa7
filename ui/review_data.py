"""Cached reads of the review inbox. What an action invalidates is decided in ui/changes.py, not here."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine

from echo_core.queries import drafts, review, search
from echo_core.queries.drafts import DraftDetail
from echo_core.queries.review import QueueFilters, QueuePage
from ui.scoped_cache import cached_read

TTL_SECONDS = 60
QUEUE_ROWS = 12  # the queue's box shows about six at a time; each row is a button the browser mounts anew
# whenever the queue is drawn (a first visit, a filter, a page): about 5 ms a row here, so 12 rather than 25
# takes 30-60 ms off those clicks (J / K and Next still walk on across pages)


@cached_read(ttl=TTL_SECONDS)
def load_queue(_engine: Engine, filters: QueueFilters, after_id: int | None) -> QueuePage:
    return review.queue(_engine, filters, after_id=after_id, limit=QUEUE_ROWS)


@cached_read(ttl=TTL_SECONDS)
def load_counts(_engine: Engine, filters: QueueFilters) -> dict[str, int]:
    return review.status_counts(_engine, filters)


@cached_read(ttl=300)
def load_deal_options(_engine: Engine, search_text: str, include: int | None) -> pd.DataFrame:
    return review.deal_options(_engine, search_text, include=include)


@cached_read(ttl=TTL_SECONDS)
def load_draft(_engine: Engine, draft_id: int) -> DraftDetail:
    return drafts.draft_detail(_engine, draft_id)


@cached_read(ttl=TTL_SECONDS)
def load_thread(_engine: Engine, deal_id: int) -> pd.DataFrame:
    return review.thread(_engine, deal_id)


@cached_read(ttl=TTL_SECONDS)
def load_history(_engine: Engine, draft_id: int) -> pd.DataFrame:
    return drafts.draft_history(_engine, draft_id)


@cached_read(ttl=TTL_SECONDS)
def load_search(_engine: Engine, query: str, after: search.SearchCursor | None = None) -> search.SearchPage:
    return search.search(_engine, query, after=after, limit=QUEUE_ROWS)  # a page of hits is drawn as the queue is
