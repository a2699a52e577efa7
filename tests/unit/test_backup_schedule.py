"""The daily backup's schedule, its file names and what pruning keeps. Pure: no database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from echo_core.ops.backup import backup_due, backup_name, last_slot, prune

NOON = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(("now", "at", "zone", "slot"), [
    (NOON, "03:00", "UTC", datetime(2026, 3, 10, 3, 0, tzinfo=UTC)),
    (NOON, "13:00", "UTC", datetime(2026, 3, 9, 13, 0, tzinfo=UTC)),  # not yet today: yesterday's
    (NOON, "03:00", "Europe/Berlin", datetime(2026, 3, 10, 2, 0, tzinfo=UTC)),  # CET = UTC+1
    (datetime(2026, 7, 10, 12, 0, tzinfo=UTC), "03:00", "Europe/Berlin", datetime(2026, 7, 10, 1, 0, tzinfo=UTC)),
])
def test_the_last_slot_is_the_latest_scheduled_time_in_the_time_zone(now: datetime, at: str, zone: str,
                                                                     slot: datetime) -> None:
    assert last_slot(now, at, zone) == slot


@pytest.mark.parametrize(("last_ok", "last_attempt", "due"), [
    (None, None, True),  # never backed up: at once (a worker down at 03:00 catches up when it starts)
    (NOON - timedelta(hours=8), NOON - timedelta(hours=8), False),  # done at 04:00 today
    (NOON - timedelta(hours=10), NOON - timedelta(hours=10), True),  # 02:00: before today's slot
    (NOON - timedelta(days=1), NOON - timedelta(minutes=10), False),  # failed 10 min ago: wait before retrying
    (NOON - timedelta(days=1), NOON - timedelta(minutes=31), True),  # failed over half an hour ago: retry
])
def test_a_backup_is_due_once_per_slot_with_a_pause_after_a_failure(last_ok: datetime | None,
                                                                    last_attempt: datetime | None, due: bool) -> None:
    assert backup_due(NOON, at="03:00", zone="UTC", last_ok=last_ok, last_attempt=last_attempt) is due


def touch(directory: Path, name: str) -> Path:
    path = directory / name
    path.write_bytes(b"x")
    (directory / f"{name}.json").write_text("{}")
    return path


def test_pruning_removes_only_this_databases_old_backups_and_never_the_newest(tmp_path: Path) -> None:
    old = touch(tmp_path, backup_name("echo", NOON - timedelta(days=9)))
    kept = touch(tmp_path, backup_name("echo", NOON - timedelta(days=6)))
    other_db = touch(tmp_path, backup_name("other", NOON - timedelta(days=30)))
    mine = touch(tmp_path, "my-own-copy.dump")

    removed = prune(tmp_path, database="echo", keep_days=7, now=NOON)

    assert removed == [old] and not old.exists() and not Path(f"{old}.json").exists()
    assert kept.exists() and other_db.exists() and mine.exists()


def test_pruning_keeps_the_newest_backup_however_old(tmp_path: Path) -> None:
    only = touch(tmp_path, backup_name("echo", NOON - timedelta(days=90)))
    assert prune(tmp_path, database="echo", keep_days=7, now=NOON) == [] and only.exists()


def test_backup_names_sort_by_time_and_carry_the_database() -> None:
    assert backup_name("echo", NOON) == "echo-echo-20260310T120000Z.dump"
    assert backup_name("we/ird db", NOON).startswith("echo-we_ird_db-")


def test_tls_needs_pg_tools_built_with_tls_and_says_which_to_install(monkeypatch: pytest.MonkeyPatch,
                                                                     tmp_path: Path) -> None:
    from echo_core.errors import BackupFailed
    from echo_core.ops import tools

    monkeypatch.setattr(tools, "SYSTEM_INSTALLS", tmp_path)
    plain = "postgresql+psycopg://u@h/db"
    assert tools.tool_path("pg_dump", url=plain, server_major=18).endswith("pginstall/bin/pg_dump")  # the wheel's
    tls = f"{plain}?sslmode=verify-full"
    with pytest.raises(BackupFailed, match="postgresql-client-18"):
        tools.tool_path("pg_dump", url=tls, server_major=18)
    for major in ("15", "18"):
        (tmp_path / major / "bin").mkdir(parents=True)
        (tmp_path / major / "bin" / "pg_dump").write_text("")
    assert tools.tool_path("pg_dump", url=tls, server_major=16) == str(tmp_path / "18" / "bin" / "pg_dump")
    with pytest.raises(BackupFailed):  # pg_dump must be at least the server's major version
        tools.tool_path("pg_dump", url=tls, server_major=19)
