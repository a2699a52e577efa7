"""Run the duties, one thread each, until SIGTERM or Ctrl+C; then let each finish its item and stop.

Nothing escapes as a traceback: a pass that fails is reported in the duty's heartbeat and on
stderr (one line, secrets redacted, repeated errors not repeated), and the other duties go on.
A second Ctrl+C leaves at once: a message mid-delivery is then re-sent after its lease (the
outbox guarantee), a backup in progress is simply not kept.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from types import FrameType

from echo_core.config import Settings
from echo_core.redact import redact
from echo_core.worker.duties import Context, DeliverDuty, DraftDuty, Duty, ImapDuty, describe_error
from echo_core.worker.heartbeat import Heartbeat, Pass

STOP_GRACE_SECONDS = 60.0  # longer than an SMTP timeout: the message in hand is finished, not abandoned


def duties_for(settings: Settings, only: set[str] | None = None) -> tuple[list[Duty], list[str]]:
    """The duties this configuration runs, and one line for each that is off and why."""
    from echo_core.worker.backup_duty import BackupDuty

    candidates: list[tuple[str, Callable[[], Duty], str | None]] = [
        ("deliver", lambda: DeliverDuty(settings), None),
        ("imap", lambda: ImapDuty(settings), None if settings.imap_url else "set ECHO_IMAP_URL to poll a mailbox"),
        ("draft", lambda: DraftDuty(settings), None if settings.auto_draft else "ECHO_AUTO_DRAFT is off"),
        ("backup", BackupDuty, None if settings.backup_enabled else "ECHO_BACKUP_ENABLED is off"),
    ]
    duties, off = [], []
    for name, make, reason in candidates:
        if only is not None and name not in only:
            continue
        if reason:
            off.append(f"{name}: off ({reason})")
        else:
            duties.append(make())
    return duties, off


class Worker:
    def __init__(self, ctx: Context, duties: list[Duty], *, out: Callable[[str], None] | None = None) -> None:
        self.ctx, self.duties = ctx, duties
        self._out = out or (lambda line: print(line, file=sys.stderr, flush=True))
        self._said: dict[str, str | None] = {}
        self._interrupts = 0
        self._signal: str | None = None  # the signal that asked for the stop, said by the main loop

    def say(self, line: str) -> None:
        self._out(f"{datetime.now(UTC):%H:%M:%S} {redact(line, self.ctx.settings.secrets())}")

    def _reporter(self, duty: Duty, beat: Heartbeat) -> Callable[[Pass | None, str | None], None]:
        def report(result: Pass | None, error: str | None) -> None:
            if result is not None and (result.done or result.failed):
                self.say(f"{duty.name}: {result.done} done, {result.failed} failed"
                         + (f" — {result.errors[-1]}" if result.errors else ""))
            if error != self._said.get(duty.name):  # say a duty-level error once, and when it clears
                self.say(f"{duty.name}: {error}" if error else f"{duty.name}: working again")
                self._said[duty.name] = error
            try:
                beat.record(result, error)
            except Exception as failure:  # noqa: BLE001 - the database may be down: the next pass retries
                key = f"{duty.name}/heartbeat"
                message = describe_error(failure)
                if self._said.get(key) != message:
                    self.say(f"{duty.name}: heartbeat not written ({message})")
                    self._said[key] = message
        return report

    def _run_duty(self, duty: Duty) -> None:
        beat = Heartbeat(self.ctx.engine, worker=self.ctx.worker, duty=duty.name, interval=duty.interval)
        try:
            duty.run_forever(self.ctx, self._reporter(duty, beat))
        except BaseException as error:  # noqa: BLE001 - a thread must never die with a traceback
            self.say(f"{duty.name}: stopped by an unexpected error ({describe_error(error)})")
        try:
            beat.stopped()
        except Exception:  # noqa: BLE001,S110 - stopping while the database is down: the row goes stale instead
            pass

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        # Only flags here: a handler that printed could interrupt the main thread's own write to stderr.
        self._interrupts += 1
        if self._interrupts > 1:
            os.write(2, b"stopping now (second signal)\n")
            os._exit(130)
        self._signal = signal.Signals(signum).name
        self.ctx.stop.set()

    def run(self) -> int:
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, self._on_signal)
            signal.signal(signal.SIGINT, self._on_signal)
        threads = [threading.Thread(target=self._run_duty, args=(d,), name=f"duty-{d.name}", daemon=True)
                   for d in self.duties]
        for thread in threads:
            thread.start()
        while not self.ctx.stop.wait(0.5):
            if not any(t.is_alive() for t in threads):
                break
        self.ctx.stop.set()
        if self._signal:
            self.say(f"stopping ({self._signal}): finishing the items in hand…")
        deadline = datetime.now(UTC).timestamp() + STOP_GRACE_SECONDS
        for thread in threads:
            thread.join(max(0.0, deadline - datetime.now(UTC).timestamp()))
        left = [t.name for t in threads if t.is_alive()]
        self.say(f"stopped{' (still busy: ' + ', '.join(left) + ')' if left else ''}")
        return 0


