"""`db verify-backup FILE`: restore into a scratch database, compare, drop the scratch database.

A backup is good when its bytes match its manifest, pg_restore restores it without an error, the
restored Alembic revision is the manifest's and one this code knows, and every table has exactly the
manifest's rows. The manifest comes from `FILE.json`, else from the backup_runs row with the same
sha256 (a file copied elsewhere still verifies against its record).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
from alembic.script import ScriptDirectory
from psycopg import sql
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from echo_core.db import migrate
from echo_core.db.engine import make_engine, readable_db_errors
from echo_core.db.server import admin_url_for
from echo_core.errors import BackupFailed, InvalidInput
from echo_core.ops.backup import row_counts, schema_revision
from echo_core.ops.manifest import Manifest, file_digest, read_manifest
from echo_core.ops.records import record_run
from echo_core.ops.tools import Interrupted, run_tool, server_major, tool_path, url_and_env


@dataclass(frozen=True)
class Verification:
    file: Path
    ok: bool
    started_at: datetime
    seconds: float
    revision: str | None = None
    expected_revision: str | None = None
    tables: int = 0
    rows: int = 0
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sha256: str = ""

    def lines(self) -> list[str]:
        head = (f"backup {self.file.name}: {'GOOD' if self.ok else 'FAILED'} — "
                f"{self.tables} tables, {self.rows:,} rows, revision {self.revision or '?'}, {self.seconds:.1f} s")
        return [head, *(f"  problem: {p}" for p in self.problems), *(f"  note: {n}" for n in self.notes)]

    def details(self) -> dict[str, Any]:
        return {"expectedRevision": self.expected_revision, "tables": self.tables, "rows": self.rows,
                "problems": self.problems, "notes": self.notes, "sha256": self.sha256}


def record_verification(engine: Engine, result: Verification, *, scheduled: bool = False) -> None:
    """Keep the outcome in backup_runs: the Monitoring page shows the latest one."""
    record_run(engine, kind="verify", scheduled=scheduled, file=str(result.file), ok=result.ok,
               started_at=result.started_at, seconds=result.seconds, revision=result.revision,
               error="; ".join(result.problems) or None, details=result.details())


def find_manifest(engine: Engine, file: Path, sha256: str) -> Manifest | None:
    beside = read_manifest(file)
    if beside is not None:
        return beside
    with readable_db_errors(engine), engine.connect() as conn:
        recorded = conn.scalar(text(
            "SELECT details FROM backup_runs WHERE kind = 'backup' AND ok AND details->>'sha256' = :sha "
            "ORDER BY id DESC LIMIT 1"), {"sha": sha256})
    return Manifest.from_dict(recorded) if isinstance(recorded, dict) else None


def compare(manifest: Manifest, revision: str | None, counts: dict[str, int],
            known: Callable[[str], bool]) -> tuple[list[str], list[str]]:
    """(problems, notes) of a restored database against its manifest. Pure: tested without a database."""
    problems: list[str] = []
    notes: list[str] = []
    if revision != manifest.revision:
        problems.append(f"the restored schema is at revision {revision or 'none'} but the manifest says "
                        f"{manifest.revision or 'none'}")
    elif revision is None or not known(revision):
        problems.append(f"revision {revision or 'none'} is not in this code's migrations — the backup comes "
                        "from a newer Echo Alpha or another application; restore it with that version")
    elif revision != migrate.head_revision():
        notes.append(f"the backup is at revision {revision}; after restoring run `python -m echo_core db upgrade` "
                     f"(this code is at {migrate.head_revision()})")
    for table in sorted(set(manifest.row_counts) | set(counts)):
        expected, found = manifest.row_counts.get(table), counts.get(table)
        if expected is None:
            problems.append(f"table {table} was restored but is not in the manifest")
        elif found is None:
            problems.append(f"table {table} is missing from the restored database")
        elif expected != found:
            problems.append(f"table {table} has {found:,} rows, the manifest says {expected:,}")
    return problems, notes


def _known(revision: str) -> bool:
    script = ScriptDirectory.from_config(migrate.alembic_config())
    try:
        return script.get_revision(revision) is not None
    except Exception:  # noqa: BLE001 - alembic raises several kinds for an unknown or malformed id
        return False


def verify_backup(engine: Engine, file: Path, *, should_stop: Callable[[], bool] = lambda: False) -> Verification:
    """Restore `file` into a scratch database on the same server and compare it with its manifest."""
    started = datetime.now(UTC)
    if not file.is_file():
        raise InvalidInput(f"Backup file {file} does not exist — give the path written by `db backup`.")
    file = file.resolve()
    _, sha256 = file_digest(file)
    manifest = find_manifest(engine, file, sha256)

    def result(problems: list[str], notes: list[str] | None = None, **figures: Any) -> Verification:
        seconds = (datetime.now(UTC) - started).total_seconds()
        return Verification(file=file, ok=not problems, started_at=started, seconds=seconds, problems=problems,
                            notes=notes or [], sha256=sha256,
                            expected_revision=manifest.revision if manifest else None, **figures)

    if manifest is None:
        return result([f"no manifest ({file.name}.json) and no backup record with this file's checksum — only "
                       "backups taken by `db backup` or the worker can be verified"])
    if manifest.sha256 and manifest.sha256 != sha256:
        return result(["the file's checksum differs from its manifest: it is corrupt, truncated or was changed"])
    try:
        revision, counts = _restore_and_count(engine, file, should_stop)
    except Interrupted:
        raise
    except BackupFailed as error:
        return result([str(error)])
    problems, notes = compare(manifest, revision, counts, _known)
    return result(problems, notes, revision=revision, tables=len(counts), rows=sum(counts.values()))


def _restore_and_count(engine: Engine, file: Path,
                       should_stop: Callable[[], bool]) -> tuple[str | None, dict[str, int]]:
    owner_url = engine.url.render_as_string(hide_password=False)
    admin = admin_url_for(owner_url)
    scratch = f"echo_verify_{uuid.uuid4().hex[:12]}"
    scratch_url = make_url(owner_url).set(database=scratch).render_as_string(hide_password=False)
    try:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(scratch)))
    except psycopg.errors.InsufficientPrivilege:
        raise BackupFailed("this role may not create the scratch database — run verify-backup with "
                           "ECHO_MIGRATION_DATABASE_URL set to a role with CREATEDB") from None
    except psycopg.Error as error:
        raise BackupFailed(f"cannot create the scratch database ({str(error).splitlines()[0][:200]})") from None
    try:
        url, env = url_and_env(scratch_url)
        with psycopg.connect(admin) as conn:
            major = server_major(conn.execute("SHOW server_version_num").fetchone()[0])  # type: ignore[index]
        run_tool(tool_path("pg_restore", url=url, server_major=major),
                 ["--no-owner", "--no-acl", "--exit-on-error", "--single-transaction", f"--dbname={url}", str(file)],
                 env=env, should_stop=should_stop)
        scratch_engine = make_engine(scratch_url, poolclass=NullPool)
        try:
            with readable_db_errors(scratch_engine), scratch_engine.connect() as conn:
                return schema_revision(conn), row_counts(conn)
        finally:
            scratch_engine.dispose()
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(scratch)))
