"""Reading drafts: the list, one draft in full, and its history of actions."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import Engine, text

from echo_core.config import get_settings
from echo_core.db.engine import readable_db_errors
from echo_core.errors import DraftNotFound, InvalidInput
from echo_core.lifecycle import DRAFT_STATUSES, refinement_allowance


def list_drafts(engine: Engine, *, status: str | None = None, limit: int = 500) -> pd.DataFrame:
    """Drafts newest first, with their deal, inbound subject and review state."""
    if status is not None and status not in DRAFT_STATUSES:
        raise InvalidInput(f"'{status[:40]}' is not a draft status — use one of: {', '.join(DRAFT_STATUSES)}.")
    sql = text(
        """
        SELECT d.id AS draft_id, d.status, deals.company_name AS company, deals.seeker_name AS seeker,
               e.subject AS inbound_subject, d.confidence_score AS confidence,
               d.validation ->> 'status' AS validation, d.current_version AS version,
               coalesce(jsonb_array_length(d.draft_versions), 0) AS versions,
               d.regeneration_count AS refinements, d.edited_body IS NOT NULL AS edited,
               d.lock_version, d.created_at
        FROM email_drafts d
        JOIN deals ON deals.id = d.deal_id
        JOIN emails e ON e.id = d.inbound_email_id
        WHERE CAST(:status AS varchar) IS NULL OR d.status = :status
        ORDER BY d.created_at DESC, d.id DESC
        LIMIT :limit
        """
    )
    with readable_db_errors(engine), engine.connect() as conn:
        return pd.read_sql(sql, conn, params={"status": status, "limit": limit})


@dataclass(frozen=True)
class DraftDetail:
    """Everything a reviewer needs about one draft. Bodies are untrusted plain text."""

    id: int
    status: str
    deal_id: int
    company: str
    seeker_name: str
    seeker_email: str
    inbound_email_id: int
    inbound_subject: str
    inbound_body: str
    final_body: str | None
    edited: bool
    confidence_score: int
    reasoning: dict[str, Any] | None
    validation: dict[str, Any] | None
    current_version: int
    versions: list[dict[str, Any]]
    regeneration_count: int
    refinements_left: int
    refine_available_at: datetime | None
    reviewed_at: datetime | None
    reviewed_by: str | None
    sent_at: datetime | None
    sent_email_id: int | None
    archived_at: datetime | None
    archived_by: str | None
    archive_category: str | None
    archive_reason: str | None
    archived_from_status: str | None
    lock_version: int
    created_at: datetime

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def draft_detail(engine: Engine, draft_id: int, *, now: datetime | None = None) -> DraftDetail:
    sql = text(
        """
        SELECT d.id, d.status, d.deal_id, deals.company_name AS company, deals.seeker_name,
               deals.seeker_email, d.inbound_email_id, e.subject AS inbound_subject, e.body AS inbound_body,
               d.final_body, d.edited_body IS NOT NULL AS edited, d.confidence_score, d.reasoning, d.validation,
               d.current_version, coalesce(d.draft_versions, '[]'::jsonb) AS versions, d.regeneration_count,
               d.last_regeneration_at, d.reviewed_at, d.reviewed_by, d.sent_at, d.sent_email_id,
               d.archived_at, d.archived_by, d.archive_category, d.archive_reason, d.archived_from_status,
               d.lock_version, d.created_at
        FROM email_drafts d
        JOIN deals ON deals.id = d.deal_id
        JOIN emails e ON e.id = d.inbound_email_id
        WHERE d.id = :id
        """
    )
    with readable_db_errors(engine), engine.connect() as conn:
        row = conn.execute(sql, {"id": draft_id}).mappings().one_or_none()
    if row is None:
        raise DraftNotFound(draft_id)
    values = dict(row)
    settings = get_settings()
    allowance = refinement_allowance(
        count=values["regeneration_count"],
        last_at=values.pop("last_regeneration_at"),
        now=now or datetime.now(UTC),
        limit=settings.refine_limit,
        cooldown=timedelta(hours=settings.refine_cooldown_hours),
    )
    return DraftDetail(**values, refinements_left=allowance.left, refine_available_at=allowance.available_at)


def draft_history(engine: Engine, draft_id: int) -> pd.DataFrame:
    """Every action on the draft, oldest first: when, who, what, from → to, and the details."""
    exists = text("SELECT EXISTS (SELECT 1 FROM email_drafts WHERE id = :id)")
    sql = text(
        """
        SELECT id AS event_id, created_at AS at, actor, action, from_status, to_status, details
        FROM draft_events
        WHERE draft_id = :id
        ORDER BY created_at, id
        """
    )
    with readable_db_errors(engine), engine.connect() as conn:
        if not conn.execute(exists, {"id": draft_id}).scalar_one():
            raise DraftNotFound(draft_id)
        return pd.read_sql(sql, conn, params={"id": draft_id})
