"""`bench`: synthetic data at a large brokerage's scale in its own database, and the pages timed against it."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from sqlalchemy.engine import make_url

from echo_core.cli.common import add_json_flag, print_json
from echo_core.errors import InvalidInput


def register(groups: Any) -> None:
    from echo_core.bench.plan import SCALES
    from echo_core.bench.target import DEFAULT_DATABASE

    parser = groups.add_parser("bench", help="generate synthetic data at scale and time every page against it")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = commands.add_parser("generate", help="load synthetic deals, emails and drafts with COPY",
                            description="Creates (or reuses) its own database on the app's server, migrates it to "
                            "head and loads it in one transaction. full: 5,000 spaces, 100,000 deals, 1,000,000 "
                            "emails, 300,000 drafts; small: 1% of that.")
    p.add_argument("--scale", choices=sorted(SCALES), required=True)
    p.add_argument("--seed", type=int, default=8, help="same seed (on the same day) = same rows (default 8)")
    p.add_argument("--database", default=DEFAULT_DATABASE, help=f"database name (default {DEFAULT_DATABASE})")
    p.add_argument("--replace", action="store_true", help="replace the data already in that database")
    p.set_defaults(handler=_generate)

    p = commands.add_parser("run", help="time every page's queries next to EXPLAIN ANALYZE and raw COPY",
                            description="Read-only. Prints a table of medians, the database's floor and their ratio, "
                            "the plans (flagging Seq Scans on emails and email_drafts) and the export's throughput.")
    p.add_argument("--runs", type=int, default=7, help="timed runs per page after one warm-up (default 7)")
    p.add_argument("--database", default=DEFAULT_DATABASE, help=f"database name (default {DEFAULT_DATABASE})")
    p.add_argument("--pages", metavar="TEXT", help="only pages whose name contains TEXT")
    p.add_argument("--no-export", action="store_true", help="skip the CSV export measurement")
    add_json_flag(p)
    p.set_defaults(handler=_run)

    p = commands.add_parser("ui", help="time every click in headless Chromium, beside the data layer and "
                            "Streamlit's floor",
                            description="Starts the dashboard (`streamlit run`) on the bench database (generating it "
                            "if it is empty), signs in and makes every interaction in Debian's Chromium, and prints "
                            "p50/p95 click-to-settled times, the data layer's time for the same page functions and "
                            "a one-button page's time in the same server process. Approve, send and archive change "
                            "the bench data.")
    p.add_argument("--scale", choices=sorted(SCALES), default="small")
    p.add_argument("--runs", type=int, default=5, help="counted runs after one warm-up (default 5)")
    p.add_argument("--database", help="database name (default echo_bench for full, echo_bench_small for small)")
    p.add_argument("--checkout", default=".", metavar="DIR",
                   help="the checkout whose app to serve, e.g. a worktree of an older tag (default: this one)")
    p.add_argument("--no-data", action="store_true", help="skip the data layer's `bench run`")
    add_json_flag(p)
    p.set_defaults(handler=_ui)


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _generate(args: argparse.Namespace) -> int:
    from echo_core.bench.generate import generate
    from echo_core.bench.target import bench_url

    url = bench_url(args.database)
    _say(f"bench database: {make_url(url).database}")
    result = generate(url, scale=args.scale, seed=args.seed, replace=args.replace, say=_say)
    total = sum(load.rows for load in result.loads)
    print(f"generated {args.scale} scale (seed {result.seed}, data up to {result.anchor:%Y-%m-%d}): "
          f"{total:,} rows in {result.seconds:.1f} s")
    for load in result.loads:
        print(f"  {load.table:<13} {load.rows:>10,} rows  {load.rows_per_second:>10,.0f} rows/s")
    return 0


def _run(args: argparse.Namespace) -> int:
    from echo_core.bench.report import json_report, text_report
    from echo_core.bench.run import run
    from echo_core.bench.target import bench_url
    from echo_core.db.engine import make_engine

    if args.runs < 1:
        raise InvalidInput("--runs must be at least 1.")
    url = bench_url(args.database)
    engine = make_engine(url)
    try:
        report = run(engine, url, runs=args.runs, pages=args.pages, with_export=not args.no_export,
                     say=_say if not args.json else lambda _: None)
    finally:
        engine.dispose()
    if args.json:
        print_json(json_report(report))
    else:
        print(text_report(report))
    return 0


def _ui(args: argparse.Namespace) -> int:
    from pathlib import Path

    from echo_core.bench.ui_report import json_report, text_report
    from echo_core.bench.ui_run import run_ui

    if args.runs < 1:
        raise InvalidInput("--runs must be at least 1.")
    checkout = Path(args.checkout)
    if not (checkout / "app.py").exists():
        raise InvalidInput(f"{checkout} has no app.py — pass --checkout the root of an Echo Alpha checkout.")
    report = run_ui(checkout_root=checkout, scale=args.scale, runs=args.runs, database=args.database,
                    with_data=not args.no_data, say=_say if not args.json else lambda _: None)
    if args.json:
        print_json(json_report(report))
    else:
        print(text_report(report))
    return 0
