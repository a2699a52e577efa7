"""What changed → which caches to clear: ONE table, consulted by every command in ui/commands.py.

Each cached loader lives in a data module that imports no other (ui/*_data.py); this module
imports them all, so a clear can never be skipped by an import cycle. A scoped cache (one
draft, one deal, one space) is cleared for that key only when the change names it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import Engine

from ui import analytics_data, deals_data, home_data, mail_data, review_data, spaces_data


class Change(StrEnum):
    DRAFT_CHANGED = "a draft's text, status or versions changed"
    DRAFT_SENT = "a draft was sent: a new email in its deal's thread and the outbox"
    DRAFT_OPENED = "a reviewer opened a draft (its history only)"
    DRAFT_CREATED = "a new draft was written"
    DEAL_CREATED = "a deal was created"
    DEAL_STAGE = "a deal moved to another stage"
    DEAL_OWNER = "a deal's owner changed"
    DEAL_SPACES = "a space was linked to a deal, or its status on the deal changed"
    SPACE_SAVED = "a space was added or edited"
    MAIL_INGESTED = "inbound mail was ingested (new emails, deals and drafts)"
    DELIVERY_RETRIED = "a failed delivery was queued again"


@dataclass(frozen=True)
class Scope:
    """The records a change touched; None means "not known": the whole cache is cleared."""

    draft_id: int | None = None
    deal_id: int | None = None
    space_id: int | None = None


Clear = Callable[[Engine, Scope], None]


def _all(loader: Any) -> Clear:
    def clear(engine: Engine, scope: Scope) -> None:
        loader.clear()

    return clear


def _by(field: str, loader: Any) -> Clear:
    """Clear one key of a loader cached per (engine, id), or all of it when the scope lacks that id."""

    def clear(engine: Engine, scope: Scope) -> None:
        key = getattr(scope, field)
        if key is None:
            loader.clear()
        else:
            loader.clear(engine, key)

    return clear


R, H, A, D, S, M = review_data, home_data, analytics_data, deals_data, spaces_data, mail_data
QUEUE: tuple[Clear, ...] = (_all(R.load_queue), _all(R.load_counts), _all(R.load_search))
FIGURES: tuple[Clear, ...] = (*map(_all, A.CACHES), _all(H.load_waiting))
DRAFT: tuple[Clear, ...] = (_by("draft_id", R.load_draft), _by("draft_id", R.load_history), *QUEUE, *FIGURES)
DEAL_LISTS: tuple[Clear, ...] = (_all(D.load_page), _all(D.load_count), _all(R.load_deal_options),
                                 _all(S.load_space_deals))
THREAD: tuple[Clear, ...] = (_by("deal_id", R.load_thread), _by("deal_id", D.load_thread))

CHANGES: dict[Change, tuple[Clear, ...]] = {
    Change.DRAFT_CHANGED: DRAFT,
    Change.DRAFT_SENT: (*DRAFT, *THREAD, _all(M.load_outbox), _all(H.load_table_counts)),
    Change.DRAFT_OPENED: (_by("draft_id", R.load_history),),
    Change.DRAFT_CREATED: (*QUEUE, *FIGURES, _all(R.load_deal_options)),
    Change.DEAL_CREATED: (*DEAL_LISTS, _all(H.load_table_counts)),
    Change.DEAL_STAGE: (*DEAL_LISTS, _by("deal_id", D.load_deal), _all(H.load_table_counts)),
    Change.DEAL_OWNER: (*QUEUE, *DEAL_LISTS, _by("deal_id", D.load_deal), _all(R.load_draft)),
    Change.DEAL_SPACES: (_by("deal_id", D.load_deal_spaces), _by("deal_id", D.load_fitting_spaces),
                         _all(S.load_space_deals)),
    Change.SPACE_SAVED: (_all(S.load_page), _all(S.load_count), _all(S.load_choices), _by("space_id", S.load_space),
                         _all(D.load_fitting_spaces), _all(D.load_deal_spaces), _all(H.load_table_counts)),
    Change.MAIL_INGESTED: (*QUEUE, *FIGURES, *DEAL_LISTS, _all(R.load_thread), _all(D.load_thread),
                           _all(M.load_outbox), _all(M.load_to_complete), _all(H.load_table_counts)),
    Change.DELIVERY_RETRIED: (_all(M.load_outbox),),
}


def apply(engine: Engine, change: Change, scope: Scope | None = None) -> None:
    """Clear every cache `change` can make stale (for `scope`'s records where the cache is keyed by them)."""
    for clear in CHANGES[change]:
        clear(engine, scope or Scope())
