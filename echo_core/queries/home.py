"""What the home page shows: counts per draft status and the drafts waiting for review."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, text

from echo_core.db.engine import readable_db_errors
from echo_core.db.models import DRAFT_STATUSES


def draft_status_counts(engine: Engine) -> dict[str, int]:
    sql = text("SELECT status, count(*) AS n FROM email_drafts GROUP BY status")
    with readable_db_errors(engine), engine.connect() as conn:
        counts = {row.status: int(row.n) for row in conn.execute(sql)}
    return {status: counts.get(status, 0) for status in DRAFT_STATUSES}


def table_counts(engine: Engine) -> dict[str, int]:
    sql = text(
        "SELECT (SELECT count(*) FROM deals) AS deals, (SELECT count(*) FROM spaces) AS spaces, "
        "(SELECT count(*) FROM emails) AS emails, "
        "(SELECT count(*) FROM deals WHERE stage <> 'closed') AS open_deals"
    )
    with readable_db_errors(engine), engine.connect() as conn:
        row = conn.execute(sql).one()
    return {key: int(value) for key, value in row._mapping.items()}


def waiting_for_review(engine: Engine, limit: int = 20) -> pd.DataFrame:
    """Pending drafts, oldest first, with their deal and inbound subject."""
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
    with readable_db_errors(engine), engine.connect() as conn:
        return pd.read_sql(sql, conn, params={"limit": limit})
