"""What the draft review page reads: the queue, counts per status, one draft, its thread and version diffs.

The queue pages with a keyset cursor on (created_at, id) — oldest first — so page 1000 of
300k drafts costs the same as page 1. The cursor is just the last draft id of the previous page.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import text

from echo_core.db.models import DRAFT_STATUSES
from echo_core.errors import DraftNotFound, VersionNotFound
from echo_core.queries.reading import Bind, bindable, contains_pattern, reading

VALIDATION_STATUSES = ("passed", "warnings", "failed", "not checked")
PAGE_SIZE = 50


@dataclass(frozen=True)
class QueueFilters:
    """Every filter of the review queue; empty tuples mean "any"."""

    statuses: tuple[str, ...] = ("pending", "approved")
    validation: tuple[str, ...] = ()
    min_confidence: int = 0
    max_confidence: int = 100
    deal_id: int | None = None
    min_age: timedelta | None = None  # at least this old
    max_age: timedelta | None = None  # at most this old


@dataclass(frozen=True)
class QueuePage:
    rows: pd.DataFrame
    next_after_id: int | None  # pass as `after_id` to get the following page; None on the last page


@dataclass(frozen=True)
class DraftDetail:
    """One draft with its deal and inbound email, as the review page shows it."""

    id: int
    deal_id: int
    company: str
    seeker: str
    seeker_email: str
    status: str
    confidence: int
    ai_generated_body: str
    body: str  # the current body: final_body, falling back to the AI body
    validation_status: str
    validation_issues: list[str]
    reasoning: dict[str, Any]
    versions: list[dict[str, Any]]
    current_version: int
    lock_version: int
    regeneration_count: int
    last_regeneration_at: datetime | None
    created_at: datetime
    reviewed_at: datetime | None
    reviewed_by: str | None
    sent_at: datetime | None
    sent_email_id: int | None
    archived_at: datetime | None
    archived_by: str | None
    archive_category: str | None
    archive_reason: str | None
    inbound_email_id: int
    inbound_from: str
    inbound_subject: str
    inbound_body: str
    inbound_sent_at: datetime
    metadata: dict[str, Any] = field(default_factory=dict)


def _status_list(statuses: tuple[str, ...]) -> list[str]:
    """The known statuses asked for, in a fixed order: they are spelled into the SQL as literals."""
    return [status for status in DRAFT_STATUSES if status in statuses]


def _filter_sql(filters: QueueFilters, *, with_status: bool) -> tuple[str, dict[str, Any]]:
    """WHERE clauses and their bind parameters; the status filter is optional so counts can ignore it.

    Statuses are literals from DRAFT_STATUSES (never the caller's text), so the planner can match
    the default filter to the partial index `idx_email_drafts_open_queue`.
    """
    clauses = ["d.confidence_score BETWEEN :min_conf AND :max_conf"]
    params: dict[str, Any] = {"min_conf": filters.min_confidence, "max_conf": filters.max_confidence}
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
    return " AND ".join(clauses), params


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


def queue(engine: Bind, filters: QueueFilters, *, after_id: int | None = None,
          limit: int = PAGE_SIZE) -> QueuePage:
    """One page of the review queue, oldest first, starting after draft `after_id`."""
    with reading(engine) as conn:
        after: Any = None
        if after_id is not None:
            after = conn.execute(text("SELECT created_at, id FROM email_drafts WHERE id = :id"),
                                 {"id": after_id}).first()
            if after is None:  # drafts are never deleted; an unknown cursor starts over
                after_id = None
        ids_sql, params = _queue_ids_sql(filters, after=after is not None)
        if after is not None:
            params.update(after_created_at=after.created_at, after_id=after.id)
        params["limit"] = limit + 1  # one extra row tells whether another page follows
        sql = text(
            f"""
            SELECT d.id AS draft_id, d.status, d.created_at, deals.company_name AS company,
                   deals.seeker_name AS seeker, e.subject AS inbound_subject,
                   d.confidence_score AS confidence,
                   coalesce(d.validation ->> 'status', 'not checked') AS validation,
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


def _unfiltered(filters: QueueFilters) -> bool:
    """True when nothing but the status filter narrows the queue (confidence is always 0..100)."""
    return (not filters.validation and filters.min_confidence <= 0 and filters.max_confidence >= 100
            and filters.deal_id is None and filters.min_age is None and filters.max_age is None)


def status_counts(engine: Bind, filters: QueueFilters) -> dict[str, int]:
    """Drafts per status under every filter except the status filter itself.

    With no other filter the counts come from `draft_status_counts` (kept by a trigger on
    email_drafts, exact and transactional) instead of counting 300k drafts.
    """
    if _unfiltered(filters):
        sql = text("SELECT status, sum(drafts) AS n FROM draft_status_counts GROUP BY status")
        params: dict[str, Any] = {}
    else:
        where, params = _filter_sql(filters, with_status=False)
        sql = text(f"SELECT d.status, count(*) AS n FROM email_drafts d WHERE {where} GROUP BY d.status")
    with reading(engine) as conn:
        counts = {row.status: int(row.n) for row in conn.execute(sql, params)}
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


def draft_detail(engine: Bind, draft_id: int) -> DraftDetail:
    sql = text(
        """
        SELECT d.*, deals.company_name, deals.seeker_name, deals.seeker_email,
               e."from" AS inbound_from, e.subject AS inbound_subject, e.body AS inbound_body,
               e.sent_at AS inbound_sent_at
        FROM email_drafts d
        JOIN deals ON deals.id = d.deal_id
        JOIN emails e ON e.id = d.inbound_email_id
        WHERE d.id = :draft_id
        """
    )
    with reading(engine) as conn:
        row = conn.execute(sql, {"draft_id": draft_id}).mappings().first()
    if row is None:
        raise DraftNotFound(draft_id)
    validation = row["validation"] or {}
    return DraftDetail(
        id=row["id"], deal_id=row["deal_id"], company=row["company_name"], seeker=row["seeker_name"],
        seeker_email=row["seeker_email"], status=row["status"], confidence=row["confidence_score"],
        ai_generated_body=row["ai_generated_body"],
        body=row["final_body"] if row["final_body"] is not None else row["ai_generated_body"],
        validation_status=validation.get("status", "not checked"),
        validation_issues=[str(issue) for issue in validation.get("issues", [])],
        reasoning=row["reasoning"] or {}, versions=list(row["draft_versions"] or []),
        current_version=row["current_version"], lock_version=row["lock_version"],
        regeneration_count=row["regeneration_count"], last_regeneration_at=row["last_regeneration_at"],
        created_at=row["created_at"], reviewed_at=row["reviewed_at"], reviewed_by=row["reviewed_by"],
        sent_at=row["sent_at"], sent_email_id=row["sent_email_id"], archived_at=row["archived_at"],
        archived_by=row["archived_by"], archive_category=row["archive_category"],
        archive_reason=row["archive_reason"], inbound_email_id=row["inbound_email_id"],
        inbound_from=row["inbound_from"], inbound_subject=row["inbound_subject"],
        inbound_body=row["inbound_body"], inbound_sent_at=row["inbound_sent_at"],
        metadata=row["metadata"] or {},
    )


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


def draft_events(engine: Bind, draft_id: int) -> pd.DataFrame:
    """The audit trail of one draft, oldest first."""
    sql = text(
        """
        SELECT created_at, actor, action, from_status, to_status
        FROM draft_events WHERE draft_id = :draft_id ORDER BY created_at, id
        """
    )
    with reading(engine) as conn:
        return pd.read_sql_query(sql, conn, params={"draft_id": draft_id})


# --- pure helpers over a loaded draft -------------------------------------------------


def _cell(value: Any) -> str:
    """One dataframe cell: JSON values become text so mixed types never break the table."""
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def questions_frame(reasoning: dict[str, Any]) -> pd.DataFrame:
    """Each seeker question with its answer and where in the thread it was asked."""
    rows = [
        {
            "question": _cell(q.get("question")),
            "answer": _cell(q.get("answer")),
            "source email": _cell(q.get("sourceEmailId")),
            "asked as": _cell(q.get("sourceText")),
        }
        for q in reasoning.get("questionsAddressed", []) or []
        if isinstance(q, dict)
    ]
    return pd.DataFrame(rows, columns=["question", "answer", "source email", "asked as"])


def facts_frame(reasoning: dict[str, Any]) -> pd.DataFrame:
    """Each database fact the draft relies on: source type, id, field path and value."""
    rows = [
        {
            "fact": _cell(d.get("dataPoint")),
            "source type": _cell(d.get("sourceType")),
            "source id": _cell(d.get("sourceId")),
            "field path": _cell(d.get("fieldPath")),
            "value": _cell(d.get("value")),
        }
        for d in reasoning.get("dataUsed", []) or []
        if isinstance(d, dict)
    ]
    return pd.DataFrame(rows, columns=["fact", "source type", "source id", "field path", "value"])


def reasoning_list(reasoning: dict[str, Any], key: str) -> list[str]:
    """A list of plain strings from the reasoning (schedulingLogic, needsHumanReview, requirementMismatches)."""
    return [_cell(item) for item in reasoning.get(key, []) or []]


def versions_frame(versions: list[dict[str, Any]], current_version: int) -> pd.DataFrame:
    rows = [
        {
            "version": int(v.get("version", 0)),
            "current": int(v.get("version", 0)) == current_version,
            "created": _cell(v.get("createdAt")),
            "instruction": _cell(v.get("prompt")),
            "confidence": v.get("confidence"),
            "characters": len(str(v.get("body", ""))),
        }
        for v in versions
    ]
    return pd.DataFrame(rows, columns=["version", "current", "created", "instruction", "confidence", "characters"])


def version_diff(versions: list[dict[str, Any]], older: int, newer: int) -> str:
    """A unified diff (plain text) from version `older` to version `newer`."""
    bodies = {int(v.get("version", -1)): str(v.get("body", "")) for v in versions}
    for number in (older, newer):
        if number not in bodies:
            raise VersionNotFound(f"This draft has no version {number} — pick one from the version history.")
    diff = difflib.unified_diff(
        bodies[older].splitlines(), bodies[newer].splitlines(),
        fromfile=f"version {older}", tofile=f"version {newer}", lineterm="",
    )
    return "\n".join(diff) or "The two versions are identical."
