"""`export`: deals, spaces, emails, drafts or events as spreadsheet-safe CSV, streamed by PostgreSQL's COPY."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from echo_core.cli.common import engine
from echo_core.db.engine import readable_db_errors, session_factory
from echo_core.errors import InvalidInput
from echo_core.export import DATASETS, parse_since, write_csv
from echo_core.services.actors import resolve_actor


def register(groups: Any) -> None:
    parser = groups.add_parser(
        "export",
        help="write a table as CSV (JSON flattened, formulas neutralised)",
        description="Stream one table as CSV in constant memory. JSONB columns become dotted columns "
        "(requirements.dogFriendly); cells a spreadsheet would run as formulas get a leading quote.",
    )
    parser.add_argument("dataset", choices=sorted(DATASETS), help="which table to export")
    parser.add_argument("--since", metavar="DATE", help="only rows created (emails: sent) on or after DATE, "
                        "e.g. 2026-01-31")
    parser.add_argument("--out", required=True, metavar="FILE", help="CSV file to write, or - for stdout")
    parser.add_argument("--by", required=True, metavar="EMAIL", help="who is exporting (an active account)")
    parser.set_defaults(handler=_export)


def _write_file(target: Path, write: Callable[[TextIO], int]) -> int:
    """Write a regular file aside and rename it at the end, so a failed export never leaves a half
    file behind; anything else (/dev/null, a pipe, a terminal) is written directly."""
    try:
        if target.exists() and not target.is_file():
            with target.open("w", newline="", encoding="utf-8") as out:
                return write(out)
        partial = target.with_name(target.name + ".partial")
        try:
            with partial.open("w", newline="", encoding="utf-8") as out:
                count = write(out)
            os.replace(partial, target)
            return count
        finally:
            partial.unlink(missing_ok=True)
    except OSError as error:
        raise InvalidInput(f"Cannot write {target}: {error.strerror} — choose a writable --out path.") from None


def _export(args: argparse.Namespace) -> int:
    since = parse_since(args.since)  # validated before touching the database
    eng = engine()
    with readable_db_errors(eng), session_factory(eng)() as session:
        actor = resolve_actor(session, args.by)
    if args.out == "-":
        count = write_csv(eng, args.dataset, sys.stdout, actor=actor, since=since)
        sys.stdout.flush()
    else:
        count = _write_file(Path(args.out), lambda out: write_csv(eng, args.dataset, out, actor=actor, since=since))
    where = "stdout" if args.out == "-" else args.out
    print(f"exported {count} {args.dataset} rows to {where}", file=sys.stderr)
    return 0
