"""Take a backup (pg_dump, custom format) with an exact manifest; name, schedule and prune daily backups.

One REPEATABLE READ transaction exports its snapshot, counts every table and reads the Alembic
revision in it, and pg_dump dumps that same snapshot (`--snapshot`): the manifest describes exactly
what the file holds, whatever the dashboard writes meanwhile. The same transaction may hold the
singleton lock, so two workers never take the daily backup twice. The file is written as
`.partial` and renamed when pg_dump succeeds: a file with the final name is always complete.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Engine, text

from echo_core.db.engine import readable_db_errors
from echo_core.errors import BackupFailed, InvalidInput, SchemaNotMigrated
from echo_core.ops.locks import try_singleton
from echo_core.ops.manifest import Manifest, file_digest, manifest_path, write_manifest
from echo_core.ops.records import insert_run
from echo_core.ops.tools import run_tool, server_major, tool_path, url_and_env

BACKUP_LOCK = "daily-backup"
# Monitoring, not data: the extension needs a superuser to create and is re-created by `db upgrade`.
EXCLUDED_EXTENSIONS = ["pg_stat_statements"]
_NAME = re.compile(r"^echo-(?P<db>[A-Za-z0-9_.-]+)-(?P<stamp>\d{8}T\d{6}Z)\.dump$")


@dataclass(frozen=True)
class Backup:
    file: Path
    manifest: Manifest
    seconds: float


def backup_name(database: str, at: datetime) -> str:
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", database) or "db"
    return f"echo-{safe}-{at.astimezone(UTC):%Y%m%dT%H%M%SZ}.dump"


def row_counts(conn: Connection) -> dict[str, int]:
    """Exact row counts of every table in the schema, in the connection's snapshot."""
    tables = conn.scalars(text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                               "ORDER BY tablename")).all()
    return {t: int(conn.scalar(text(f'SELECT count(*) FROM "{t}"')) or 0) for t in tables}


def schema_revision(conn: Connection) -> str | None:
    if conn.scalar(text("SELECT to_regclass('alembic_version')")) is None:
        return None
    found = conn.scalar(text("SELECT version_num FROM alembic_version"))
    return None if found is None else str(found)


def take_backup(engine: Engine, file: Path, *, scheduled: bool = False, still_due: Callable[[], bool] | None = None,
                should_stop: Callable[[], bool] = lambda: False) -> Backup | None:
    """Dump the database to `file`, write its manifest and record it; None when another worker has it in hand.

    A scheduled backup holds the singleton lock from the snapshot to the commit of its record, and asks
    `still_due` (a fresh read, after taking the lock) so a backup that just finished is not taken again.
    """
    if not file.parent.is_dir():
        raise InvalidInput(f"Folder {file.parent} does not exist — create it or choose another path.")
    partial = file.with_name(file.name + ".partial")
    started = datetime.now(UTC)
    url, env = url_and_env(engine.url.render_as_string(hide_password=False))
    with readable_db_errors(engine), engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn:
        with conn.begin():
            if scheduled and not try_singleton(conn, BACKUP_LOCK):
                return None
            if still_due is not None and not still_due():
                return None
            snapshot = str(conn.scalar(text("SELECT pg_export_snapshot()")))
            revision = schema_revision(conn)
            if revision is None:
                raise SchemaNotMigrated("The database has no schema revision — migrate it before backing it up.")
            counts = row_counts(conn)
            version = str(conn.scalar(text("SHOW server_version")))
            major = server_major(conn.scalar(text("SHOW server_version_num")))
            program = tool_path("pg_dump", url=url, server_major=major)
            args = ["--format=custom", "--no-owner", f"--snapshot={snapshot}", f"--file={partial}",
                    *(f"--exclude-extension={name}" for name in EXCLUDED_EXTENSIONS if major >= 17),
                    f"--dbname={url}"]
            try:
                run_tool(program, args, env=env, should_stop=should_stop)
                size, sha256 = file_digest(partial)
                os.replace(partial, file)
            finally:
                partial.unlink(missing_ok=True)
            manifest = Manifest(database=engine.url.database or "", revision=revision, taken_at=started.isoformat(),
                                server_version=version, row_counts=counts, bytes=size, sha256=sha256,
                                excluded=[f"extension {name}" for name in EXCLUDED_EXTENSIONS if major >= 17])
            write_manifest(file, manifest)
            seconds = (datetime.now(UTC) - started).total_seconds()
            # Recorded in the locked transaction: the lock and "today's backup is done" change together.
            insert_run(conn, kind="backup", scheduled=scheduled, file=str(file), ok=True, started_at=started,
                       seconds=seconds, bytes=size, revision=revision, details=manifest.to_dict())
    return Backup(file, manifest, seconds)


# --- the daily schedule -------------------------------------------------------------------------------


def last_slot(now: datetime, at: str, zone: str) -> datetime:
    """The most recent scheduled time (`at` = HH:MM in time zone `zone`) at or before `now`."""
    tz = ZoneInfo(zone)
    hour, minute = (int(part) for part in at.split(":"))
    local = now.astimezone(tz)
    slot = datetime.combine(local.date(), time(hour, minute), tzinfo=tz)
    if slot > local:
        slot = datetime.combine(local.date() - timedelta(days=1), time(hour, minute), tzinfo=tz)
    return slot.astimezone(UTC)


RETRY_AFTER = timedelta(minutes=30)


def backup_due(now: datetime, *, at: str, zone: str, last_ok: datetime | None,
               last_attempt: datetime | None) -> bool:
    """Due when no backup succeeded since the latest slot, and no attempt failed in the last half hour.

    A worker that was down at the slot takes the backup as soon as it starts.
    """
    slot = last_slot(now, at, zone)
    if last_ok is not None and last_ok >= slot:
        return False
    return not (last_attempt is not None and last_attempt >= slot and now - last_attempt < RETRY_AFTER)


def prune(directory: Path, *, database: str, keep_days: int, now: datetime) -> list[Path]:
    """Delete this database's scheduled backups older than `keep_days` (never the newest); returns them.

    Only files named as `backup_name` makes them are touched: whatever else is in the folder stays.
    """
    if not directory.is_dir():
        return []
    dated: list[tuple[datetime, Path]] = []
    for path in directory.iterdir():
        match = _NAME.match(path.name)
        if match and match["db"] == re.sub(r"[^A-Za-z0-9_.-]", "_", database):
            dated.append((datetime.strptime(match["stamp"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC), path))
    dated.sort()
    cutoff = now - timedelta(days=keep_days)
    removed = [path for stamp, path in dated[:-1] if stamp < cutoff]
    for path in removed:
        path.unlink(missing_ok=True)
        manifest_path(path).unlink(missing_ok=True)
    return removed


def require_directory(directory: Path) -> Path:
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BackupFailed(f"The backup folder {directory} cannot be created ({error.strerror}) — set "
                           "ECHO_BACKUP_DIR to a writable folder.") from None
    return directory
