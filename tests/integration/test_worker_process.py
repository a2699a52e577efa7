"""`python -m echo_core worker` as a real process: stopped mid-delivery (SIGTERM or SIGKILL) and started again, each
message is delivered once; two workers share the outbox without doing one message twice; no traceback, ever."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from echo_core.config import PROJECT_ROOT
from echo_core.db.models import Outbox
from echo_core.permissions import Actor
from echo_core.services.drafts import send
from tests.factories import make_deal, make_draft, make_email
from tests.mailservers import SmtpServer

BROKER = Actor("broker@tandem.space")


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer().start()
    yield server
    server.stop()


def queue_replies(engine: Engine, count: int) -> list[int]:
    ids = []
    with Session(engine, expire_on_commit=False) as s:
        for n in range(count):
            deal = make_deal(s, seeker_email=f"sam{n}@seeker.example")
            inbound = make_email(s, deal=deal, message_id=f"<p{n}-{os.getpid()}-{time.time_ns()}@seeker.example>")
            draft = make_draft(s, deal=deal, inbound=inbound, status="approved", body=f"Reply {n}.")
            ids.append(send(session=s, draft_id=draft.id, actor=BROKER).id)
    return ids


def start_worker(db_url: str, smtp: SmtpServer, **extra: str) -> subprocess.Popen[str]:
    env = {**os.environ, "DATABASE_URL": db_url, "ECHO_SMTP_URL": smtp.url, "ECHO_SMTP_TIMEOUT": "2",
           "ECHO_MAIL_LEASE_SECONDS": "3", "ECHO_MAIL_RETRY_BASE_SECONDS": "0", "ECHO_WORKER_DELIVER_SECONDS": "0.2",
           "ECHO_BACKUP_ENABLED": "false", **extra}
    return subprocess.Popen([sys.executable, "-m", "echo_core", "worker"], cwd=PROJECT_ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def statuses(engine: Engine) -> Counter[str]:
    with Session(engine) as s:
        return Counter(s.scalars(select(Outbox.status)))


def wait_for(check: object, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not check():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.1)


def finish(worker: subprocess.Popen[str], how: int = signal.SIGTERM) -> tuple[int, str]:
    worker.send_signal(how)
    _, err = worker.communicate(timeout=90)
    return worker.returncode, err


def test_sigterm_mid_delivery_finishes_the_item_and_a_restart_delivers_it_once(
    fresh_db_url: str, fresh_engine: Engine, smtp: SmtpServer
) -> None:
    queue_replies(fresh_engine, 1)
    smtp.handler.stall = True  # the server holds the DATA reply: the worker is mid-delivery
    worker = start_worker(fresh_db_url, smtp)
    assert smtp.handler.stalled.wait(60), "the worker never reached the SMTP DATA phase"

    code, err = finish(worker)  # it waits for the message in hand (the SMTP timeout), records it, leaves

    assert code == 0 and "stopping (SIGTERM)" in err and err.rstrip().endswith("stopped"), err
    assert "Traceback" not in err
    assert statuses(fresh_engine) == {"queued": 1}  # not lost, not delivered, due again
    with fresh_engine.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM worker_heartbeats WHERE stopped_at IS NULL")) == 0

    smtp.handler.stall = False
    smtp.handler.release.set()
    again = start_worker(fresh_db_url, smtp)
    try:
        wait_for(lambda: statuses(fresh_engine) == {"delivered": 1})
    finally:
        code, err = finish(again)
    assert code == 0 and len(smtp.handler.received) == 1, err


def test_sigkill_mid_delivery_then_a_restart_delivers_once_after_the_lease(
    fresh_db_url: str, fresh_engine: Engine, smtp: SmtpServer
) -> None:
    queue_replies(fresh_engine, 1)
    smtp.handler.stall = True
    worker = start_worker(fresh_db_url, smtp)
    assert smtp.handler.stalled.wait(60)
    finish(worker, signal.SIGKILL)
    assert statuses(fresh_engine) == {"sending": 1}  # claimed by a dead worker
    smtp.handler.stall = False
    smtp.handler.release.set()  # the stalled session answers 451 to a dead client: nothing was accepted

    again = start_worker(fresh_db_url, smtp)
    try:
        wait_for(lambda: statuses(fresh_engine) == {"delivered": 1})  # once the 3 s lease has run out
    finally:
        finish(again)
    assert len(smtp.handler.received) == 1


def test_two_workers_deliver_every_message_exactly_once(
    fresh_db_url: str, fresh_engine: Engine, smtp: SmtpServer
) -> None:
    workers = [start_worker(fresh_db_url, smtp) for _ in range(2)]
    try:
        queue_replies(fresh_engine, 30)
        wait_for(lambda: statuses(fresh_engine) == {"delivered": 30}, seconds=120)
    finally:
        outcomes = [finish(w) for w in workers]

    ids = smtp.handler.message_ids()
    assert len(ids) == 30 and max(Counter(ids).values()) == 1
    assert all(code == 0 and "Traceback" not in err for code, err in outcomes), outcomes  # what a worker said
    with fresh_engine.connect() as conn:
        workers_seen = conn.scalar(text("SELECT count(DISTINCT worker) FROM worker_heartbeats WHERE duty = 'deliver'"))
        attempts = set(conn.scalars(text("SELECT attempts FROM outbox")))
    assert workers_seen == 2 and attempts == {1}


def test_a_worker_without_a_database_says_so_in_one_line(smtp: SmtpServer) -> None:
    from tests.mailservers import free_port

    worker = start_worker(f"postgresql://echo:secret-pw@127.0.0.1:{free_port()}/echo", smtp)
    _, err = worker.communicate(timeout=60)
    assert worker.returncode == 3 and err.count("\n") == 1 and "Cannot reach PostgreSQL" in err
    assert "secret-pw" not in err and "Traceback" not in err


def test_the_healthcheck_passes_only_while_a_worker_on_this_host_reports(
    fresh_db_url: str, fresh_engine: Engine, smtp: SmtpServer
) -> None:
    env = {**os.environ, "DATABASE_URL": fresh_db_url}
    check = [sys.executable, "-m", "echo_core", "worker", "--check"]
    before = subprocess.run(check, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert before.returncode == 51 and "No worker on" in before.stderr

    worker = start_worker(fresh_db_url, smtp)
    try:
        wait_for(lambda: subprocess.run(check, cwd=PROJECT_ROOT, env=env, capture_output=True,
                                        timeout=60).returncode == 0)
    finally:
        finish(worker)
    after = subprocess.run(check, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert after.returncode == 51  # stopped on purpose: its rows say so
