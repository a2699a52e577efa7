"""The spaces page's read side: filtered keyset pages of the inventory and one space in full."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy import text

from echo_core.errors import NotFound
from echo_core.queries.reading import Bind, Cursor, Page, bindable, contains_pattern, keyset_page, reading

PAGE_SIZE = 50

_LIST_SELECT = """
    SELECT id, created_at, name, neighborhood, monthly_rate, host_company, address, amenities
    FROM spaces
"""


@dataclass(frozen=True)
class SpaceFilters:
    """What the inventory is narrowed by; every value reaches SQL as a bind parameter."""

    flags: tuple[str, ...] = ()  # amenity flags that must be true (JSONB containment)
    neighborhoods: tuple[str, ...] = ()
    rate_min: int | None = None
    rate_max: int | None = None
    search: str = ""  # name, address or host, anywhere, case-insensitive

    def sql(self) -> tuple[str, dict[str, Any]]:
        clauses: list[str] = []
        params: dict[str, Any] = {}
        if self.flags:
            clauses.append("amenities @> CAST(:f_flags AS jsonb)")
            params["f_flags"] = json.dumps(dict.fromkeys(bindable(self.flags), True))
        if self.neighborhoods:
            clauses.append("neighborhood = ANY(:f_neighborhoods)")
            params["f_neighborhoods"] = bindable(self.neighborhoods)
        if self.rate_min is not None:
            clauses.append("monthly_rate >= :f_rate_min")
            params["f_rate_min"] = self.rate_min
        if self.rate_max is not None:
            clauses.append("monthly_rate <= :f_rate_max")
            params["f_rate_max"] = self.rate_max
        if self.search.strip():
            clauses.append("(name ILIKE :f_search ESCAPE '\\' OR address ILIKE :f_search ESCAPE '\\' "
                           "OR host_company ILIKE :f_search ESCAPE '\\')")
            params["f_search"] = contains_pattern(self.search.strip())
        return " AND ".join(clauses), params


def _flag_list(amenities: dict[str, Any] | None) -> str:
    return ", ".join(sorted(k for k, v in (amenities or {}).items() if v is True))


def list_spaces(bind: Bind, filters: SpaceFilters, *, after: Cursor | None = None, limit: int = PAGE_SIZE) -> Page:
    """One page of spaces, newest first, after `after` (keyset: no OFFSET)."""
    where, params = filters.sql()
    with reading(bind) as conn:
        page = keyset_page(conn, _LIST_SELECT, where, params, after=after, limit=limit)
    rows = page.rows
    rows["amenities"] = [_flag_list(a) for a in rows["amenities"]]
    return Page(rows, page.next_cursor)


def count_spaces(bind: Bind, filters: SpaceFilters) -> int:
    where, params = filters.sql()
    with reading(bind) as conn:
        return int(conn.execute(text(f"SELECT count(*) FROM spaces WHERE {where or 'TRUE'}"), params).scalar_one())


def neighborhoods(bind: Bind) -> list[str]:
    sql = text("SELECT DISTINCT neighborhood FROM spaces WHERE neighborhood IS NOT NULL ORDER BY 1")
    with reading(bind) as conn:
        return [str(n) for n in conn.execute(sql).scalars()]


def amenity_flags(bind: Bind) -> list[str]:
    """Every amenity flag name in the inventory, for the filter (from the trigger-kept counts of revision 0015)."""
    sql = text("SELECT flag FROM space_amenity_flags WHERE spaces > 0 ORDER BY flag")
    with reading(bind) as conn:
        return [str(k) for k in conn.execute(sql).scalars()]


@dataclass(frozen=True)
class SpaceDetail:
    id: int
    name: str
    address: str
    neighborhood: str | None
    host_company: str
    host_email: str
    host_context: str | None
    monthly_rate: int
    created_at: datetime
    amenities: dict[str, Any] = field(default_factory=dict)
    availability: dict[str, Any] = field(default_factory=dict)
    detailed_amenities: dict[str, Any] | None = None
    lock_version: int = 1  # the version an edit made from this read compares against


def get_space(bind: Bind, space_id: int) -> SpaceDetail:
    sql = text("SELECT id, name, address, neighborhood, host_company, host_email, host_context, monthly_rate, "
               "created_at, amenities, availability, detailed_amenities, lock_version FROM spaces WHERE id = :id")
    with reading(bind) as conn:
        row = conn.execute(sql, {"id": space_id}).mappings().first()
    if row is None:
        raise NotFound(f"Space {space_id} does not exist — pick a space from the table.")
    return SpaceDetail(**dict(row))


def space_deals(bind: Bind, space_id: int) -> pd.DataFrame:
    """The deals this space is on, with the space's status in each."""
    sql = text("""
        SELECT d.id AS deal_id, d.company_name AS company, d.seeker_name AS seeker, d.stage, d.team_size,
               d.monthly_budget AS budget, ds.status
        FROM deal_spaces ds JOIN deals d ON d.id = ds.deal_id
        WHERE ds.space_id = :space_id ORDER BY ds.created_at, ds.id
    """)
    with reading(bind) as conn:
        return pd.read_sql_query(sql, conn, params={"space_id": space_id})
