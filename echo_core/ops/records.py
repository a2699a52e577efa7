"""backup_runs: every backup taken and every verification, good or not (the Monitoring page reads them)."""

from __future__ import annotations

import json
import socket
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, text

from echo_core.db.engine import readable_db_errors

_INSERT = text(
    """
    INSERT INTO backup_runs (kind, scheduled, file, ok, started_at, seconds, bytes, revision, error, host, details)
    VALUES (:kind, :scheduled, :file, :ok, :started_at, :seconds, :bytes, :revision, :error, :host,
            CAST(:details AS jsonb))
    """
)


def insert_run(conn: Connection, *, kind: str, file: str, ok: bool, started_at: datetime, scheduled: bool = False,
               seconds: float | None = None, bytes: int | None = None, revision: str | None = None,
               error: str | None = None, details: dict[str, Any] | None = None) -> None:
    """Record one run in the caller's transaction."""
    conn.execute(_INSERT, {
        "kind": kind, "scheduled": scheduled, "file": file, "ok": ok, "started_at": started_at, "seconds": seconds,
        "bytes": bytes, "revision": revision, "error": error[:2000] if error else None,
        "host": socket.gethostname()[:255], "details": json.dumps(details or {}),
    })


def record_run(engine: Engine, **values: Any) -> None:
    """Record one run in a transaction of its own."""
    with readable_db_errors(engine), engine.begin() as conn:
        insert_run(conn, **values)


def scheduled_backups(engine: Engine) -> tuple[datetime | None, datetime | None]:
    """(start of the latest good scheduled backup, start of the latest scheduled attempt) across all workers."""
    sql = text(
        "SELECT max(started_at) FILTER (WHERE ok) AS last_ok, max(started_at) AS last_attempt "
        "FROM backup_runs WHERE kind = 'backup' AND scheduled"
    )
    with readable_db_errors(engine), engine.connect() as conn:
        row = conn.execute(sql).one()
    return row.last_ok, row.last_attempt
