"""The Monitoring figures, read once for the Monitoring page and `db status --json` alike.

Everything comes from PostgreSQL's own statistics views (pg_stat_activity, pg_stat_statements,
pg_stat_user_tables/indexes, pg_statio_*) and from the worker's tables (worker_heartbeats,
backup_runs); the outbox gives the delivery backlog. Optional sources (pg_stat_statements) are
read inside a savepoint, so a server without them still gives every other figure.
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError

from echo_core.db.engine import APPLICATION_NAME, MAX_OVERFLOW, POOL_SIZE, readable_db_errors
from echo_core.ops.thresholds import Alert, Figures, alerts
from echo_core.permissions import Action, Actor, require
from echo_core.redact import safe_url

PROCESS_CAPACITY = POOL_SIZE + MAX_OVERFLOW
STATEMENTS_FIX = ("add `shared_preload_libraries = 'pg_stat_statements'` to postgresql.conf (a managed database: "
                  "its parameter group), restart PostgreSQL, then run `CREATE EXTENSION pg_stat_statements;` as a "
                  "superuser in this database (or `python -m echo_core db upgrade`, which tries)")


@dataclass(frozen=True)
class Snapshot:
    taken_at: datetime
    server: str
    version: str
    connections: dict[str, Any]
    processes: pd.DataFrame
    statements: pd.DataFrame | None
    statements_note: str | None
    tables: pd.DataFrame
    indexes: pd.DataFrame
    hit_ratio: dict[str, Any]
    outbox: dict[str, Any]
    failed_deliveries: pd.DataFrame
    ingest: dict[str, Any]
    workers: pd.DataFrame
    backups: dict[str, Any]
    alerts: list[Alert] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (`db status --json`): frames become lists of records, times ISO strings."""
        def frame(df: pd.DataFrame | None) -> list[dict[str, Any]] | None:
            return None if df is None else [_plain(r) for r in df.to_dict(orient="records")]

        out: dict[str, Any] = _plain({
            "takenAt": self.taken_at, "server": self.server, "version": self.version,
            "connections": self.connections, "processes": frame(self.processes),
            "statements": frame(self.statements), "statementsNote": self.statements_note,
            "tables": frame(self.tables), "indexes": frame(self.indexes), "hitRatio": self.hit_ratio,
            "outbox": self.outbox, "failedDeliveries": frame(self.failed_deliveries), "ingest": self.ingest,
            "workers": frame(self.workers), "backups": self.backups,
            "alerts": [{"figure": a.figure, "message": a.message} for a in self.alerts],
        })
        return out


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, datetime | pd.Timestamp):
        return None if pd.isna(value) else value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, float) and pd.isna(value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return _plain(value.item())
    return value


def _one(conn: Connection, sql: str) -> dict[str, Any]:
    return dict(conn.execute(text(sql)).mappings().one())


def _frame(conn: Connection, sql: str, **params: Any) -> pd.DataFrame:
    result = conn.execute(text(sql), params)
    return pd.DataFrame(result.mappings().all(), columns=list(result.keys()))


def connections(conn: Connection) -> tuple[dict[str, Any], pd.DataFrame]:
    figures = _one(conn, """
        SELECT count(*) FILTER (WHERE a.backend_type = 'client backend') AS server_used,
               count(*) FILTER (WHERE a.backend_type = 'client backend' AND a.datname = current_database())
                   AS database_used,
               count(*) FILTER (WHERE a.backend_type = 'client backend' AND a.datname = current_database()
                                AND s.ssl) AS database_tls,
               current_setting('max_connections')::int AS server_max,
               current_setting('superuser_reserved_connections')::int AS reserved,
               (SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()) AS this_connection_tls
        FROM pg_stat_activity a LEFT JOIN pg_stat_ssl s ON s.pid = a.pid""")
    figures["server_usable"] = figures["server_max"] - figures["reserved"]
    figures["server_pct"] = round(figures["server_used"] / max(1, figures["server_usable"]), 4)
    processes = _frame(conn, """
        SELECT application_name AS process, count(*) AS open,
               count(*) FILTER (WHERE state <> 'idle') AS busy
        FROM pg_stat_activity
        WHERE datname = current_database() AND application_name LIKE :prefix
        GROUP BY application_name ORDER BY application_name""", prefix=f"{APPLICATION_NAME} %")
    processes["capacity"] = PROCESS_CAPACITY
    processes["busy_pct"] = (processes["busy"] / PROCESS_CAPACITY).round(3) if len(processes) else []
    return figures, processes


def slow_statements(conn: Connection, limit: int = 10) -> tuple[pd.DataFrame | None, str | None]:
    """The statements with the highest mean time in this database, or a note saying why there are none."""
    installed = conn.scalar(text("SELECT 1 FROM pg_extension WHERE extname = 'pg_stat_statements'"))
    if not installed:
        return None, f"pg_stat_statements is not installed in this database — {STATEMENTS_FIX}."
    try:
        with conn.begin_nested():
            # Slowest first, and the text tests only until `limit` pass (OFFSET 0 keeps them out of the
            # sorted subquery): with thousands of statements the regexes over every text were most of the cost.
            frame = _frame(conn, """
                SELECT regexp_replace(s.query, '\\s+', ' ', 'g') AS query, s.calls,
                       round(s.mean_exec_time::numeric, 2)::float AS mean_ms,
                       round(s.max_exec_time::numeric, 2)::float AS max_ms,
                       round(s.total_exec_time::numeric, 1)::float AS total_ms, s.rows
                FROM (SELECT * FROM pg_stat_statements
                      WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
                      ORDER BY mean_exec_time DESC OFFSET 0) s
                WHERE s.query ~* '^\\s*(select|insert|update|delete|with)\\M'
                  AND s.query !~* 'pg_catalog\\.'  -- pg_dump's and psql's catalog reads: tools, not the app
                LIMIT :limit""", limit=limit)
    except DBAPIError as error:
        reason = str(getattr(error, "orig", error)).splitlines()[0][:160]
        return None, f"pg_stat_statements cannot be read ({reason}) — {STATEMENTS_FIX}."
    note = None
    if (frame["query"] == "<insufficient privilege>").any():
        note = "some statements are hidden: grant pg_read_all_stats to this role to see every statement."
    return frame, note


def sizes(conn: Connection) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, Any]]:
    tables = _frame(conn, """
        SELECT relname AS table, n_live_tup AS rows, pg_total_relation_size(relid) AS total_bytes,
               pg_relation_size(relid) AS table_bytes, pg_indexes_size(relid) AS index_bytes
        FROM pg_stat_user_tables WHERE schemaname = current_schema()
        ORDER BY pg_total_relation_size(relid) DESC, relname""")
    indexes = _frame(conn, """
        SELECT relname AS table, indexrelname AS index, pg_relation_size(indexrelid) AS bytes, idx_scan AS scans
        FROM pg_stat_user_indexes WHERE schemaname = current_schema()
        ORDER BY pg_relation_size(indexrelid) DESC, indexrelname""")
    hits = _one(conn, """
        SELECT (SELECT coalesce(sum(idx_blks_hit), 0) FROM pg_statio_user_indexes
                WHERE schemaname = current_schema())::bigint AS index_hits,
               (SELECT coalesce(sum(idx_blks_read), 0) FROM pg_statio_user_indexes
                WHERE schemaname = current_schema())::bigint AS index_reads,
               (SELECT coalesce(sum(heap_blks_hit), 0) FROM pg_statio_user_tables
                WHERE schemaname = current_schema())::bigint AS table_hits,
               (SELECT coalesce(sum(heap_blks_read), 0) FROM pg_statio_user_tables
                WHERE schemaname = current_schema())::bigint AS table_reads""")
    for kind in ("index", "table"):
        total = hits[f"{kind}_hits"] + hits[f"{kind}_reads"]
        hits[f"{kind}_ratio"] = round(hits[f"{kind}_hits"] / total, 4) if total else None
    return tables, indexes, hits


def outbox(conn: Connection) -> tuple[dict[str, Any], pd.DataFrame]:
    backlog = _one(conn, """
        SELECT count(*) FILTER (WHERE status = 'queued') AS queued,
               count(*) FILTER (WHERE status = 'sending') AS sending,
               count(*) FILTER (WHERE status = 'delivered') AS delivered,
               count(*) FILTER (WHERE status = 'failed') AS failed,
               count(*) FILTER (WHERE status = 'queued' AND next_attempt_at <= now()) AS due,
               extract(epoch FROM now() - min(created_at) FILTER (WHERE status IN ('queued', 'sending')))::float
                   AS oldest_queued_seconds,
               extract(epoch FROM now() - min(next_attempt_at) FILTER (WHERE status = 'queued'
                                                                       AND next_attempt_at <= now()))::float
                   AS overdue_seconds
        FROM outbox""")
    failed = _frame(conn, """
        SELECT o.id, o.draft_id, e."to" AS recipient, o.attempts, o.last_error, o.created_at AS queued_at
        FROM outbox o JOIN emails e ON e.id = o.email_id
        WHERE o.status = 'failed' ORDER BY o.id DESC LIMIT 20""")
    return backlog, failed


def workers(conn: Connection) -> pd.DataFrame:
    frame = _frame(conn, """
        SELECT worker, duty, host, interval_seconds, started_at, last_run_at, last_ok_at, last_error,
               last_error_at, runs, items_done, items_failed, recent_errors, stopped_at,
               extract(epoch FROM now() - last_run_at)::float AS age_seconds,
               CASE WHEN stopped_at IS NOT NULL THEN 'stopped'
                    WHEN last_run_at IS NULL OR now() - last_run_at
                         > make_interval(secs => greatest(3 * interval_seconds, 60)) THEN 'stale'
                    WHEN last_error_at IS NOT NULL AND (last_ok_at IS NULL OR last_error_at > last_ok_at)
                         THEN 'failing'
                    ELSE 'ok' END AS state
        FROM worker_heartbeats
        WHERE stopped_at IS NULL OR stopped_at > now() - interval '1 day'
        ORDER BY stopped_at IS NOT NULL, host, worker, duty""")
    return frame


def backups(conn: Connection) -> dict[str, Any]:
    def latest(where: str) -> dict[str, Any] | None:
        row = conn.execute(text(
            "SELECT id, file, ok, scheduled, started_at, finished_at, seconds, bytes, revision, error, host, "
            f"extract(epoch FROM now() - finished_at)::float AS age_seconds FROM backup_runs WHERE {where} "
            "ORDER BY started_at DESC, id DESC LIMIT 1")).mappings().first()
        return dict(row) if row else None

    return {"last_good": latest("kind = 'backup' AND ok"), "last_attempt": latest("kind = 'backup'"),
            "last_verify": latest("kind = 'verify'")}


def _ingest(frame: pd.DataFrame) -> dict[str, Any]:
    polls = frame[frame["duty"] == "imap"] if len(frame) else frame
    recent: list[dict[str, Any]] = []
    for errors in polls.get("recent_errors", []):
        recent.extend(errors or [])
    recent.sort(key=lambda e: str(e.get("at", "")), reverse=True)
    return {"polling": bool(len(polls)), "failed": int(polls["items_failed"].sum()) if len(polls) else 0,
            "stored": int(polls["items_done"].sum()) if len(polls) else 0, "recent": recent[:10]}


def figures_of(s: Snapshot) -> Figures:
    live = s.workers[s.workers["state"] != "stopped"] if len(s.workers) else s.workers
    good, verify = s.backups["last_good"], s.backups["last_verify"]
    return Figures(
        server_connections=s.connections["server_used"], server_max_connections=s.connections["server_usable"],
        process_busy={str(p): (int(b), int(c)) for p, b, c in
                      zip(s.processes["process"], s.processes["busy"], s.processes["capacity"], strict=True)},
        statements=[] if s.statements is None else
        [(str(q), int(n), float(ms)) for q, n, ms in
         zip(s.statements["query"], s.statements["calls"], s.statements["mean_ms"], strict=True)],
        table_rows={str(t): int(n) for t, n in zip(s.tables["table"], s.tables["rows"], strict=True)},
        index_hits=s.hit_ratio["index_hits"], index_reads=s.hit_ratio["index_reads"],
        overdue_delivery=None if s.outbox["overdue_seconds"] is None else
        timedelta(seconds=s.outbox["overdue_seconds"]),
        failed_deliveries=s.outbox["failed"],
        stale_duties=[f"{r['worker']} {r['duty']}" for _, r in live.iterrows() if r["state"] == "stale"],
        failing_duties=[f"{r['duty']} on {r['host']}: {str(r['last_error'])[:160]}" for _, r in live.iterrows()
                        if r["state"] == "failing"],
        delivering_workers=int(((live["duty"] == "deliver") & (live["state"] != "stale")).sum()) if len(live) else 0,
        last_good_backup_age=None if good is None else timedelta(seconds=good["age_seconds"]),
        last_verify_ok=None if verify is None else bool(verify["ok"]),
    )


def snapshot(bind: Engine | Connection) -> Snapshot:
    """Every Monitoring figure in one read (one connection, a handful of catalog queries)."""
    engine = bind if isinstance(bind, Engine) else bind.engine
    opened = bind.connect() if isinstance(bind, Engine) else nullcontext(bind)
    with readable_db_errors(engine), opened as conn:
        version = str(conn.scalar(text("SHOW server_version")))
        conns, processes = connections(conn)
        statements, note = slow_statements(conn)
        tables, indexes, hits = sizes(conn)
        backlog, failed = outbox(conn)
        heartbeats = workers(conn)
        backup_state = backups(conn)
    snap = Snapshot(
        taken_at=datetime.now(UTC), server=safe_url(engine.url.render_as_string(hide_password=False)),
        version=version, connections=conns, processes=processes, statements=statements, statements_note=note,
        tables=tables, indexes=indexes, hit_ratio=hits, outbox=backlog, failed_deliveries=failed,
        ingest=_ingest(heartbeats), workers=heartbeats, backups=backup_state,
    )
    return replace(snap, alerts=alerts(figures_of(snap)))


def monitoring(bind: Engine | Connection, *, actor: Actor) -> Snapshot:
    """The snapshot for someone signed in: leads only (the CLI, run with the database's credentials, uses
    `snapshot` directly)."""
    require(actor, Action.VIEW_MONITORING)
    return snapshot(bind)
