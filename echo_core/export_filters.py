"""Which rows an export holds, as filter objects: each carries its own fixed SQL and bound values.

The dashboard passes the filters its page shows (`DealFilters`, `SpaceFilters`); the CLI and
tests pass these small ones. No caller ever hands the export a SQL string.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol


class RowFilter(Protocol):
    """A filter object (DealFilters, SpaceFilters, ByIds, OfDeal, OfDraft): its fixed SQL and bound values."""

    def sql(self) -> tuple[str, dict[str, Any]]: ...


@dataclass(frozen=True)
class ByIds:
    """Only these rows (by primary key)."""

    ids: tuple[int, ...]

    def sql(self) -> tuple[str, dict[str, Any]]:
        return "id = ANY(:f_ids)", {"f_ids": [int(i) for i in self.ids]}


@dataclass(frozen=True)
class OfDeal:
    """Only the rows of one deal (emails, drafts)."""

    deal_id: int

    def sql(self) -> tuple[str, dict[str, Any]]:
        return "deal_id = :f_deal_id", {"f_deal_id": int(self.deal_id)}


@dataclass(frozen=True)
class OfDraft:
    """Only the rows of one draft (its audit events)."""

    draft_id: int

    def sql(self) -> tuple[str, dict[str, Any]]:
        return "draft_id = :f_draft_id", {"f_draft_id": int(self.draft_id)}
