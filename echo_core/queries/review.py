"""What the review inbox reads: the queue, counts per status, the next / previous draft, a deal's thread.

The queue pages with a keyset cursor on (created_at, id) — oldest first — so page 1000 of
300k drafts costs the same as page 1. The cursor is just the last draft id of the previous page.
One draft in full is `echo_core.queries.drafts.draft_detail` (the read model the CLI shares).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pandas as pd
from sqlalchemy import Connection, text

from echo_core.db.models import DRAFT_STATUSES
from echo_core.lifecycle import UNDER_REVIEW
from echo_core.queries.ownership import OWNER_EMAIL_SQL, owner_clause
from echo_core.queries.reading import Bind, bindable, contains_pattern, reading

VALIDATION_STATUSES = ("passed", "warnings", "failed", "not checked")
COVERAGE_STATUSES = ("complete", "incomplete", "unknown")  # unknown: never checked (older drafts)
PAGE_SIZE = 50


@dataclass(frozen=True)
class QueueFilters:
    """Every filter of the review queue; empty tuples mean "any"."""

    statuses: tuple[str, ...] = UNDER_REVIEW
    validation: tuple[str, ...] = ()
    min_confidence: int = 0
    max_confidence: int = 100
    deal_id: int | None = None
    min_age: timedelta | None = None  # at least this old
    max_age: timedelta | None = None  # at most this old
    coverage: tuple[str, ...] = ()  # of COVERAGE_STATUSES
    owner_view: str = "all"  # mine | unassigned | all (echo_core.queries.ownership)
    viewer_email: str = ""  # whose "mine"


@dataclass(frozen=True)
class QueuePage:
    rows: pd.DataFrame
    next_after_id: int | None  # pass as `after_id` to get the following page; None on the last page


def _status_list(statuses: tuple[str, ...]) -> list[str]:
    """The known statuses asked for, in a fixed order: they are spelled into the SQL as literals."""
    return [status for status in DRAFT_STATUSES if status in statuses]


def _filter_sql(filters: QueueFilters, *, with_status: bool) -> tuple[str, dict[str, Any]]:
    """WHERE clauses and their bind parameters; the status filter is optional so counts can ignore it.

    Statuses are literals from DRAFT_STATUSES (never the caller's text), so the planner can match
    the default filter to the partial index `idx_email_drafts_open_queue`.
    """
    clauses: list[str] = []
    params: dict[str, Any] = {}
    if filters.min_confidence > 0 or filters.max_confidence < 100:  # 0..100 is every draft (a CHECK says so)
        # and leaving it out lets an owner view count drafts from the (deal_id, status) index alone
        clauses.append("d.confidence_score BETWEEN :min_conf AND :max_conf")
        params.update(min_conf=filters.min_confidence, max_conf=filters.max_confidence)
    if with_status and filters.statuses:
        known = _status_list(filters.statuses) or ["(none)"]  # unknown statuses match nothing
        clauses.append(f"d.status::text IN ({', '.join(repr(s) for s in known)})")
    if filters.validation:
        clauses.append("coalesce(d.validation ->> 'status', 'not checked') = ANY(:validation)")
        params["validation"] = bindable(filters.validation)
    if filters.deal_id is not None:
        clauses.append("d.deal_id = :deal_id")
        params["deal_id"] = filters.deal_id
    if filters.min_age is not None:
        clauses.append("d.created_at <= now() - :min_age")
        params["min_age"] = filters.min_age
    if filters.max_age is not None:
        clauses.append("d.created_at >= now() - :max_age")
        params["max_age"] = filters.max_age
    if filters.coverage:
        clauses.append("coalesce(d.validation #>> '{coverage,status}', 'unknown') = ANY(:coverage)")
        params["coverage"] = bindable(filters.coverage)
    if filters.owner_view != "all":
        owner_sql, owner_params = owner_clause(filters.owner_view, actor_email=filters.viewer_email)
        clauses.append(f"EXISTS (SELECT 1 FROM deals WHERE deals.id = d.deal_id AND {owner_sql})")
        params.update(owner_params)
    return " AND ".join(clauses) or "TRUE", params


def _is_default_open_queue(statuses: tuple[str, ...]) -> bool:
    return set(_status_list(statuses)) == set(QueueFilters().statuses)


def _queue_ids_sql(filters: QueueFilters, *, after: bool) -> tuple[str, dict[str, Any]]:
    """SQL for the page's (id, created_at) in queue order.

    One ordered index range per status, merged: `status = ANY(...)` cannot walk
    (status, created_at, id) in created_at order, but each `status = '<s>'` branch can,
    and each stops after `limit` rows. The default filter reads its partial index directly.
    """
    statuses = _status_list(filters.statuses)
    keyset = " AND (d.created_at, d.id) > (:after_created_at, :after_id)" if after else ""
    if len(statuses) <= 1 or _is_default_open_queue(filters.statuses):
        where, params = _filter_sql(filters, with_status=True)
        return (f"SELECT d.id, d.created_at FROM email_drafts d WHERE {where}{keyset} "
                "ORDER BY d.created_at, d.id LIMIT :limit"), params
    where, params = _filter_sql(filters, with_status=False)
    branches = [
        f"(SELECT d.id, d.created_at FROM email_drafts d WHERE d.status = '{status}' AND {where}{keyset} "
        "ORDER BY d.created_at, d.id LIMIT :limit)"
        for status in statuses
    ]
    return f"SELECT id, created_at FROM ({' UNION ALL '.join(branches)}) AS b ORDER BY created_at, id LIMIT :limit", \
        params


def _keyset(conn: Connection, filters: QueueFilters, after_id: int | None, *, limit: int) -> tuple[str, dict[str, Any]]:
    """The queue's ids after draft `after_id` (from the start when None or unknown: drafts are never deleted, and
    an unknown cursor starts over), as SQL and its bound values."""
    after = None if after_id is None else conn.execute(
        text("SELECT created_at, id FROM email_drafts WHERE id = :id"), {"id": after_id}).first()
    ids_sql, params = _queue_ids_sql(filters, after=after is not None)
    if after is not None:
        params.update(after_created_at=after.created_at, after_id=after.id)
    return ids_sql, {**params, "limit": limit}


def queue(engine: Bind, filters: QueueFilters, *, after_id: int | None = None,
          limit: int = PAGE_SIZE) -> QueuePage:
    """One page of the review queue, oldest first, starting after draft `after_id`."""
    with reading(engine) as conn:
        ids_sql, params = _keyset(conn, filters, after_id, limit=limit + 1)  # one extra: does a page follow?
        sql = text(
            f"""
            SELECT d.id AS draft_id, d.status, d.created_at, d.deal_id, deals.company_name AS company,
                   deals.seeker_name AS seeker, e.subject AS inbound_subject,
                   d.confidence_score AS confidence,
                   coalesce(d.validation ->> 'status', 'not checked') AS validation,
                   coalesce(d.validation #>> '{{coverage,status}}', 'unknown') AS coverage,
                   coalesce(jsonb_array_length(CASE jsonb_typeof(d.reasoning -> 'needsHumanReview')
                            WHEN 'array' THEN d.reasoning -> 'needsHumanReview' END), 0) AS flags,
                   {OWNER_EMAIL_SQL} AS owner_email,
                   d.regeneration_count AS refinements
            FROM ({ids_sql}) AS page
            JOIN email_drafts d ON d.id = page.id
            JOIN deals ON deals.id = d.deal_id
            JOIN emails e ON e.id = d.inbound_email_id
            ORDER BY d.created_at, d.id
            """  # only fixed clauses and known status literals are interpolated; values are bound
        )
        rows = pd.read_sql_query(sql, conn, params=params)
    if len(rows) > limit:
        rows = rows.iloc[:limit]
        return QueuePage(rows=rows, next_after_id=int(rows["draft_id"].iloc[-1]))
    return QueuePage(rows=rows, next_after_id=None)


def _owner_view_only(filters: QueueFilters) -> bool:
    """True when nothing but the status filter and the owner view (Mine / Unassigned / All) narrows the queue
    (confidence is always 0..100)."""
    return (not filters.validation and filters.min_confidence <= 0 and filters.max_confidence >= 100
            and filters.deal_id is None and filters.min_age is None and filters.max_age is None
            and not filters.coverage)


def _summary_counts_sql(filters: QueueFilters) -> tuple[str, dict[str, Any]]:
    """Counts from the trigger-kept summaries: per status (All) or per deal owner and status (Mine / Unassigned)."""
    if filters.owner_view == "all":
        return "SELECT status, sum(drafts) AS n FROM draft_status_counts GROUP BY status", {}
    owner_sql, params = owner_clause(filters.owner_view, actor_email=filters.viewer_email, deal_alias="c")
    return f"SELECT c.status, sum(c.drafts) AS n FROM draft_owner_counts c WHERE {owner_sql} GROUP BY c.status", \
        params


def status_counts(engine: Bind, filters: QueueFilters) -> dict[str, int]:
    """Drafts per status under every filter except the status filter itself.

    With no other filter than the owner view the counts come from `draft_status_counts` (All) or
    `draft_owner_counts` (Mine / Unassigned), kept exact and transactional by triggers on email_drafts
    and deals (revisions 0010, 0019), instead of counting 300k drafts; any other filter counts them.
    """
    if _owner_view_only(filters):
        query, params = _summary_counts_sql(filters)
    else:
        where, params = _filter_sql(filters, with_status=False)
        query = f"SELECT d.status, count(*) AS n FROM email_drafts d WHERE {where} GROUP BY d.status"
    with reading(engine) as conn:
        counts = {row.status: int(row.n) for row in conn.execute(text(query), params)}
    return {status: counts.get(status, 0) for status in DRAFT_STATUSES}


def deal_options(engine: Bind, search: str = "", *, include: int | None = None, limit: int = 50) -> pd.DataFrame:
    """Up to `limit` deals with drafts whose company or seeker contains `search`, plus deal `include`.

    A brokerage has ~100k deals, too many for one dropdown: the page searches, and keeps the
    chosen deal listed whatever the search says. No search walks the (company_name, id) index and
    stops at `limit`; a search uses the trigram indexes on company and seeker name.
    """
    pattern = contains_pattern(search.strip())
    match = (r"(deals.company_name ILIKE :pattern ESCAPE '\' OR deals.seeker_name ILIKE :pattern ESCAPE '\') AND "
             if search.strip() else "")
    sql = text(
        f"""
        (SELECT deals.id AS deal_id, deals.company_name AS company, deals.seeker_name AS seeker
         FROM deals
         WHERE {match}EXISTS (SELECT 1 FROM email_drafts d WHERE d.deal_id = deals.id)
         ORDER BY deals.company_name, deals.id
         LIMIT :limit)
        UNION
        SELECT id, company_name, seeker_name FROM deals WHERE id = :include
        ORDER BY company, deal_id
        """
    )
    params = {"pattern": pattern, "include": include, "limit": limit}
    with reading(engine) as conn:
        return pd.read_sql_query(sql, conn, params=params)


def thread(engine: Bind, deal_id: int) -> pd.DataFrame:
    """Every email of the deal in the order it was sent (ties broken by id)."""
    sql = text(
        """
        SELECT id AS email_id, sent_at, "from" AS sender, "to" AS recipient, subject, body,
               coalesce(ai_generated, false) AS ai_generated
        FROM emails WHERE deal_id = :deal_id ORDER BY sent_at, id
        """
    )
    with reading(engine) as conn:
        return pd.read_sql_query(sql, conn, params={"deal_id": deal_id})


def neighbour(engine: Bind, filters: QueueFilters, draft_id: int, *, forward: bool = True) -> int | None:
    """The draft after (or before) `draft_id` in queue order under `filters`; None at the end.

    `draft_id` need not be in the queue any more (just sent or archived): its place in the
    (created_at, id) order still says what comes next.
    """
    if forward:  # the queue's own keyset, for its ids only (no page row to build: J is the click a broker repeats)
        with reading(engine) as conn:
            ids_sql, params = _keyset(conn, filters, draft_id, limit=1)
            found = conn.execute(text(ids_sql), params).scalar()
        return None if found is None else int(found)
    where, params = _filter_sql(filters, with_status=True)
    sql = text(
        f"""
        SELECT d.id FROM email_drafts d, (SELECT created_at, id FROM email_drafts WHERE id = :anchor) AS a
        WHERE {where} AND (d.created_at, d.id) < (a.created_at, a.id)
        ORDER BY d.created_at DESC, d.id DESC LIMIT 1
        """  # fixed clauses and known status literals only; values are bound
    )
    with reading(engine) as conn:
        found = conn.execute(sql, {**params, "anchor": draft_id}).scalar()
    return None if found is None else int(found)
