"""The delivery worker: claim one due outbox row, send it, record the outcome.

Claiming is `SELECT … FOR UPDATE SKIP LOCKED` + a lease, committed *before* sending,
so concurrent workers never pick the same row and a worker killed mid-delivery leaves
a row that becomes claimable again when its lease (`locked_until`) runs out.

Remaining duplicate risk, stated: if the SMTP server accepts the message (250 after DATA)
and the worker dies before the one-row "delivered" commit that follows immediately, the
row is re-sent after the lease — the recipient gets a second copy with the same Message-ID
(mail clients show it once in the thread). Exactly-once is impossible across two systems
without a shared transaction; we shrink the window to one local round-trip. A live but slow
worker cannot lose its lease mid-send because the lease must exceed the SMTP timeout.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from echo_core.config import Settings, get_settings
from echo_core.db.engine import readable_db_errors
from echo_core.db.models import Email
from echo_core.errors import MailConfigInvalid
from echo_core.mail.outbox import build_message
from echo_core.mail.transport import DeliveryFailure, PermanentFailure, Transport


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 6
    base_seconds: float = 60.0
    max_seconds: float = 3600.0
    lease_seconds: float = 300.0

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> RetryPolicy:
        s = settings or get_settings()
        if s.smtp_url and s.mail_lease_seconds <= s.smtp_timeout_seconds:
            raise MailConfigInvalid(
                f"ECHO_MAIL_LEASE_SECONDS ({s.mail_lease_seconds:g}) must exceed ECHO_SMTP_TIMEOUT "
                f"({s.smtp_timeout_seconds:g}), or a slow delivery could be claimed twice."
            )
        return cls(s.mail_max_attempts, s.mail_retry_base_seconds, s.mail_retry_max_seconds, s.mail_lease_seconds)

    def backoff_seconds(self, attempts: int) -> float:
        """Exponential: base, 2×base, 4×base … capped at max_seconds."""
        return float(min(self.max_seconds, self.base_seconds * 2 ** max(0, attempts - 1)))


@dataclass(frozen=True)
class Delivery:
    outbox_id: int
    status: str  # delivered | queued (will retry) | failed | lost-lease
    attempts: int
    error: str | None = None


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"[:255]


_CLAIM = text(
    """
    WITH due AS (
        SELECT id FROM outbox
        WHERE ((status = 'queued' AND next_attempt_at <= now())
           OR (status = 'sending' AND locked_until < now()))
          AND id <> ALL(CAST(:tried AS integer[]))
        ORDER BY next_attempt_at, id
        LIMIT 1
        FOR UPDATE SKIP LOCKED
    )
    UPDATE outbox o
    SET status = 'sending', attempts = o.attempts + 1, claimed_by = :worker,
        locked_until = now() + make_interval(secs => CAST(:lease AS double precision))
    FROM due WHERE o.id = due.id
    RETURNING o.id, o.email_id, o.attempts
    """
)

# One parameter used in several places needs one type: hence the casts.
_FINISH = text(
    """
    UPDATE outbox
    SET status = CAST(:status AS varchar), last_error = coalesce(CAST(:error AS text), last_error),
        locked_until = NULL,
        delivered_at = CASE WHEN CAST(:status AS varchar) = 'delivered' THEN now() END,
        delivered_via = CASE WHEN CAST(:status AS varchar) = 'delivered' THEN CAST(:via AS varchar) END,
        next_attempt_at = CASE WHEN CAST(:status AS varchar) = 'queued'
                               THEN now() + make_interval(secs => CAST(:delay AS double precision))
                               ELSE next_attempt_at END
    WHERE id = :id AND status = 'sending' AND claimed_by = :worker
    """
)


def _finish(engine: Engine, **values: object) -> bool:
    params = {"error": None, "via": None, "delay": 0.0, **values}
    with readable_db_errors(engine), engine.begin() as conn:
        return conn.execute(_FINISH, params).rowcount == 1


def deliver_one(
    engine: Engine, transport: Transport, *, policy: RetryPolicy, worker: str, tried: list[int] | None = None
) -> Delivery | None:
    """Claim, send and record one due message (not one of `tried`); None when nothing is due."""
    params = {"worker": worker, "lease": policy.lease_seconds, "tried": tried or []}
    with readable_db_errors(engine), engine.begin() as conn:  # the claim commits before anything is sent
        claimed = conn.execute(_CLAIM, params).first()
    if claimed is None:
        return None
    outbox_id, email_id, attempts = int(claimed.id), int(claimed.email_id), int(claimed.attempts)
    keys = {"id": outbox_id, "worker": worker}
    if attempts > policy.max_attempts:  # a worker died mid-send on every attempt: stop trying
        error = f"gave up after {attempts - 1} attempts interrupted mid-delivery"
        _finish(engine, status="failed", error=error, **keys)
        return Delivery(outbox_id, "failed", attempts, error)
    with Session(engine) as session:
        email = session.get(Email, email_id)
        message = build_message(email) if email is not None else None
    try:
        if message is None:
            raise PermanentFailure(f"email {email_id} of outbox message {outbox_id} no longer exists")
        transport.send(message)
    except DeliveryFailure as failure:
        give_up = isinstance(failure, PermanentFailure) or attempts >= policy.max_attempts
        status = "failed" if give_up else "queued"
        delay = policy.backoff_seconds(attempts)
        if not _finish(engine, status=status, error=str(failure), delay=delay, **keys):
            return Delivery(outbox_id, "lost-lease", attempts, str(failure))
        return Delivery(outbox_id, status, attempts, str(failure))
    # Accepted by the server: record it at once — the only window for a duplicate is before this commit.
    if not _finish(engine, status="delivered", via=transport.description, **keys):
        return Delivery(outbox_id, "lost-lease", attempts, "the lease expired during delivery")
    return Delivery(outbox_id, "delivered", attempts)


def deliver_batch(
    engine: Engine,
    transport: Transport,
    *,
    policy: RetryPolicy,
    worker: str | None = None,
    batch: int = 50,
    should_stop: Callable[[], bool] = lambda: False,
) -> list[Delivery]:
    """Deliver up to `batch` due messages, one claim each; the transport's connection is reused."""
    worker = worker or worker_id()
    results: list[Delivery] = []
    try:
        while len(results) < batch and not should_stop():
            # A message that failed in this pass waits for the next one, even with a zero backoff.
            tried = [r.outbox_id for r in results]
            result = deliver_one(engine, transport, policy=policy, worker=worker, tried=tried)
            if result is None:
                break
            results.append(result)
    finally:
        transport.close()
    return results
