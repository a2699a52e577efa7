"""`db ping`: is the database answering? Exit 0, or 3 with one line, within a deadline (compose healthchecks).

It imports psycopg and nothing heavy (not the CLI, SQLAlchemy or pydantic), so the whole command,
interpreter start included, answers in well under a second. The few settings it reads mirror
`echo_core.config.Settings` (tests/unit/test_ping.py keeps the two in step). It never starts the
embedded server: a healthcheck that started what it checks would always pass.
"""

from __future__ import annotations

import os
import re
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from echo_core.db.connect_errors import describe

DEFAULT_TIMEOUT_SECONDS = 0.8
PROJECT_ROOT = Path(__file__).resolve().parents[2]  # as echo_core.config.PROJECT_ROOT


class NotReachable(Exception):
    """The database did not answer; str() is the one line to print."""


@dataclass(frozen=True)
class Target:
    conninfo: str  # what psycopg connects to
    display: str  # the same without a password, for messages


@dataclass(frozen=True)
class Pong:
    display: str
    version: str
    milliseconds: float

    def line(self) -> str:
        return f"ok: PostgreSQL {self.version} at {self.display} answered in {self.milliseconds:.0f} ms"


def _masked(url: str) -> str:
    return re.sub(r"(//[^:/@?]*:)[^@/?]*@", r"\1***@", url)


def target(environ: Mapping[str, str] | None = None) -> Target:
    """DATABASE_URL if set (any form Settings accepts), else the running embedded server."""
    env = os.environ if environ is None else environ
    raw = (env.get("DATABASE_URL") or "").strip()
    if raw:
        url = re.sub(r"^(postgres|postgresql)(\+psycopg2?|\+psycopg)?://", "postgresql://", raw)
        if not url.startswith("postgresql://"):
            raise NotReachable("DATABASE_URL must be a PostgreSQL URL (postgresql://…).")
        return Target(url, _masked(url))
    data_dir = Path(env.get("ECHO_DATA_DIR") or PROJECT_ROOT / ".echo")
    database = env.get("ECHO_DATABASE_NAME") or "echo"
    pgdata = data_dir / "pgdata"
    where = f"the embedded server in {pgdata}"
    try:
        lines = (pgdata / "postmaster.pid").read_text().splitlines()
        pid, port, socket_dir = int(lines[0]), lines[3].strip(), lines[4].strip()
        os.kill(pid, 0)  # raises if the postmaster is gone (a stale pid file)
    except (OSError, IndexError, ValueError):
        raise NotReachable(f"PostgreSQL is not running: {where} is stopped — `make run` (or any "
                           "`python -m echo_core` command) starts it.") from None
    return Target(f"host={socket_dir} port={port} user=postgres dbname={database}", where)


def ping(where: Target, *, timeout: float = DEFAULT_TIMEOUT_SECONDS) -> Pong:
    """Connect and ask the server's version, giving up after `timeout` seconds (libpq's own minimum is 2 s)."""
    import psycopg

    outcome: dict[str, object] = {}

    def attempt() -> None:
        try:
            with psycopg.connect(where.conninfo, connect_timeout=max(2, int(timeout) + 1),
                                 application_name="echo-alpha ping") as conn:
                row = conn.execute("SHOW server_version").fetchone()
                outcome["version"] = str(row[0]) if row else "?"
        except Exception as error:  # noqa: BLE001 - any failure is the answer; it is described below
            outcome["error"] = error

    started = time.perf_counter()
    thread = threading.Thread(target=attempt, daemon=True)  # abandoned on timeout: the process exits anyway
    thread.start()
    thread.join(timeout)
    elapsed = (time.perf_counter() - started) * 1000
    if thread.is_alive():
        raise NotReachable(f"PostgreSQL at {where.display} did not answer within {timeout:g} s.")
    if "error" in outcome:
        raise NotReachable(describe(str(outcome["error"]), where.display))
    return Pong(where.display, str(outcome["version"]), elapsed)


def _redacted(text: str, environ: Mapping[str, str]) -> str:
    for name in ("DATABASE_URL",):
        match = re.search(r"//[^:/@?]*:([^@/?]+)@", environ.get(name) or "")
        if match and len(match.group(1)) >= 4:
            text = text.replace(match.group(1), "***")
    return text


def main(argv: Sequence[str] = ()) -> int:
    """The fast path of `python -m echo_core db ping [--timeout S]`; prints one line, returns the exit code."""
    timeout = DEFAULT_TIMEOUT_SECONDS
    args = list(argv)
    if args[:1] == ["--timeout"] and len(args) == 2:
        try:
            timeout = float(args[1])
        except ValueError:
            args = ["bad"]
        else:
            args = []
    if args or not 0 < timeout <= 60:
        print("error: usage: python -m echo_core db ping [--timeout SECONDS (0–60, default 0.8)]", file=sys.stderr)
        return 2
    try:
        print(ping(target(), timeout=timeout).line())
    except NotReachable as error:
        print(f"error: {_redacted(str(error), os.environ)}", file=sys.stderr)
        return 3
    return 0
