"""The CSV export of every email, end to end, next to raw COPY measured in the same run.

The export runs as `echo_core.export.write_csv` (what `python -m echo_core export emails --out -`
calls), stdout thrown away, in a child process, so its peak memory is that process's own peak RSS (from wait4), not
the bench's.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass

from sqlalchemy import Engine

from echo_core.bench.floor import CopyFloor, Plan, copy_floor, explain
from echo_core.bench.measure import Recorder

EXPORT_TARGET_SHARE = 0.5  # of raw COPY throughput
EXPORT_MEMORY_TARGET_MB = 200.0
# The export function the CLI runs, in a child of its own; an analyst actor is built directly because
# the bench database has no accounts (the CLI's --by needs an active one).
_CHILD = """
import sys, time
from echo_core.db.engine import make_engine
from echo_core.export import write_csv
from echo_core.permissions import Actor, Role
engine = make_engine(sys.argv[1])
started = time.perf_counter()
count = write_csv(engine, "emails", sys.stdout, actor=Actor("bench@tandem.space", Role.ANALYST))
print(f"exported {count} emails rows in {time.perf_counter() - started:.6f} s", file=sys.stderr)
"""


@dataclass(frozen=True)
class ExportResult:
    rows: int
    seconds: float  # the export itself, as COPY is timed: from the first query to the last byte
    wall_seconds: float  # the whole child process, interpreter start-up and imports included
    peak_rss_mb: float
    exit_code: int
    stderr: str
    copy: CopyFloor
    plans: list[tuple[str, Plan]]

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0

    @property
    def share_of_copy(self) -> float | None:
        return self.rows_per_second / self.copy.rows_per_second if self.copy.rows_per_second else None


def _run_cli(url: str) -> tuple[int, float, float, float, int, str]:
    env = dict(os.environ, DATABASE_URL=url, ECHO_AUTO_MIGRATE="0", ECHO_SEED_DEMO="0")
    with tempfile.TemporaryFile("w+", encoding="utf-8") as err:
        started = time.perf_counter()
        child = subprocess.Popen([sys.executable, "-c", _CHILD, url],
                                 stdout=subprocess.DEVNULL, stderr=err, env=env)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        message = err.read().strip()
    found = re.search(r"exported (\d+) emails rows in ([0-9.]+) s", message)
    peak_mb = usage.ru_maxrss / 1024  # Linux reports kilobytes
    rows, export_seconds = (int(found.group(1)), float(found.group(2))) if found else (0, seconds)
    return rows, export_seconds, seconds, peak_mb, child.returncode, message


def _export_plans(engine: Engine) -> list[tuple[str, Plan]]:
    """The export's SQL, captured while it starts streaming, then EXPLAIN ANALYZEd once."""
    from echo_core.export import stream_rows

    rec = Recorder(engine)
    try:
        rec.capturing = True
        rows = iter(stream_rows(engine, "emails"))
        next(rows)
        next(rows, None)
        close = getattr(rows, "close", None)
        if close:
            close()
        rec.capturing = False
        return [(" ".join(c.statement.split())[:120], explain(engine, c.statement, c.parameters, 1))
                for c in rec.captured]
    finally:
        rec.close()


def measure_export(engine: Engine, url: str, conninfo: str) -> ExportResult:
    rows, seconds, wall, peak_mb, code, message = _run_cli(url)
    floor = copy_floor(conninfo)
    return ExportResult(rows=rows, seconds=seconds, wall_seconds=wall, peak_rss_mb=peak_mb, exit_code=code,
                        stderr=message[-300:], copy=floor, plans=_export_plans(engine))
