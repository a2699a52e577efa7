"""The worker's duties. Each is one pass (`run_once`) repeated by `periodic`, in its own thread.

Several workers on several machines never do one item twice: delivery claims outbox rows with
FOR UPDATE SKIP LOCKED and a lease (echo_core.mail.worker); drafting takes a per-email advisory
lock and re-checks under it; IMAP polling and the backup are singletons (advisory locks).
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import Engine, text

from echo_core.config import Settings
from echo_core.db.engine import readable_db_errors, session_factory
from echo_core.ops.locks import LOCK_NAMESPACE, try_singleton
from echo_core.permissions import SYSTEM_ACTOR
from echo_core.worker.heartbeat import Pass

Report = Callable[[Pass | None, str | None], None]
MAX_BACKOFF_SECONDS = 60.0


@dataclass
class Context:
    engine: Engine  # the app's role (DATABASE_URL)
    owner: Engine  # the owner role (ECHO_MIGRATION_DATABASE_URL, else the same): backups and their verification
    settings: Settings
    worker: str
    stop: threading.Event


class Duty(Protocol):
    name: str
    interval: float

    def run_forever(self, ctx: Context, report: Report) -> None: ...


def describe_error(error: BaseException) -> str:
    """One line: a named EchoError as its message, anything else with its type (a bug to report)."""
    from echo_core.errors import EchoError

    text = str(error) if isinstance(error, EchoError) else f"{type(error).__name__}: {error}"
    return " ".join(text.split())[:500]


def periodic(run_once: Callable[[Context], Pass], interval: float, ctx: Context, report: Report) -> None:
    """Run a pass, report it, pause `interval` (none while busy; doubling after failures) until stopped."""
    failures = 0
    while not ctx.stop.is_set():
        try:
            result = run_once(ctx)
        except Exception as error:  # noqa: BLE001 - a failing pass is reported, never fatal
            failures += 1
            report(None, describe_error(error))
            ctx.stop.wait(min(MAX_BACKOFF_SECONDS, interval * 2 ** min(failures, 6)))
            continue
        failures = 0
        report(result, None)
        if not result.busy:
            ctx.stop.wait(interval)


class PeriodicDuty(ABC):
    """A duty whose thread repeats `run_once` every `interval` seconds."""

    name = "duty"
    interval = 60.0

    @abstractmethod
    def run_once(self, ctx: Context) -> Pass:
        """One pass of the duty."""

    def run_forever(self, ctx: Context, report: Report) -> None:
        periodic(self.run_once, self.interval, ctx, report)


class DeliverDuty(PeriodicDuty):
    """Deliver due outbox rows (SMTP from ECHO_SMTP_URL, else .eml files in ECHO_DATA_DIR/outbox/)."""

    name = "deliver"
    batch = 50

    def __init__(self, settings: Settings) -> None:
        self.interval = settings.worker_deliver_seconds

    def run_once(self, ctx: Context) -> Pass:
        from echo_core.mail.transport import transport_from_settings
        from echo_core.mail.worker import RetryPolicy, deliver_batch

        policy = RetryPolicy.from_settings(ctx.settings)
        results = deliver_batch(ctx.engine, transport_from_settings(ctx.settings), policy=policy, worker=ctx.worker,
                                batch=self.batch, should_stop=ctx.stop.is_set)
        failed = [r for r in results if r.status != "delivered"]
        return Pass(done=len(results) - len(failed), failed=len(failed),
                    errors=[f"outbox {r.outbox_id} ({r.status}, attempt {r.attempts}): {r.error}" for r in failed],
                    busy=len(results) >= self.batch)


class ImapDuty(PeriodicDuty):
    """Store the unseen messages of ECHO_IMAP_URL's folder (auto-drafting them inline when it is on)."""

    name = "imap"

    def __init__(self, settings: Settings) -> None:
        self.interval = settings.worker_poll_seconds
        self.url = settings.imap_url or ""
        self.folder = settings.imap_folder

    def run_forever(self, ctx: Context, report: Report) -> None:
        periodic(lambda ctx: self._hold_mailbox(ctx, report), self.interval, ctx, report)

    def _hold_mailbox(self, ctx: Context, report: Report) -> Pass:
        """Watch the mailbox with IMAP IDLE (polling where the server has none) until the worker stops.

        One watcher per mailbox across every worker: the others find the lock taken, try again after
        `interval`, and take over when the watcher's connection goes. IDLE is renewed every `interval`
        so each pass beats the heartbeat even when no mail arrives.
        """
        from echo_core.mail.imap import LoopEvent, poll_loop

        def beat(event: LoopEvent) -> None:
            if event.kind == "error":
                report(None, event.detail)
            elif event.report is not None:
                r = event.report
                report(Pass(done=r.stored, failed=r.failed + len(r.draft_errors),
                            errors=[*r.errors, *(f"drafting: {e}" for e in r.draft_errors)]), None)

        with readable_db_errors(ctx.engine), ctx.engine.connect() as lock, lock.begin():
            if not try_singleton(lock, f"imap {self.url} {self.folder or 'INBOX'}"):
                return Pass()
            poll_loop(engine=ctx.engine, url=self.url, folder=self.folder, actor=SYSTEM_ACTOR, stop=ctx.stop,
                      on_event=beat, interval=self.interval,
                      idle_seconds=min(ctx.settings.imap_idle_seconds, self.interval))
        return Pass()

    def run_once(self, ctx: Context) -> Pass:
        """One poll without IDLE (`worker --once`)."""
        from echo_core.mail.imap import poll

        with readable_db_errors(ctx.engine), ctx.engine.connect() as lock, lock.begin():
            if not try_singleton(lock, f"imap {self.url} {self.folder or 'INBOX'}"):
                return Pass()
            with session_factory(ctx.engine)() as session:
                report = poll(session=session, url=self.url, folder=self.folder, actor=SYSTEM_ACTOR)
        return Pass(done=report.stored, failed=report.failed + len(report.draft_errors),
                    errors=[*report.errors, *(f"drafting: {e}" for e in report.draft_errors)])


_CANDIDATES = text(
    """
    SELECT e.id FROM emails e
    WHERE e.id > :cursor AND e.id <= :horizon AND NOT coalesce(e.ai_generated, false)
      AND lower(e."from") <> lower(:agent)
      AND NOT EXISTS (SELECT 1 FROM email_drafts d WHERE d.inbound_email_id = e.id)
      AND NOT EXISTS (SELECT 1 FROM emails r WHERE r.deal_id = e.deal_id AND r.sent_at > e.sent_at
                      AND (coalesce(r.ai_generated, false) OR lower(r."from") = lower(:agent)))
    ORDER BY e.id LIMIT :limit
    """
)
CURSOR = "auto-draft"


class DraftDuty(PeriodicDuty):
    """Draft a reply to each new inbound email that has none (ECHO_AUTO_DRAFT).

    Ingest drafts inline when auto-drafting is on; this duty catches what that missed (a drafting
    failure, mail stored by another route). It leaves each email alone for a grace period first, so
    it never races an inline draft, and only looks at mail that arrived after it was first enabled.
    """

    name = "draft"
    limit = 100

    def __init__(self, settings: Settings, *, grace_seconds: float | None = None) -> None:
        self.interval = settings.worker_draft_seconds
        if grace_seconds is None:  # longer than any inline drafting can take
            attempts = (settings.openai_max_retries + 1) * (2 if settings.openai_self_critique else 1)
            grace_seconds = 30.0 + (settings.openai_timeout_seconds * attempts
                                    if settings.default_provider == "openai" else 0.0)
        self.grace = grace_seconds
        self._first_seen: dict[int, float] = {}

    def run_once(self, ctx: Context) -> Pass:
        import time

        agent = ctx.settings.agent_email
        with readable_db_errors(ctx.engine), ctx.engine.begin() as conn:
            conn.execute(text("INSERT INTO worker_cursors (name, position) SELECT :n, coalesce(max(id), 0) "
                              "FROM emails ON CONFLICT (name) DO NOTHING"), {"n": CURSOR})
            cursor = int(conn.scalar(text("SELECT position FROM worker_cursors WHERE name = :n"), {"n": CURSOR}))
            horizon = int(conn.scalar(text("SELECT coalesce(max(id), 0) FROM emails")) or 0)
            ids = [int(i) for i in conn.scalars(_CANDIDATES, {"cursor": cursor, "horizon": horizon, "agent": agent,
                                                             "limit": self.limit})]
        if len(ids) == self.limit:
            horizon = ids[-1]
        now = time.monotonic()
        result, waiting = Pass(), []
        for email_id in ids:
            seen = self._first_seen.setdefault(email_id, now)
            if ctx.stop.is_set() or now - seen < self.grace or not self._draft(ctx, email_id, result):
                waiting.append(email_id)
        self._first_seen = {i: t for i, t in self._first_seen.items() if i in waiting}
        position = waiting[0] - 1 if waiting else horizon
        if position > cursor:
            with readable_db_errors(ctx.engine), ctx.engine.begin() as conn:
                conn.execute(text("UPDATE worker_cursors SET position = greatest(position, :p), updated_at = now() "
                                  "WHERE name = :n"), {"p": position, "n": CURSOR})
        return result

    def _draft(self, ctx: Context, email_id: int, result: Pass) -> bool:
        """Draft one email under its lock; False if another worker holds it (look again next pass)."""
        from echo_core.errors import EchoError
        from echo_core.services.generation import generate_draft

        with session_factory(ctx.engine)() as session:
            locked = session.scalar(text("SELECT pg_try_advisory_xact_lock(:ns, :id)"),
                                    {"ns": LOCK_NAMESPACE + 1, "id": email_id})
            if not locked:
                return False
            # Re-checked under the lock: a draft committed meanwhile (by a worker or inline) is final.
            if session.scalar(text("SELECT 1 FROM email_drafts WHERE inbound_email_id = :id LIMIT 1"),
                              {"id": email_id}):
                session.rollback()
                return True
            try:
                generate_draft(session=session, inbound_email_id=email_id, actor=SYSTEM_ACTOR)
                result.done += 1
            except EchoError as error:
                result.failed += 1
                result.errors.append(f"email {email_id}: {error}")
        return True
