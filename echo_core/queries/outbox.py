"""What the mail page and the draft review show about delivery: per-draft state, the outbox, counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd
from sqlalchemy import Engine, text

from echo_core.db.engine import readable_db_errors
from echo_core.db.models import OUTBOX_STATUSES


@dataclass(frozen=True)
class DeliveryState:
    """A sent draft's delivery: queued, sending, delivered or failed (with its error)."""

    outbox_id: int
    status: str
    attempts: int
    last_error: str | None
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    delivered_via: str | None
    message_id: str | None
    to_addr: str

    @property
    def retryable(self) -> bool:
        return self.status == "failed"

    def describe(self) -> str:
        """One line for a page or the CLI (the error is untrusted server text: show it as plain text)."""
        if self.status == "delivered" and self.delivered_at:
            return f"delivered to {self.to_addr} at {self.delivered_at:%Y-%m-%d %H:%M} UTC via {self.delivered_via}"
        if self.status == "failed":
            return f"failed after {self.attempts} attempt(s): {self.last_error or 'unknown error'}"
        if self.status == "sending":
            return f"being delivered to {self.to_addr} (attempt {self.attempts})"
        if self.attempts and self.next_attempt_at:
            return (f"queued, retry {self.attempts + 1} at {self.next_attempt_at:%Y-%m-%d %H:%M} UTC "
                    f"after: {self.last_error or 'an error'}")
        return f"queued for delivery to {self.to_addr}"


def delivery_state(engine: Engine, *, draft_id: int) -> DeliveryState | None:
    """The delivery of the draft's sent reply; None when the draft was never queued (not sent, or sent before 0008)."""
    sql = text(
        """
        SELECT o.id AS outbox_id, o.status, o.attempts, o.last_error, o.next_attempt_at, o.delivered_at,
               o.delivered_via, e.message_id, e."to" AS to_addr
        FROM outbox o JOIN emails e ON e.id = o.email_id
        WHERE o.draft_id = :draft_id
        ORDER BY o.id DESC
        LIMIT 1
        """
    )
    with readable_db_errors(engine), engine.connect() as conn:
        row = conn.execute(sql, {"draft_id": draft_id}).first()
    if row is None:
        return None
    return DeliveryState(**row._mapping)


def outbox_counts(engine: Engine) -> dict[str, int]:
    sql = text("SELECT status, count(*) AS n FROM outbox GROUP BY status")
    with readable_db_errors(engine), engine.connect() as conn:
        counts = {row.status: int(row.n) for row in conn.execute(sql)}
    return {status: counts.get(status, 0) for status in OUTBOX_STATUSES}


def outbox_rows(engine: Engine, *, status: str | None = None, limit: int = 200) -> pd.DataFrame:
    """The newest outbox messages with their delivery state (optionally one status only)."""
    sql = text(
        """
        SELECT o.id, o.created_at AS queued_at, o.draft_id, e."to" AS recipient, e.subject, o.status,
               o.attempts, o.next_attempt_at, o.delivered_at, o.last_error
        FROM outbox o JOIN emails e ON e.id = o.email_id
        WHERE CAST(:status AS varchar) IS NULL OR o.status = :status
        ORDER BY o.id DESC
        LIMIT :limit
        """
    )
    with readable_db_errors(engine), engine.connect() as conn:
        return pd.read_sql_query(sql, conn, params={"status": status, "limit": limit})


def failed_ids(engine: Engine, limit: int = 500) -> list[int]:
    sql = text("SELECT id FROM outbox WHERE status = 'failed' ORDER BY id DESC LIMIT :limit")
    with readable_db_errors(engine), engine.connect() as conn:
        return [int(i) for i in conn.execute(sql, {"limit": limit}).scalars()]


# Read through the partial index of revision 0020 (only the flagged deals), backwards.
DEALS_TO_COMPLETE = text(
    """
    SELECT d.id AS deal_id, d.created_at, d.seeker_name, d.seeker_email, d.company_name,
           (SELECT count(*) FROM emails e WHERE e.deal_id = d.id) AS emails
    FROM deals d
    WHERE d.needs_completion
    ORDER BY d.created_at DESC, d.id DESC
    LIMIT :limit
    """
)


def deals_to_complete(engine: Engine, limit: int = 100) -> pd.DataFrame:
    """Inquiry deals created from unknown senders, waiting for a broker to fill in the placeholders."""
    with readable_db_errors(engine), engine.connect() as conn:
        return pd.read_sql_query(DEALS_TO_COMPLETE, conn, params={"limit": limit})
