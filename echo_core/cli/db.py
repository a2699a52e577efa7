"""`db`: the seed's make db-fresh / db-reset / db-status / db-seed, plus migrations and backups."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from echo_core.cli.common import engine
from echo_core.db import admin, migrate
from echo_core.db.engine import readable_db_errors
from echo_core.errors import ConfirmationRequired


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

    commands.add_parser("status", help="server, revision and row counts").set_defaults(handler=_status)
    commands.add_parser("seed", help="insert the demo data where missing (idempotent)").set_defaults(handler=_seed)
    commands.add_parser("check", help="fail unless the schema is at head and matches the models").set_defaults(
        handler=_check
    )

    p = commands.add_parser("backup", help="pg_dump the database to FILE (custom format)")
    p.add_argument("file", type=Path)
    p.set_defaults(handler=_backup)

    p = commands.add_parser("restore", help="pg_restore FILE over the database")
    p.add_argument("file", type=Path)
    p.set_defaults(handler=_restore)


def _upgrade(args: argparse.Namespace) -> int:
    migrate.upgrade(engine(ready=False), args.revision)
    print(f"database at revision {migrate.current_revision(engine(ready=False))}")
    return 0


def _downgrade(args: argparse.Namespace) -> int:
    migrate.downgrade(engine(ready=False), args.revision)
    print(f"database at revision {migrate.current_revision(engine(ready=False)) or 'base (empty)'}")
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
    migrate.upgrade(engine(ready=False))
    _seed_now()
    return 0


def _reset(args: argparse.Namespace) -> int:
    if not args.yes:
        raise ConfirmationRequired("`db reset` destroys every row — run it again with --yes to confirm.")
    admin.reset(engine(ready=False))
    _seed_now()
    return 0


def _status(args: argparse.Namespace) -> int:
    print("\n".join(admin.status(engine(ready=False)).lines()))
    return 0


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
    admin.backup(engine(ready=False), args.file)
    print(f"backup written to {args.file}")
    return 0


def _restore(args: argparse.Namespace) -> int:
    admin.restore(engine(ready=False), args.file)
    print(f"restored {args.file}; database at revision {migrate.current_revision(engine(ready=False))}")
    return 0
