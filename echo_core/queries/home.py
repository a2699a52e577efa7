"""What the home page shows: counts per draft status and the drafts waiting for review.

Counting a million emails takes longer than the whole page may, so the home page reads:
- draft counts from `draft_status_counts` (kept exact by a trigger on email_drafts);
- table sizes exactly while a table is small, and PostgreSQL's own estimate beyond
  `EXACT_UP_TO` rows (what autovacuum's ANALYZE last measured — within a few percent).
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Engine, text

from echo_core.db.models import DRAFT_STATUSES
from echo_core.queries.reading import reading

EXACT_UP_TO = 50_000  # rows; counting this many through an index costs a few milliseconds

_TABLE_COUNTS = {
    "deals": "SELECT 1 FROM deals",
    "spaces": "SELECT 1 FROM spaces",
    "emails": "SELECT 1 FROM emails",
    "open_deals": "SELECT 1 FROM deals WHERE stage <> 'closed'",
}


def draft_status_counts(engine: Engine) -> dict[str, int]:
    sql = text("SELECT status, sum(drafts) AS n FROM draft_status_counts GROUP BY status")
    with reading(engine) as conn:
        counts = {row.status: int(row.n) for row in conn.execute(sql)}
    return {status: counts.get(status, 0) for status in DRAFT_STATUSES}


def _estimate(conn: Connection, sql: str) -> int:
    """The planner's row estimate for `sql` (fixed SQL, never user text): no rows are read."""
    plan: Any = conn.execute(text(f"EXPLAIN (FORMAT JSON) {sql}")).scalar_one()
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


def table_counts(engine: Engine) -> dict[str, int]:
    """Rows per table: exact up to EXACT_UP_TO, the planner's estimate above it."""
    counts: dict[str, int] = {}
    with reading(engine) as conn:
        for key, sql in _TABLE_COUNTS.items():
            estimate = _estimate(conn, sql)
            if estimate > EXACT_UP_TO:
                counts[key] = estimate
            else:
                counts[key] = int(conn.execute(text(f"SELECT count(*) FROM ({sql}) AS t")).scalar_one())
    return counts


def waiting_for_review(engine: Engine, limit: int = 20) -> pd.DataFrame:
    """Pending drafts, oldest first, with their deal and inbound subject (index on status, created_at, id)."""
    sql = text(
        """
        SELECT d.id AS draft_id, d.created_at, deals.company_name AS company, deals.seeker_name AS seeker,
               e.subject AS inbound_subject, d.confidence_score AS confidence,
               d.validation ->> 'status' AS validation
        FROM email_drafts d
        JOIN deals ON deals.id = d.deal_id
        JOIN emails e ON e.id = d.inbound_email_id
        WHERE d.status = 'pending'
        ORDER BY d.created_at, d.id
        LIMIT :limit
        """
    )
    with reading(engine) as conn:
        return pd.read_sql_query(sql, conn, params={"limit": limit})
