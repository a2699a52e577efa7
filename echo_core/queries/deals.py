"""The deals page's read side: filtered keyset pages, one deal's thread and spaces, and fitting spaces."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy import text

from echo_core.errors import NotFound
from echo_core.queries.reading import Bind, Cursor, Page, bindable, contains_pattern, keyset_page, reading

PAGE_SIZE = 50
FLAG_LABELS = {"dogFriendly": "Dog friendly", "parking": "Parking", "afterHours": "After-hours access"}
PEOPLE_PER_MEETING_ROOM = 15  # the capacity heuristic: one bookable room per 15 people, at least one

_LIST_SELECT = """
    SELECT id, created_at, company_name AS company, seeker_name AS seeker, seeker_email, team_size,
           monthly_budget AS budget, stage, requirements
    FROM deals
"""


@dataclass(frozen=True)
class DealFilters:
    """What the deals table is narrowed by; every value reaches SQL as a bind parameter."""

    stages: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()  # requirement flags that must be true (JSONB containment)
    budget_min: int | None = None
    budget_max: int | None = None
    team_min: int | None = None
    team_max: int | None = None
    search: str = ""  # company or seeker name, anywhere, case-insensitive

    def sql(self) -> tuple[str, dict[str, Any]]:
        """The WHERE clause over `deals` and its parameters."""
        clauses: list[str] = []
        params: dict[str, Any] = {}
        if self.stages:
            clauses.append("stage = ANY(:f_stages)")
            params["f_stages"] = bindable(self.stages)
        if self.flags:
            clauses.append("requirements @> CAST(:f_flags AS jsonb)")
            params["f_flags"] = json.dumps(dict.fromkeys(bindable(self.flags), True))
        for column, low, high in (("monthly_budget", self.budget_min, self.budget_max),
                                  ("team_size", self.team_min, self.team_max)):
            if low is not None:
                clauses.append(f"{column} >= :f_{column}_min")
                params[f"f_{column}_min"] = low
            if high is not None:
                clauses.append(f"{column} <= :f_{column}_max")
                params[f"f_{column}_max"] = high
        if self.search.strip():
            clauses.append("(company_name ILIKE :f_search ESCAPE '\\' OR seeker_name ILIKE :f_search ESCAPE '\\')")
            params["f_search"] = contains_pattern(self.search.strip())
        return " AND ".join(clauses), params


def needs_summary(requirements: Mapping[str, Any] | None) -> str:
    """'Dog friendly, Parking' for the table: the flags a deal requires."""
    flags = [FLAG_LABELS.get(k, k) for k, v in (requirements or {}).items() if v is True]
    return ", ".join(flags)


def list_deals(bind: Bind, filters: DealFilters, *, after: Cursor | None = None, limit: int = PAGE_SIZE) -> Page:
    """One page of deals, newest first, after `after` (keyset: no OFFSET however deep)."""
    where, params = filters.sql()
    with reading(bind) as conn:
        page = keyset_page(conn, _LIST_SELECT, where, params, after=after, limit=limit)
    rows = page.rows
    rows.insert(len(rows.columns) - 1, "needs", [needs_summary(r) for r in rows["requirements"]])
    rows["location"] = [(r or {}).get("location") or "" for r in rows["requirements"]]
    return Page(rows.drop(columns=["requirements"]), page.next_cursor)


def count_deals(bind: Bind, filters: DealFilters) -> int:
    where, params = filters.sql()
    with reading(bind) as conn:
        return int(conn.execute(text(f"SELECT count(*) FROM deals WHERE {where or 'TRUE'}"), params).scalar_one())


@dataclass(frozen=True)
class DealDetail:
    id: int
    seeker_name: str
    seeker_email: str
    company_name: str
    team_size: int
    monthly_budget: int
    stage: str
    created_at: datetime
    requirements: dict[str, Any] = field(default_factory=dict)
    lock_version: int = 1  # the version an edit made from this read compares against

    @property
    def required_flags(self) -> list[str]:
        return [k for k, v in self.requirements.items() if v is True]

    @property
    def location(self) -> str:
        return str(self.requirements.get("location") or "")


def get_deal(bind: Bind, deal_id: int) -> DealDetail:
    sql = text("SELECT id, seeker_name, seeker_email, company_name, team_size, monthly_budget, stage, created_at, "
               "requirements, lock_version FROM deals WHERE id = :id")
    with reading(bind) as conn:
        row = conn.execute(sql, {"id": deal_id}).mappings().first()
    if row is None:
        raise NotFound(f"Deal {deal_id} does not exist — pick a deal from the table.")
    return DealDetail(**dict(row))


def thread(bind: Bind, deal_id: int) -> pd.DataFrame:
    """The deal's emails, oldest first."""
    sql = text('SELECT id, sent_at, "from" AS sender, "to" AS recipient, subject, body, ai_generated '
               "FROM emails WHERE deal_id = :deal_id ORDER BY sent_at, id")
    with reading(bind) as conn:
        return pd.read_sql_query(sql, conn, params={"deal_id": deal_id})


def deal_spaces(bind: Bind, deal_id: int) -> pd.DataFrame:
    """Spaces linked to the deal with their status, in the order they were linked."""
    sql = text("""
        SELECT s.id AS space_id, s.name, s.neighborhood, s.monthly_rate, ds.status, ds.created_at AS linked_at
        FROM deal_spaces ds JOIN spaces s ON s.id = ds.space_id
        WHERE ds.deal_id = :deal_id ORDER BY ds.created_at, ds.id
    """)
    with reading(bind) as conn:
        return pd.read_sql_query(sql, conn, params={"deal_id": deal_id})


# The deal's own needs reach the query as values, not as a join: the planner then sees the real budget,
# flags and location (a CTE over the deal hid them, and re-derived the flags for every candidate row —
# 10-16 ms at 5,000 spaces against under 2 ms this way), and walks spaces cheapest first until the page is full.
_FIT_SELECT = """
    SELECT s.id AS space_id, s.name, s.neighborhood, s.monthly_rate,
           coalesce((s.detailed_amenities -> 'meetingRooms' ->> 'count')::int, 0) AS meeting_rooms,
           (SELECT max(size::int) FROM jsonb_array_elements_text(
                coalesce(s.detailed_amenities -> 'meetingRooms' -> 'sizes', '[]'::jsonb)) AS size) AS largest_room
    FROM spaces s
    WHERE s.monthly_rate <= :budget
      AND coalesce((s.detailed_amenities -> 'meetingRooms' ->> 'count')::int, 0) >= :rooms
      AND NOT EXISTS (SELECT 1 FROM deal_spaces ds WHERE ds.deal_id = :deal_id AND ds.space_id = s.id)
"""
_FIT_FLAGS = "AND s.amenities @> CAST(:flags AS jsonb)"
_FIT_LOCATION = "AND s.neighborhood <> '' AND strpos(lower(:location), lower(s.neighborhood)) > 0"
_FIT_ORDER = "ORDER BY s.monthly_rate, s.id LIMIT :limit"


def rooms_needed(team_size: int) -> int:
    """Bookable meeting rooms a team needs: one per PEOPLE_PER_MEETING_ROOM people, at least one."""
    return max(1, math.ceil(team_size / PEOPLE_PER_MEETING_ROOM))


def fit_reasons(deal: DealDetail, row: Mapping[str, Any]) -> list[str]:
    """Why one candidate fits, as sentences a broker can read out."""
    reasons = [f"{FLAG_LABELS.get(flag, flag)}, as required" for flag in deal.required_flags]
    spare = deal.monthly_budget - int(row["monthly_rate"])
    reasons.append(f"${int(row['monthly_rate']):,}/month is within the ${deal.monthly_budget:,} budget "
                   f"(${spare:,} to spare)")
    rooms = int(row["meeting_rooms"])
    largest = row.get("largest_room")
    size = f", largest seats {int(largest)}" if largest is not None and not pd.isna(largest) else ""
    reasons.append(f"{rooms} meeting room{'s' if rooms != 1 else ''}{size} for a team of {deal.team_size} "
                   f"(needs {rooms_needed(deal.team_size)})")
    if deal.location:  # every candidate of a deal with a location is in it (the query's own condition)
        reasons.append(f"In {row['neighborhood']}, which matches the requested location \u201c{deal.location}\u201d")
    return reasons


def fitting_spaces(bind: Bind, deal_id: int, *, limit: int = 20) -> pd.DataFrame:
    """Spaces not yet on the deal that meet its flags, budget, team size and location, cheapest first."""
    with reading(bind) as conn:
        deal = get_deal(conn, deal_id)
        sql = _FIT_SELECT
        params: dict[str, Any] = {"deal_id": deal_id, "budget": deal.monthly_budget,
                                  "rooms": rooms_needed(deal.team_size), "limit": limit}
        if deal.required_flags:
            sql, params["flags"] = sql + _FIT_FLAGS, json.dumps(dict.fromkeys(deal.required_flags, True))
        if deal.location:
            sql, params["location"] = sql + _FIT_LOCATION, deal.location
        rows = [dict(r) for r in conn.execute(text(f"{sql} {_FIT_ORDER}"), params).mappings()]
    columns = ["space_id", "name", "neighborhood", "monthly_rate", "meeting_rooms"]
    result = pd.DataFrame([{c: row[c] for c in columns} for row in rows], columns=columns)
    result["reasons"] = pd.Series([fit_reasons(deal, row) for row in rows], dtype=object)
    return result
