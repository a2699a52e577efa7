"""Delivering sent replies: a real SMTP server on 127.0.0.1, faults, retries, several workers, a killed worker."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from echo_core.config import get_settings
from echo_core.db.models import DraftEvent, Email, EmailDraft, Outbox
from echo_core.errors import DeliveryNotRetryable, OutboxNotFound, PermissionDenied
from echo_core.mail.outbox import retry_delivery
from echo_core.mail.transport import FileTransport, SmtpTransport, smtp_target
from echo_core.mail.worker import Delivery, RetryPolicy, deliver_batch, deliver_one
from echo_core.permissions import Actor, Role
from echo_core.queries.outbox import delivery_state
from echo_core.services.drafts import send
from tests.factories import make_deal, make_draft, make_email
from tests.mailservers import SmtpServer, free_port

BROKER = Actor("broker@tandem.space")
NOW = RetryPolicy(max_attempts=3, base_seconds=0, max_seconds=0, lease_seconds=60)  # retries due at once


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer().start()
    yield server
    server.stop()


def transport(url: str) -> SmtpTransport:
    return SmtpTransport(smtp_target(url, get_settings()))


def send_reply(session: Session, n: int = 1) -> EmailDraft:
    """A seeker's email with a thread behind it, an approved draft, and the real `send` service."""
    deal = make_deal(session, seeker_email=f"sam{n}@seeker.example", seeker_name="Sam Seeker")
    inbound = make_email(session, deal=deal, subject="Parking?", message_id=f"<q{n}-{os.getpid()}@seeker.example>",
                         references_header=f"<root{n}@seeker.example>")
    draft = make_draft(session, deal=deal, inbound=inbound, status="approved", body=f"Yes, parking is $250 ({n}).")
    return send(session=session, draft_id=draft.id, actor=BROKER)


def outbox_of(session: Session, draft: EmailDraft) -> Outbox:
    row = session.scalar(select(Outbox).where(Outbox.draft_id == draft.id))
    assert row is not None
    return row


def test_sending_a_draft_queues_the_reply_with_threading_headers(session: Session) -> None:
    draft = send_reply(session)
    row = outbox_of(session, draft)
    reply = session.get(Email, row.email_id)

    assert (row.status, row.attempts, row.email_id) == ("queued", 0, draft.sent_email_id)
    assert reply is not None and reply.message_id and reply.message_id.endswith("@tandem.space>")
    assert reply.in_reply_to == f"<q1-{os.getpid()}@seeker.example>"
    assert reply.references_header == f"<root1@seeker.example> <q1-{os.getpid()}@seeker.example>"


def test_the_worker_delivers_over_smtp_with_the_right_headers_and_body(
    fresh_engine: Engine, smtp: SmtpServer
) -> None:
    with Session(fresh_engine, expire_on_commit=False) as s:
        draft = send_reply(s)

    results = deliver_batch(fresh_engine, transport(smtp.url), policy=NOW)

    assert [r.status for r in results] == ["delivered"]
    [received] = smtp.handler.received
    message = received.message
    assert received.rcpt_tos == ["sam1@seeker.example"] and received.mail_from == "agent@tandem.space"
    assert message["From"] == "agent@tandem.space" and message["To"] == "sam1@seeker.example"
    assert message["Subject"] == "Re: Parking?"
    assert message["In-Reply-To"] == f"<q1-{os.getpid()}@seeker.example>"
    assert message["References"] == f"<root1@seeker.example> <q1-{os.getpid()}@seeker.example>"
    assert message.get_content().strip() == "Yes, parking is $250 (1)."
    state = delivery_state(fresh_engine, draft_id=draft.id)
    assert state is not None and state.status == "delivered" and state.attempts == 1
    assert state.message_id == message["Message-ID"] and state.delivered_via == smtp.url
    assert deliver_batch(fresh_engine, transport(smtp.url), policy=NOW) == []  # nothing left to send


def test_smtp_down_keeps_the_message_queued_and_delivers_it_once_when_the_server_returns(
    fresh_engine: Engine,
) -> None:
    server = SmtpServer(port=free_port())  # not started: connection refused
    with Session(fresh_engine, expire_on_commit=False) as s:
        draft = send_reply(s)

    [down] = deliver_batch(fresh_engine, transport(server.url), policy=NOW)
    state = delivery_state(fresh_engine, draft_id=draft.id)
    assert down.status == "queued"
    assert state is not None and state.status == "queued" and state.attempts == 1
    assert state.last_error and "ConnectionRefusedError" in state.last_error

    server.start()
    try:
        again = deliver_batch(fresh_engine, transport(server.url), policy=NOW)
        after = deliver_batch(fresh_engine, transport(server.url), policy=NOW)
    finally:
        server.stop()
    assert [r.status for r in again] == ["delivered"] and after == []
    assert len(server.handler.received) == 1
    assert delivery_state(fresh_engine, draft_id=draft.id).status == "delivered"  # type: ignore[union-attr]


def test_retries_back_off_exponentially_until_they_give_up(fresh_engine: Engine) -> None:
    policy = RetryPolicy(max_attempts=2, base_seconds=3600, max_seconds=7200, lease_seconds=60)
    down = f"smtp://127.0.0.1:{free_port()}"
    with Session(fresh_engine, expire_on_commit=False) as s:
        draft = send_reply(s)

    [first] = deliver_batch(fresh_engine, transport(down), policy=policy)
    assert first.status == "queued"
    assert deliver_batch(fresh_engine, transport(down), policy=policy) == []  # not due for an hour
    with Session(fresh_engine, expire_on_commit=False) as s:  # an hour passes
        outbox_of(s, draft).next_attempt_at = func.now()
        s.commit()
    [second] = deliver_batch(fresh_engine, transport(down), policy=policy)

    assert second.status == "failed" and second.attempts == 2
    assert policy.backoff_seconds(1) == 3600 and policy.backoff_seconds(2) == 7200 and policy.backoff_seconds(5) == 7200
    state = delivery_state(fresh_engine, draft_id=draft.id)
    assert state is not None and state.status == "failed" and "ConnectionRefusedError" in (state.last_error or "")


def test_a_permanent_refusal_fails_at_once_and_a_retry_delivers_it(fresh_engine: Engine, smtp: SmtpServer) -> None:
    with Session(fresh_engine, expire_on_commit=False) as s:
        draft = send_reply(s)
    smtp.handler.reply = "550 5.1.1 mailbox unavailable"

    [refused] = deliver_batch(fresh_engine, transport(smtp.url), policy=NOW)
    assert refused.status == "failed" and refused.attempts == 1
    assert "550" in (refused.error or "")

    with Session(fresh_engine, expire_on_commit=False) as s:
        row = retry_delivery(session=s, outbox_id=outbox_of(s, draft).id, actor=BROKER)
        assert (row.status, row.attempts) == ("queued", 0)
        event = s.scalars(select(DraftEvent).where(DraftEvent.action == "retry_delivery")).one()
        assert event.actor == BROKER.email and "550" in event.details["previousError"]
    smtp.handler.reply = None
    assert [r.status for r in deliver_batch(fresh_engine, transport(smtp.url), policy=NOW)] == ["delivered"]


def test_only_a_failed_delivery_can_be_retried_and_only_by_a_reviewer(session: Session) -> None:
    row = outbox_of(session, send_reply(session))
    with pytest.raises(DeliveryNotRetryable, match="is queued"):
        retry_delivery(session=session, outbox_id=row.id, actor=BROKER)
    with pytest.raises(OutboxNotFound):
        retry_delivery(session=session, outbox_id=row.id + 1000, actor=BROKER)
    with pytest.raises(PermissionDenied):
        retry_delivery(session=session, outbox_id=row.id, actor=Actor("ana@tandem.space", Role.ANALYST))


def test_concurrent_workers_deliver_each_message_exactly_once(fresh_engine: Engine, smtp: SmtpServer) -> None:
    with Session(fresh_engine, expire_on_commit=False) as s:
        for n in range(24):
            send_reply(s, n)
    results: list[Delivery] = []
    lock = threading.Lock()

    def work() -> None:
        done = deliver_batch(fresh_engine, transport(smtp.url), policy=NOW, batch=100)
        with lock:
            results.extend(done)

    workers = [threading.Thread(target=work) for _ in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=60)

    ids = smtp.handler.message_ids()
    assert len(ids) == 24 and max(Counter(ids).values()) == 1
    assert len(results) == 24 and len({r.outbox_id for r in results}) == 24  # no row claimed twice
    with Session(fresh_engine, expire_on_commit=False) as s:
        statuses = Counter(s.scalars(select(Outbox.status)))
        assert statuses == {"delivered": 24}
        assert set(s.scalars(select(Outbox.attempts))) == {1}


def test_a_worker_killed_mid_delivery_loses_nothing_and_sends_once(
    fresh_db_url: str, fresh_engine: Engine, smtp: SmtpServer
) -> None:
    with Session(fresh_engine, expire_on_commit=False) as s:
        draft = send_reply(s)
    smtp.handler.stall = True  # the server holds the DATA reply: the worker is mid-delivery
    # The lease (3 s) outlives the SMTP timeout (2 s), as the worker insists; the kill comes well before either.
    env = {**os.environ, "DATABASE_URL": fresh_db_url, "ECHO_SMTP_URL": smtp.url,
           "ECHO_SMTP_TIMEOUT": "2", "ECHO_MAIL_LEASE_SECONDS": "3"}
    worker = subprocess.Popen([sys.executable, "-m", "echo_core", "mail", "deliver", "--once"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert smtp.handler.stalled.wait(timeout=30), "the worker never reached the SMTP DATA phase"
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    with Session(fresh_engine, expire_on_commit=False) as s:
        row = outbox_of(s, draft)
        assert (row.status, row.attempts) == ("sending", 1)  # claimed, not delivered, not lost
    smtp.handler.stall = False
    smtp.handler.release.set()  # the stalled session answers 451 to a dead client: nothing was accepted

    deadline = time.monotonic() + 20
    recovered = None
    while recovered is None and time.monotonic() < deadline:
        recovered = deliver_one(fresh_engine, transport(smtp.url), policy=NOW, worker="recovery")
        time.sleep(0.05)

    assert recovered is not None and recovered.status == "delivered" and recovered.attempts == 2
    assert len(smtp.handler.received) == 1


def test_the_demo_default_writes_eml_files_into_the_data_directory(fresh_engine: Engine, tmp_path: Path) -> None:
    with Session(fresh_engine, expire_on_commit=False) as s:
        draft = send_reply(s)
    files = FileTransport(tmp_path / "outbox")

    [result] = deliver_batch(fresh_engine, files, policy=NOW)

    [written] = list((tmp_path / "outbox").glob("*.eml"))
    text = written.read_text()
    assert result.status == "delivered"
    assert "To: sam1@seeker.example" in text and "Subject: Re: Parking?" in text
    state = delivery_state(fresh_engine, draft_id=draft.id)
    assert state is not None and state.delivered_via == f"file:{tmp_path / 'outbox'}"
