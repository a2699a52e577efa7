"""`worker`: deliver the outbox, poll IMAP, auto-draft and back up — until SIGTERM or Ctrl+C."""

from __future__ import annotations

import argparse
import socket
import sys
import threading
from typing import Any

from sqlalchemy import Engine, text

from echo_core.config import Settings, get_settings
from echo_core.errors import InvalidInput, WorkerUnhealthy

DUTIES = ("deliver", "imap", "draft", "backup")


def register(groups: Any) -> None:
    parser = groups.add_parser("worker", help="run the background duties: delivery, IMAP, auto-drafts, backups",
                               description="One process, one thread per duty, each writing a heartbeat row. "
                               "Stops cleanly on SIGTERM or Ctrl+C (the items in hand are finished). Run as many "
                               "as you like on as many machines: no item is ever done twice.")
    parser.add_argument("--once", action="store_true", help="run one pass of each duty and exit (cron, tests)")
    parser.add_argument("--duties", metavar="LIST", help=f"comma-separated subset of {','.join(DUTIES)}")
    parser.add_argument("--check", action="store_true",
                        help="healthcheck: exit 0 if a worker on this host reported recently, else 51")
    parser.set_defaults(handler=_worker)


def _only(raw: str | None) -> set[str] | None:
    if raw is None:
        return None
    names = {n.strip() for n in raw.split(",") if n.strip()}
    unknown = names - set(DUTIES)
    if unknown or not names:
        raise InvalidInput(f"--duties takes a comma-separated list of {', '.join(DUTIES)} "
                           f"(not {', '.join(sorted(unknown)) or 'nothing'}).")
    return names


def engines(settings: Settings) -> tuple[Engine, Engine]:
    """(the app's engine, the owner's engine for backups) — the same one unless ECHO_MIGRATION_DATABASE_URL is set."""
    from echo_core.bootstrap import ensure_ready
    from echo_core.db.engine import make_engine
    from echo_core.db.server import external_url

    app = make_engine(kind="worker")
    ensure_ready(app, settings)
    if settings.migration_database_url is None:
        return app, app
    return app, make_engine(external_url(settings.migration_database_url.get_secret_value(), settings), kind="worker")


def _worker(args: argparse.Namespace) -> int:
    if args.check:
        return _check()
    from echo_core.mail.worker import worker_id
    from echo_core.worker.duties import Context
    from echo_core.worker.runner import Worker, duties_for

    settings = get_settings()
    duties, off = duties_for(settings, _only(args.duties))
    app, owner = engines(settings)
    ctx = Context(engine=app, owner=owner, settings=settings, worker=worker_id(), stop=threading.Event())
    worker = Worker(ctx, duties)
    if args.once:
        return _once(worker)
    worker.say(f"worker {ctx.worker} starting: " + "; ".join([*(_describe(d.name, settings) for d in duties), *off]))
    return worker.run()


def _describe(name: str, s: Settings) -> str:
    if name == "deliver":
        via = "SMTP" if s.smtp_url else f"files in {s.data_dir / 'outbox'}"
        return f"deliver every {s.worker_deliver_seconds:g}s ({via})"
    if name == "imap":
        return f"imap every {s.worker_poll_seconds:g}s"
    if name == "draft":
        return f"draft every {s.worker_draft_seconds:g}s"
    verify = ", verified" if s.backup_verify else ""
    return (f"backup daily at {s.backup_time} {s.backup_timezone} into {s.backups_directory} "
            f"(kept {s.backup_keep_days} days{verify})")


def _once(worker: Any) -> int:
    from echo_core.worker.duties import describe_error

    failed = False
    for duty in worker.duties:
        try:
            result = duty.run_once(worker.ctx)
        except Exception as error:  # noqa: BLE001 - reported like the running worker does
            failed = True
            print(f"{duty.name}: {describe_error(error)}", file=sys.stderr)
            continue
        print(f"{duty.name}: {result.done} done, {result.failed} failed")
        for line in result.errors:
            print(f"  {line}", file=sys.stderr)
    return 1 if failed else 0


def _check() -> int:
    from echo_core.cli.common import engine

    host = socket.gethostname()
    sql = text("SELECT count(*) FROM worker_heartbeats WHERE host = :host AND stopped_at IS NULL "
               "AND last_run_at > now() - make_interval(secs => greatest(3 * interval_seconds, 60))")
    from echo_core.db.engine import readable_db_errors

    eng = engine(ready=False)
    with readable_db_errors(eng), eng.connect() as conn:
        fresh = int(conn.scalar(sql, {"host": host}) or 0)
    if not fresh:
        raise WorkerUnhealthy(f"No worker on {host} has reported recently — start `python -m echo_core worker` "
                              "and check its output.")
    print(f"ok: {fresh} duty heartbeat(s) fresh on {host}")
    return 0
