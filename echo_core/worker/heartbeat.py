"""Heartbeat rows: each duty of each worker says when it last ran, what it did and its last error.

A row is written after a pass that did something or failed, and at least every BEAT_SECONDS
otherwise, so a worker polling every second does not write every second. `interval_seconds`
on the row is how often it promises to beat: the Monitoring page calls a duty stale after three.
"""

from __future__ import annotations

import json
import socket
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Engine, text

from echo_core.db.engine import readable_db_errors

BEAT_SECONDS = 10.0
RECENT_ERRORS = 10


@dataclass
class Pass:
    """What one pass of a duty did."""

    done: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)  # item-level failures, e.g. one message that would not parse
    busy: bool = False  # more work is waiting: run again without pausing


_BEAT = text(
    """
    INSERT INTO worker_heartbeats AS h (worker, duty, host, interval_seconds, last_run_at, last_ok_at, last_error,
                                        last_error_at, runs, items_done, items_failed, recent_errors)
    VALUES (:worker, :duty, :host, :interval, now(), CASE WHEN CAST(:error AS text) IS NULL THEN now() END,
            CAST(:error AS text), CASE WHEN CAST(:error AS text) IS NOT NULL THEN now() END, :runs, :done,
            :failed, CAST(:recent AS jsonb))
    ON CONFLICT (worker, duty) DO UPDATE SET
        interval_seconds = EXCLUDED.interval_seconds, last_run_at = now(),
        last_ok_at = coalesce(EXCLUDED.last_ok_at, h.last_ok_at),
        last_error = coalesce(EXCLUDED.last_error, h.last_error),
        last_error_at = coalesce(EXCLUDED.last_error_at, h.last_error_at),
        runs = h.runs + EXCLUDED.runs, items_done = h.items_done + EXCLUDED.items_done,
        items_failed = h.items_failed + EXCLUDED.items_failed, recent_errors = EXCLUDED.recent_errors,
        stopped_at = NULL
    """
)


class Heartbeat:
    """The heartbeat of one duty in one worker; used by that duty's thread only."""

    def __init__(self, engine: Engine, *, worker: str, duty: str, interval: float) -> None:
        self.engine, self.worker, self.duty = engine, worker, duty
        self.interval = max(interval, BEAT_SECONDS)
        self._recent: deque[dict[str, str]] = deque(maxlen=RECENT_ERRORS)
        self._pending = Pass()
        self._runs = 0
        self._last_write = 0.0
        self._last_error: str | None = None

    def record(self, result: Pass | None, error: str | None = None) -> bool:
        """Add a pass (or a duty-level error); write when worth it. True when a row was written."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        self._runs += 1
        if result is not None:
            self._pending.done += result.done
            self._pending.failed += result.failed
            self._recent.extend({"at": now, "error": e[:500]} for e in result.errors)
        changed = bool(error) or error != self._last_error or bool(result and (result.done or result.failed))
        self._last_error = error
        if not changed and time.monotonic() - self._last_write < BEAT_SECONDS:
            return False
        self._write(error)
        return True

    def _write(self, error: str | None) -> None:
        params = {"worker": self.worker, "duty": self.duty, "host": socket.gethostname()[:255],
                  "interval": self.interval, "error": error[:2000] if error else None, "runs": self._runs,
                  "done": self._pending.done, "failed": self._pending.failed,
                  "recent": json.dumps(list(self._recent))}
        with readable_db_errors(self.engine), self.engine.begin() as conn:
            conn.execute(_BEAT, params)
        self._pending, self._runs, self._last_write = Pass(), 0, time.monotonic()

    def stopped(self) -> None:
        """Mark this duty of this worker as stopped on purpose (not stale)."""
        with readable_db_errors(self.engine), self.engine.begin() as conn:
            conn.execute(text("UPDATE worker_heartbeats SET stopped_at = now() WHERE worker = :w AND duty = :d"),
                         {"w": self.worker, "d": self.duty})
