"""The Monitoring snapshot read from a real PostgreSQL: every figure from the database's own statistics and the
worker's tables, the thresholds applied, and the same snapshot as JSON from `db status --json`."""

from __future__ import annotations

import json
import os
import socket

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from echo_core.errors import PermissionDenied
from echo_core.permissions import Actor, Role
from echo_core.queries.monitoring import STATEMENTS_FIX, monitoring, snapshot
from echo_core.services.drafts import send
from tests.factories import make_deal, make_draft, make_email
from tests.integration.conftest import Run


def queue_reply(engine: Engine) -> int:
    with Session(engine, expire_on_commit=False) as s:
        deal = make_deal(s)
        draft = make_draft(s, deal=deal, inbound=make_email(s, deal=deal), status="approved")
        return send(session=s, draft_id=draft.id, actor=Actor("broker@tandem.space")).id


def test_a_reply_waiting_with_no_worker_is_an_alarm_naming_the_cause(fresh_engine: Engine) -> None:
    queue_reply(fresh_engine)
    with fresh_engine.begin() as conn:
        conn.execute(text("UPDATE outbox SET created_at = now() - interval '20 minutes', "
                          "next_attempt_at = now() - interval '20 minutes'"))

    snap = snapshot(fresh_engine)

    assert (snap.outbox["queued"], snap.outbox["due"]) == (1, 1)
    assert snap.outbox["oldest_queued_seconds"] >= 20 * 60
    [alert] = [a for a in snap.alerts if a.figure == "outbox"]
    assert "waited 20 min" in alert.message and "no worker is delivering" in alert.message


def test_heartbeats_are_ok_stale_failing_or_stopped(fresh_engine: Engine) -> None:
    rows = [("w:1", "deliver", "now()", "now()", "NULL", "NULL"),
            ("w:2", "deliver", "now() - interval '10 minutes'", "now() - interval '10 minutes'", "NULL", "NULL"),
            ("w:3", "backup", "now()", "now() - interval '1 hour'", "now()", "NULL"),
            ("w:4", "deliver", "now()", "now()", "NULL", "now()")]
    with fresh_engine.begin() as conn:
        for worker, duty, run, ok, error_at, stopped in rows:
            conn.execute(text(
                "INSERT INTO worker_heartbeats (worker, duty, host, interval_seconds, last_run_at, last_ok_at, "
                f"last_error, last_error_at, stopped_at) VALUES (:w, :d, 'h', 10, {run}, {ok}, "
                f"CASE WHEN {error_at} IS NULL THEN NULL ELSE 'pg_dump failed: disk full' END, {error_at}, {stopped})"
            ), {"w": worker, "d": duty})

    snap = snapshot(fresh_engine)

    states = dict(zip(snap.workers["worker"], snap.workers["state"], strict=True))
    assert states == {"w:1": "ok", "w:2": "stale", "w:3": "failing", "w:4": "stopped"}
    messages = [a.message for a in snap.alerts if a.figure == "worker"]
    assert any(m.startswith("w:2 deliver has not reported") for m in messages)
    assert any(m.startswith("backup on h: pg_dump failed: disk full") for m in messages)


def test_connections_name_each_process_and_count_tls(fresh_engine: Engine) -> None:
    snap = snapshot(fresh_engine)
    mine = [p for p in snap.processes["process"] if p.endswith(f"{socket.gethostname()}:{os.getpid()}")]
    assert mine and mine[0].startswith("echo-alpha ")
    c = snap.connections
    assert 1 <= c["database_used"] <= c["server_used"] < c["server_usable"] < c["server_max"]
    assert c["this_connection_tls"] is False  # the embedded server's Unix socket


def test_the_slowest_statements_come_from_pg_stat_statements_and_its_absence_is_explained(
    fresh_engine: Engine,
) -> None:
    with fresh_engine.connect() as conn:
        for _ in range(3):
            conn.execute(text("SELECT count(*) FROM deals"))
    snap = snapshot(fresh_engine)
    assert snap.statements is not None and snap.statements_note is None
    assert any("FROM deals" in q for q in snap.statements["query"])

    with fresh_engine.begin() as conn:
        conn.execute(text("DROP EXTENSION pg_stat_statements"))
    gone = snapshot(fresh_engine)
    note = gone.statements_note
    assert gone.statements is None and note is not None
    assert note.startswith("pg_stat_statements is not installed") and STATEMENTS_FIX in note


def test_tables_indexes_and_the_hit_ratio_come_from_the_statistics_views(fresh_engine: Engine) -> None:
    snap = snapshot(fresh_engine)
    assert {"deals", "emails", "email_drafts", "outbox", "backup_runs"} <= set(snap.tables["table"])
    assert (snap.tables["total_bytes"] >= snap.tables["table_bytes"]).all()
    assert "idx_outbox_next_attempt_at" in set(snap.indexes["index"])
    assert snap.hit_ratio["index_ratio"] is None or 0 <= snap.hit_ratio["index_ratio"] <= 1


def test_only_leads_may_read_the_monitoring_figures(fresh_engine: Engine) -> None:
    assert monitoring(fresh_engine, actor=Actor("lead@tandem.space", Role.LEAD)).version.startswith("18")
    with pytest.raises(PermissionDenied, match="may not view monitoring"):
        monitoring(fresh_engine, actor=Actor("broker@tandem.space", Role.BROKER))


def test_db_status_json_is_the_same_snapshot(cli: Run) -> None:
    code, out, err = cli("db", "status", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["revision"] == data["head"] and data["rows"]["deals"] == 0
    monitoring_part = data["monitoring"]
    assert set(monitoring_part) == {"takenAt", "server", "version", "connections", "processes", "statements",
                                    "statementsNote", "tables", "indexes", "hitRatio", "outbox", "failedDeliveries",
                                    "ingest", "workers", "backups", "alerts"}
    assert any(a["figure"] == "backup" for a in monitoring_part["alerts"])  # no backup yet: said so

    code, out, _ = cli("db", "status")
    assert code == 0 and "monitoring:" in out and "ALERT backup: no good backup yet" in out


def test_the_snapshot_is_plain_json(fresh_engine: Engine) -> None:
    queue_reply(fresh_engine)
    json.dumps(snapshot(fresh_engine).to_dict())  # no default=: every value is already JSON
