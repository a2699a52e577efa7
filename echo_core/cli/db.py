"""`db`: the seed's make db-fresh / db-reset / db-status / db-seed, plus migrations and backups."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from echo_core.cli.common import add_json_flag, engine, print_json
from echo_core.cli.monitoring import monitoring_lines
from echo_core.config import get_settings
from echo_core.db import admin, migrate, roles
from echo_core.db.engine import make_engine, readable_db_errors
from echo_core.db.server import external_url
from echo_core.errors import BackupFailed, ConfirmationRequired, InvalidInput


def register(groups: Any) -> None:
    parser = groups.add_parser("db", help="migrate, inspect, seed, back up the database")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = commands.add_parser("upgrade", help="migrate to the latest revision (or REV)")
    p.add_argument("revision", nargs="?", default="head")
    p.set_defaults(handler=_upgrade)

    p = commands.add_parser("downgrade", help="migrate down to REV (e.g. 0003, or base)")
    p.add_argument("revision")
    p.set_defaults(handler=_downgrade)

    commands.add_parser("fresh", help="migrate to head and seed the demo data").set_defaults(handler=_fresh)

    p = commands.add_parser("reset", help="DESTROY all data, migrate and seed again (needs --yes)")
    p.add_argument("--yes", action="store_true", help="confirm that every row may be destroyed")
    p.set_defaults(handler=_reset)

    p = commands.add_parser("status", help="server, revision, row counts and the Monitoring figures")
    add_json_flag(p)
    p.set_defaults(handler=_status)
    p = commands.add_parser("ping", help="exit 0 if the database answers within the timeout, else 3 (healthchecks)")
    p.add_argument("--timeout", type=float, default=0.8, metavar="SECONDS", help="give up after (default 0.8)")
    p.set_defaults(handler=_ping)
    commands.add_parser("seed", help="insert the demo data where missing (idempotent)").set_defaults(handler=_seed)
    commands.add_parser("check", help="fail unless the schema is at head and matches the models").set_defaults(
        handler=_check
    )

    p = commands.add_parser("grant-app-role", help="give ROLE exactly the app's privileges (run as the owner)",
                            description="Production: the app connects (DATABASE_URL) as ROLE, which owns no table, "
                            "may not change the schema and may delete nothing; migrations connect as the owner "
                            "(ECHO_MIGRATION_DATABASE_URL). Run again after every migration.")
    p.add_argument("role")
    p.add_argument("--create", action="store_true", help="create ROLE (LOGIN) first")
    p.add_argument("--password-stdin", action="store_true", help="set ROLE's password from stdin")
    p.set_defaults(handler=_grant_app_role)

    p = commands.add_parser("backup", help="pg_dump the database to FILE (default: a dated file in ECHO_BACKUP_DIR) "
                            "with a manifest FILE.json")
    p.add_argument("file", type=Path, nargs="?")
    p.set_defaults(handler=_backup)

    p = commands.add_parser("verify-backup", help="restore FILE into a scratch database, compare it with its "
                            "manifest (revision, rows per table), drop the scratch database")
    p.add_argument("file", type=Path)
    p.set_defaults(handler=_verify_backup)

    p = commands.add_parser("restore", help="pg_restore FILE over the database")
    p.add_argument("file", type=Path)
    p.set_defaults(handler=_restore)


def owner_engine() -> Engine:
    """The engine migrations use: ECHO_MIGRATION_DATABASE_URL (the owner role) when set, else DATABASE_URL."""
    global _owner
    settings = get_settings()
    if settings.migration_database_url is None:
        return engine(ready=False)
    if _owner is None:
        _owner = make_engine(external_url(settings.migration_database_url.get_secret_value(), settings))
    return _owner


_owner: Engine | None = None


@contextmanager
def _known_revision(revision: str) -> Iterator[None]:
    """Alembic's CommandError (an unknown revision, or one on the wrong side of the current one) as one line.

    A revision is looked up before Alembic runs: some malformed ones (`head+5`) trip an assertion inside it.
    """
    try:
        if not re.fullmatch(r"[+-][0-9]{1,4}", revision):  # relative steps (`-1`) are Alembic's to check
            ScriptDirectory.from_config(migrate.alembic_config()).get_revision(revision)
        yield
    except CommandError as error:
        reason = str(error).splitlines()[0][:160] if str(error) else type(error).__name__
        raise InvalidInput(f"Cannot migrate to {revision[:40]!r}: {reason} — give head, base or a revision "
                           f"such as {migrate.head_revision()} (`python -m echo_core db status` shows the current "
                           "one).") from None


def _upgrade(args: argparse.Namespace) -> int:
    with _known_revision(args.revision):
        migrate.upgrade(owner_engine(), args.revision)
    print(f"database at revision {migrate.current_revision(owner_engine())}")
    return 0


def _downgrade(args: argparse.Namespace) -> int:
    with _known_revision(args.revision):
        migrate.downgrade(owner_engine(), args.revision)
    print(f"database at revision {migrate.current_revision(owner_engine()) or 'base (empty)'}")
    return 0


def _read_password() -> str:
    """The first line of stdin; bytes that are not UTF-8 are refused (never echoed)."""
    try:
        return sys.stdin.readline().rstrip("\r\n")
    except UnicodeDecodeError:
        raise InvalidInput("The password on stdin is not UTF-8 text — pipe it as UTF-8 (e.g. from a UTF-8 "
                           "terminal or file).") from None


def _grant_app_role(args: argparse.Namespace) -> int:
    password = _read_password() if args.password_stdin else None
    own = get_settings().broker_scope == "own"
    count = roles.grant_app_role(owner_engine(), args.role, password=password, create=args.create, own_scope=own)
    scope = ("row-level security ON: brokers see their own and unassigned deals (ECHO_BROKER_SCOPE=own)" if own
             else "row-level security off: every broker sees the team's deals (ECHO_BROKER_SCOPE=team)")
    print(f"{args.role}: {count} statements applied, {scope} — connect the app as {args.role} (DATABASE_URL)")
    return 0


def _seed_now() -> None:
    from echo_core.demo.seed import seed_demo

    eng = engine(ready=False)
    migrate.require_current_schema(eng)
    with readable_db_errors(eng), Session(eng) as session:
        report = seed_demo(session)
    if report.total:
        print("seeded: " + ", ".join(f"{n} {t}" for t, n in sorted(report.inserted.items())))
    else:
        print("demo data already present: nothing inserted")


def _fresh(args: argparse.Namespace) -> int:
    migrate.upgrade(owner_engine())
    _seed_now()
    return 0


def _reset(args: argparse.Namespace) -> int:
    if not args.yes:
        raise ConfirmationRequired("`db reset` destroys every row — run it again with --yes to confirm.")
    admin.reset(owner_engine())
    _seed_now()
    return 0


def _status(args: argparse.Namespace) -> int:
    from echo_core.queries.monitoring import snapshot

    eng = engine(ready=False)
    state = admin.status(eng)
    figures = snapshot(eng) if state.current is not None else None
    if args.json:
        print_json({"server": state.server, "version": state.version, "revision": state.current,
                    "head": state.head, "rows": state.row_counts,
                    "monitoring": figures.to_dict() if figures else None})
        return 0
    print("\n".join(state.lines()))
    if figures is not None:
        print("\n".join(monitoring_lines(figures)))
    return 0


def _ping(args: argparse.Namespace) -> int:
    from echo_core.db.ping import main as ping

    return ping(["--timeout", str(args.timeout)])


def _seed(args: argparse.Namespace) -> int:
    _seed_now()
    return 0


def _check(args: argparse.Namespace) -> int:
    eng = engine(ready=False)
    migrate.require_current_schema(eng)
    migrate.require_no_drift(eng)
    print(f"schema at {migrate.head_revision()} and in sync with the models")
    return 0


def _backup(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from echo_core.ops.backup import backup_name, require_directory, take_backup
    from echo_core.ops.records import record_run

    eng = owner_engine()
    started = datetime.now(UTC)
    file = args.file or require_directory(get_settings().backups_directory) / backup_name(eng.url.database or "db",
                                                                                         started)
    try:
        backup = take_backup(eng, file)
    except BackupFailed as error:
        record_run(eng, kind="backup", file=str(file), ok=False, started_at=started, error=str(error))
        raise
    assert backup is not None  # only a scheduled backup can be skipped
    m = backup.manifest
    print(f"backup written to {file} ({m.bytes:,} bytes, {sum(m.row_counts.values()):,} rows in "
          f"{len(m.row_counts)} tables, revision {m.revision}, {backup.seconds:.1f} s); manifest {file}.json")
    return 0


def _verify_backup(args: argparse.Namespace) -> int:
    from echo_core.ops.verify import record_verification, verify_backup

    eng = owner_engine()
    result = verify_backup(eng, args.file)
    record_verification(eng, result)
    print("\n".join(result.lines()))
    if not result.ok:
        raise BackupFailed(f"backup {args.file} did not verify: {result.problems[0]}")
    return 0


def _restore(args: argparse.Namespace) -> int:
    admin.restore(owner_engine(), args.file)
    print(f"restored {args.file}; database at revision {migrate.current_revision(owner_engine())}")
    return 0
