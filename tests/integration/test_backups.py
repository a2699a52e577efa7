"""Backups on a real PostgreSQL: exact under concurrent writes, verified by a real restore, one per day across
workers, and every bad backup (corrupt, wrong revision, no manifest) named in one line."""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from echo_core.config import Settings
from echo_core.ops.backup import BACKUP_LOCK, take_backup
from echo_core.ops.locks import try_singleton
from echo_core.ops.manifest import manifest_path
from echo_core.ops.verify import record_verification, verify_backup
from echo_core.queries.monitoring import snapshot
from echo_core.worker.backup_duty import BackupDuty
from echo_core.worker.duties import Context
from tests.factories import make_deal, make_draft, make_email
from tests.integration.conftest import Run


def seed(engine: Engine, n: int = 3) -> None:
    with Session(engine) as s:
        for _ in range(n):
            deal = make_deal(s)
            make_draft(s, deal=deal, inbound=make_email(s, deal=deal))
        s.commit()


def scratch_databases(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.scalars(text("SELECT datname FROM pg_database WHERE datname LIKE 'echo_verify_%'")))


@pytest.fixture
def backup(fresh_engine: Engine, tmp_path: Path) -> Path:
    seed(fresh_engine)
    file = tmp_path / "echo.dump"
    assert take_backup(fresh_engine, file) is not None
    return file


def test_a_backup_verifies_good_and_leaves_no_scratch_database(fresh_engine: Engine, backup: Path) -> None:
    result = verify_backup(fresh_engine, backup)

    assert result.ok, result.problems
    manifest = json.loads(manifest_path(backup).read_text())
    assert result.revision == manifest["revision"] and result.tables == len(manifest["row_counts"])
    assert manifest["row_counts"]["deals"] == 3 and manifest["row_counts"]["email_drafts"] == 3
    assert scratch_databases(fresh_engine) == []


def test_a_backup_taken_while_the_dashboard_writes_verifies_good(fresh_engine: Engine, tmp_path: Path) -> None:
    seed(fresh_engine, 20)
    stop, written = threading.Event(), []

    def write() -> None:  # deals, emails and drafts (whose triggers update the counters and rollups)
        while not stop.is_set():
            seed(fresh_engine, 1)
            written.append(1)

    writer = threading.Thread(target=write)
    writer.start()
    try:
        while len(written) < 3:  # writes are under way before the backup starts…
            threading.Event().wait(0.02)
        before = len(written)
        result = take_backup(fresh_engine, tmp_path / "busy.dump")
        during = len(written) - before  # …and go on while it runs
    finally:
        stop.set()
        writer.join(30)
    assert result is not None and during > 0

    verified = verify_backup(fresh_engine, tmp_path / "busy.dump")

    assert verified.ok, verified.problems
    with fresh_engine.connect() as conn:  # the database grew past the snapshot; the backup holds the snapshot
        assert conn.scalar(text("SELECT count(*) FROM deals")) > result.manifest.row_counts["deals"]


def test_a_corrupt_file_fails_on_its_checksum(fresh_engine: Engine, backup: Path) -> None:
    data = bytearray(backup.read_bytes())
    data[len(data) // 2] ^= 0xFF
    backup.write_bytes(bytes(data))

    result = verify_backup(fresh_engine, backup)

    assert not result.ok and result.problems == [
        "the file's checksum differs from its manifest: it is corrupt, truncated or was changed"]


def test_a_file_that_is_not_a_dump_fails_in_pg_restore_and_leaves_nothing_behind(
    fresh_engine: Engine, backup: Path
) -> None:
    from echo_core.ops.manifest import file_digest

    backup.write_bytes(b"PGDMP but not really a dump" * 100)
    manifest = json.loads(manifest_path(backup).read_text())
    manifest["bytes"], manifest["sha256"] = file_digest(backup)  # a manifest that matches the junk
    manifest_path(backup).write_text(json.dumps(manifest))

    result = verify_backup(fresh_engine, backup)

    assert not result.ok and result.problems[0].startswith("pg_restore failed:")
    assert scratch_databases(fresh_engine) == []


def test_a_manifest_naming_another_revision_fails(fresh_engine: Engine, backup: Path) -> None:
    manifest = json.loads(manifest_path(backup).read_text())
    manifest["revision"] = "0011"
    manifest_path(backup).write_text(json.dumps(manifest))

    result = verify_backup(fresh_engine, backup)

    assert not result.ok
    assert result.problems == [f"the restored schema is at revision {result.revision} but the manifest says 0011"]


def test_a_backup_from_a_revision_this_code_does_not_know_fails(fresh_engine: Engine, tmp_path: Path) -> None:
    with fresh_engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'ffff'"))
    take_backup(fresh_engine, tmp_path / "future.dump")

    result = verify_backup(fresh_engine, tmp_path / "future.dump")

    assert not result.ok and "revision ffff is not in this code's migrations" in result.problems[0]


def test_a_backup_moved_without_its_manifest_verifies_against_its_record(
    fresh_engine: Engine, backup: Path, tmp_path: Path
) -> None:
    moved = tmp_path / "elsewhere" / "copy.dump"
    moved.parent.mkdir()
    shutil.copy(backup, moved)

    assert verify_backup(fresh_engine, moved).ok  # found by checksum in backup_runs


def test_a_dump_from_elsewhere_without_a_manifest_cannot_verify(fresh_engine: Engine, tmp_path: Path) -> None:
    stray = tmp_path / "stray.dump"
    stray.write_bytes(b"anything")
    result = verify_backup(fresh_engine, stray)
    assert not result.ok and result.problems[0].startswith("no manifest")


def test_the_latest_verification_shows_on_monitoring(fresh_engine: Engine, backup: Path) -> None:
    record_verification(fresh_engine, verify_backup(fresh_engine, backup))
    backup.write_bytes(b"broken")
    record_verification(fresh_engine, verify_backup(fresh_engine, backup))

    state = snapshot(fresh_engine).backups
    assert state["last_good"]["file"] == str(backup) and state["last_verify"]["ok"] is False
    assert "checksum" in state["last_verify"]["error"]
    assert any(a.message.startswith("the last backup verification FAILED") for a in snapshot(fresh_engine).alerts)


def test_the_cli_backs_up_verifies_and_refuses_a_corrupt_file_in_one_line(cli: Run, tmp_path: Path) -> None:
    file = tmp_path / "cli.dump"
    code, out, err = cli("db", "backup", str(file))
    assert code == 0 and "backup written to" in out and file.is_file() and manifest_path(file).is_file(), err

    code, out, err = cli("db", "verify-backup", str(file))
    assert code == 0 and ": GOOD —" in out, err

    file.write_bytes(file.read_bytes()[:100])
    code, out, err = cli("db", "verify-backup", str(file))
    assert code == 50 and ": FAILED —" in out
    assert err.count("\n") == 1 and err.startswith("error: backup") and "checksum" in err and "Traceback" not in err


@pytest.fixture
def context(fresh_engine: Engine, tmp_path: Path) -> Iterator[Context]:
    settings = Settings(ECHO_BACKUP_DIR=str(tmp_path / "daily"), ECHO_BACKUP_TIME="00:00", ECHO_BACKUP_VERIFY="true")
    yield Context(engine=fresh_engine, owner=fresh_engine, settings=settings, worker="test:1:x",
                  stop=threading.Event())


def scheduled_runs(engine: Engine) -> list[tuple[str, bool]]:
    with engine.connect() as conn:
        return [(r.kind, r.ok) for r in conn.execute(text("SELECT kind, ok FROM backup_runs WHERE scheduled "
                                                          "ORDER BY id"))]


def test_the_daily_backup_is_taken_verified_and_recorded_once(context: Context) -> None:
    duty = BackupDuty()
    assert duty.run_once(context).done == 1
    assert duty.run_once(context).done == 0  # today's is done

    [file] = (context.settings.backups_directory).glob("*.dump")
    assert file.name.startswith(f"echo-{context.owner.url.database}-")
    assert scheduled_runs(context.owner) == [("backup", True), ("verify", True)]


def test_two_workers_racing_for_the_daily_backup_take_it_once(context: Context) -> None:
    start = threading.Barrier(2)
    done: list[int] = []

    def worker() -> None:
        start.wait()
        done.append(BackupDuty().run_once(context).done)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)

    assert sorted(done) == [0, 1]
    assert len(list(context.settings.backups_directory.glob("*.dump"))) == 1
    assert scheduled_runs(context.owner).count(("backup", True)) == 1


def test_a_worker_skips_the_backup_another_one_holds(context: Context) -> None:
    with context.owner.connect() as conn, conn.begin():
        assert try_singleton(conn, BACKUP_LOCK)  # another worker is mid-backup
        assert BackupDuty().run_once(context).done == 0
    assert scheduled_runs(context.owner) == []


def test_a_failed_backup_is_recorded_and_raised_as_one_line(context: Context, tmp_path: Path) -> None:
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    context.settings = Settings(ECHO_BACKUP_DIR=str(blocker / "sub"), ECHO_BACKUP_TIME="00:00")
    from echo_core.errors import BackupFailed

    with pytest.raises(BackupFailed, match="cannot be created"):
        BackupDuty().run_once(context)
    assert scheduled_runs(context.owner) == [("backup", False)]  # the Monitoring page shows the failed attempt
    assert not BackupDuty().due(context)  # and the next try waits half an hour


def test_a_scheduled_backup_before_todays_slot_makes_it_due_again(context: Context) -> None:
    from echo_core.ops.records import record_run

    record_run(context.owner, kind="backup", scheduled=True, file="/old.dump", ok=True,
               started_at=datetime(2020, 1, 1, tzinfo=UTC))
    assert BackupDuty().due(context)
