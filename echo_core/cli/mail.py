"""`mail`: ingest .eml/mbox files, poll IMAP, run the delivery worker, inspect and retry the outbox."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
import time
from pathlib import Path
from types import FrameType
from typing import Any

from echo_core.cli.common import add_json_flag, engine, print_json
from echo_core.db.engine import readable_db_errors, session_factory
from echo_core.errors import InvalidInput
from echo_core.mail.ingest import IngestReport, ingest_files
from echo_core.permissions import SYSTEM_ACTOR


def register(groups: Any) -> None:
    parser = groups.add_parser("mail", help="ingest inbound mail, deliver sent replies")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = commands.add_parser("ingest", help="store .eml or mbox files (each message once, by Message-ID)")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.set_defaults(handler=_ingest)

    p = commands.add_parser("poll", help="store the unseen messages of an IMAP folder and mark them seen")
    p.add_argument("--imap", required=True, metavar="URL",
                   help="imaps://host[:993] (imap://host:port for a local test server); "
                   "credentials from ECHO_IMAP_USER / ECHO_IMAP_PASSWORD")
    p.add_argument("--folder", default=None, help="the folder to read (default INBOX)")
    p.add_argument("--loop", action="store_true",
                   help="keep running: wait for new mail with IMAP IDLE (or poll every --interval seconds), "
                   "reconnect after a dropped connection, stop cleanly on SIGTERM or Ctrl+C")
    p.add_argument("--interval", type=float, default=None, metavar="SECONDS",
                   help="with --loop, the pause between polls where the server has no IDLE "
                   "(default ECHO_IMAP_POLL_INTERVAL, 60)")
    p.add_argument("--no-idle", action="store_true", help="with --loop, poll every --interval seconds, never IDLE")
    p.set_defaults(handler=_poll)

    p = commands.add_parser("deliver", help="send queued replies (SMTP from ECHO_SMTP_URL, else .eml files)")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--loop", action="store_true", help="keep running, polling the outbox")
    mode.add_argument("--once", action="store_true", help="deliver one batch and exit (the default)")
    p.add_argument("--batch", type=int, default=50, metavar="N", help="messages per pass (default 50)")
    p.add_argument("--interval", type=float, default=5.0, metavar="SECONDS",
                   help="pause between passes when idle, with --loop (default 5)")
    p.set_defaults(handler=_deliver)

    p = commands.add_parser("outbox", help="list the outbox with delivery states")
    p.add_argument("--status", choices=["queued", "sending", "delivered", "failed"])
    p.add_argument("--limit", type=int, default=50)
    add_json_flag(p)
    p.set_defaults(handler=_outbox)

    p = commands.add_parser("retry", help="queue a failed delivery again")
    p.add_argument("id", type=int, metavar="OUTBOX_ID")
    p.add_argument("--by", required=True, metavar="EMAIL", help="who is acting (goes into the draft's history)")
    p.set_defaults(handler=_retry)


def _report(report: IngestReport) -> int:
    for line in report.errors:
        print(f"error: {line}", file=sys.stderr)
    for line in report.draft_errors:
        print(f"warning: {line}", file=sys.stderr)
    print(report.summary())
    return 40 if report.failed else 0


def _ingest(args: argparse.Namespace) -> int:
    eng = engine()
    with readable_db_errors(eng), session_factory(eng)() as session:
        return _report(ingest_files(session=session, paths=args.files, actor=SYSTEM_ACTOR))


def _poll(args: argparse.Namespace) -> int:
    from echo_core.mail.imap import poll

    if not args.loop:
        eng = engine()
        with readable_db_errors(eng), session_factory(eng)() as session:
            return _report(poll(session=session, url=args.imap, folder=args.folder, actor=SYSTEM_ACTOR))
    if args.interval is not None and args.interval <= 0:
        raise InvalidInput("--interval must be more than 0 seconds.")
    return _poll_loop(args)


def _poll_loop(args: argparse.Namespace) -> int:
    from echo_core.mail.imap import LoopEvent, poll_loop

    stop = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stop.set()  # finish the message in hand, log out, exit

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)

    def show(event: LoopEvent) -> None:
        if event.kind == "checked":  # nothing new: stay quiet
            return
        stamp = time.strftime("%H:%M:%S")
        if event.report is not None:
            for line in event.report.errors:
                print(f"{stamp} error: {line}", file=sys.stderr, flush=True)
        stream = sys.stderr if event.kind == "error" else sys.stdout
        print(f"{stamp} {event.kind}: {event.detail}", file=stream, flush=True)

    poll_loop(engine=engine(), url=args.imap, folder=args.folder, actor=SYSTEM_ACTOR, stop=stop, on_event=show,
              use_idle=not args.no_idle, interval=args.interval)
    return 0


def _deliver(args: argparse.Namespace) -> int:
    from echo_core.mail.transport import transport_from_settings
    from echo_core.mail.worker import RetryPolicy, deliver_batch, worker_id

    if args.batch < 1 or args.interval < 0:
        raise InvalidInput("--batch must be at least 1 and --interval not negative.")
    stop = {"now": False}

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stop["now"] = True  # finish the message in hand, then exit

    signal.signal(signal.SIGTERM, request_stop)
    policy = RetryPolicy.from_settings()
    transport = transport_from_settings()
    eng = engine()
    worker = worker_id()
    print(f"delivering via {transport.description} as {worker}", file=sys.stderr)
    while True:
        results = deliver_batch(eng, transport, policy=policy, worker=worker, batch=args.batch,
                                should_stop=lambda: stop["now"])
        for r in results:
            suffix = f": {r.error}" if r.error else ""
            print(f"outbox {r.outbox_id}: {r.status} (attempt {r.attempts}){suffix}")
        if not args.loop or stop["now"]:
            break
        idle_until = time.monotonic() + (args.interval if len(results) < args.batch else 0)
        while time.monotonic() < idle_until and not stop["now"]:
            time.sleep(0.2)
    if not args.loop:
        print(f"{sum(r.status == 'delivered' for r in results)} delivered, "
              f"{sum(r.status == 'queued' for r in results)} to retry, "
              f"{sum(r.status == 'failed' for r in results)} failed")
    return 0


def _outbox(args: argparse.Namespace) -> int:
    from echo_core.queries.outbox import outbox_rows

    frame = outbox_rows(engine(), status=args.status, limit=args.limit)
    if args.json:
        print_json(frame.to_dict(orient="records"))
    elif frame.empty:
        print("the outbox is empty" if args.status is None else f"no {args.status} messages")
    else:
        print(frame.to_string(index=False))
    return 0


def _retry(args: argparse.Namespace) -> int:
    from echo_core.mail.outbox import retry_delivery
    from echo_core.services.actors import resolve_actor

    eng = engine()
    with readable_db_errors(eng), session_factory(eng)() as session:
        row = retry_delivery(session=session, outbox_id=args.id, actor=resolve_actor(session, args.by))
        print(f"outbox {row.id}: {row.status} again (next attempt now)")
    return 0
