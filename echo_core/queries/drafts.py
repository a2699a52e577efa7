"""Reading drafts: the list, ONE read model of a draft (`DraftDetail`, shared by the CLI and the
dashboard), and its history of actions. How a surface frames it (labels, tables) lives with that surface.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import text

from echo_core.config import get_settings
from echo_core.errors import DraftNotFound, InvalidInput
from echo_core.lifecycle import DRAFT_STATUSES, HAND_EDIT, refinement_allowance
from echo_core.queries.ownership import OWNER_EMAIL_SQL
from echo_core.queries.reading import Bind, reading


def list_drafts(engine: Bind, *, status: str | None = None, limit: int = 500) -> pd.DataFrame:
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
    with reading(engine) as conn:
        return pd.read_sql(sql, conn, params={"status": status, "limit": limit})


@dataclass(frozen=True)
class Coverage:
    """Does the text answer (or defer) each of the seeker's asks? `status` "unknown" when never checked."""

    status: str  # complete | incomplete | unknown
    asks: int = 0
    unanswered: tuple[str, ...] = ()


@dataclass(frozen=True)
class DraftDetail:
    """Everything a reviewer needs about one draft. Bodies, names and subjects are untrusted plain text."""

    id: int
    status: str
    deal_id: int
    company: str
    seeker_name: str
    seeker_email: str
    owner_email: str | None
    inbound_email_id: int
    inbound_from: str
    inbound_subject: str
    inbound_body: str
    inbound_sent_at: datetime
    ai_generated_body: str
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
    metadata: dict[str, Any] | None = field(default=None)

    @property
    def body(self) -> str:
        """The current text: the final body, else the AI's."""
        return self.final_body if self.final_body is not None else self.ai_generated_body

    @property
    def validation_status(self) -> str:
        return str((self.validation or {}).get("status") or "not checked")

    @property
    def validation_issues(self) -> list[str]:
        return [str(issue) for issue in (self.validation or {}).get("issues", []) or []]

    @property
    def coverage(self) -> Coverage:
        raw = (self.validation or {}).get("coverage")
        if not isinstance(raw, dict) or raw.get("status") not in ("complete", "incomplete"):
            return Coverage("unknown")
        return Coverage(str(raw["status"]), int(raw.get("asks") or 0),
                        tuple(str(a) for a in raw.get("unanswered", []) or []))

    def reasoning_list(self, key: str) -> list[str]:
        """A list of strings from the reasoning: needsHumanReview, schedulingLogic, requirementMismatches."""
        items = (self.reasoning or {}).get(key) or []
        return [str(item) for item in items] if isinstance(items, list) else [str(items)]

    @property
    def needs_human_review(self) -> list[str]:
        return self.reasoning_list("needsHumanReview")

    def version(self, number: int) -> dict[str, Any] | None:
        return next((v for v in self.versions if v.get("version") == number), None)

    @property
    def ai_version(self) -> int:
        """The newest model-written version at or before the current one: what a hand edit changed."""
        written = [int(v.get("version", 0)) for v in self.versions
                   if v.get("kind") != HAND_EDIT and int(v.get("version", 0)) <= self.current_version]
        return max(written, default=self.current_version)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


_DETAIL = text(
    f"""
    SELECT d.id, d.status, d.deal_id, deals.company_name AS company, deals.seeker_name,
           deals.seeker_email, {OWNER_EMAIL_SQL} AS owner_email, d.inbound_email_id,
           e."from" AS inbound_from, e.subject AS inbound_subject, e.body AS inbound_body,
           e.sent_at AS inbound_sent_at, d.ai_generated_body, d.final_body, d.edited_body IS NOT NULL AS edited,
           d.confidence_score, d.reasoning, d.validation, d.current_version,
           coalesce(d.draft_versions, '[]'::jsonb) AS versions, d.regeneration_count, d.last_regeneration_at,
           d.reviewed_at, d.reviewed_by, d.sent_at, d.sent_email_id, d.archived_at, d.archived_by,
           d.archive_category, d.archive_reason, d.archived_from_status, d.lock_version, d.created_at,
           d.metadata
    FROM email_drafts d
    JOIN deals ON deals.id = d.deal_id
    JOIN emails e ON e.id = d.inbound_email_id
    WHERE d.id = :id
    """
)


def draft_detail(engine: Bind, draft_id: int, *, now: datetime | None = None) -> DraftDetail:
    with reading(engine) as conn:
        row = conn.execute(_DETAIL, {"id": draft_id}).mappings().one_or_none()
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
    values["versions"] = list(values["versions"] or [])
    return DraftDetail(**values, refinements_left=allowance.left, refine_available_at=allowance.available_at)


def draft_history(engine: Bind, draft_id: int) -> pd.DataFrame:
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
    with reading(engine) as conn:
        if not conn.execute(exists, {"id": draft_id}).scalar_one():
            raise DraftNotFound(draft_id)
        return pd.read_sql(sql, conn, params={"id": draft_id})
