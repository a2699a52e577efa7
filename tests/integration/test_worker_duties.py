"""The worker's duties in-process on a real PostgreSQL: delivery, auto-drafting, IMAP polling, heartbeats, and
a failing duty that never stops the others."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from echo_core.config import Settings
from echo_core.db.models import EmailDraft, Outbox
from echo_core.permissions import Actor
from echo_core.queries.monitoring import snapshot
from echo_core.services.drafts import send
from echo_core.worker.duties import Context, DeliverDuty, DraftDuty, ImapDuty, PeriodicDuty
from echo_core.worker.heartbeat import Heartbeat, Pass
from echo_core.worker.runner import Worker, duties_for
from tests.factories import make_deal, make_draft, make_email
from tests.mailservers import Dovecot

BROKER = Actor("broker@tandem.space")


@pytest.fixture
def ctx(fresh_engine: Engine, tmp_path: Path) -> Iterator[Context]:
    settings = Settings(ECHO_DATA_DIR=str(tmp_path), ECHO_MAIL_RETRY_BASE_SECONDS="0",
                        ECHO_WORKER_DELIVER_SECONDS="0.2", ECHO_WORKER_DRAFT_SECONDS="0.2", ECHO_AUTO_DRAFT="true",
                        ECHO_PROVIDER="offline")
    yield Context(engine=fresh_engine, owner=fresh_engine, settings=settings, worker="test:1:abc",
                  stop=threading.Event())


def sent_reply(engine: Engine, n: int = 1) -> int:
    with Session(engine, expire_on_commit=False) as s:
        deal = make_deal(s, seeker_email=f"sam{n}@seeker.example")
        inbound = make_email(s, deal=deal, message_id=f"<w{n}-{os.getpid()}@seeker.example>")
        draft = make_draft(s, deal=deal, inbound=inbound, status="approved", body=f"Yes, parking is $250 ({n}).")
        return send(session=s, draft_id=draft.id, actor=BROKER).id


def outbox_status(engine: Engine, draft_id: int) -> str:
    with Session(engine) as s:
        return str(s.scalar(select(Outbox.status).where(Outbox.draft_id == draft_id)))


def heartbeats(engine: Engine) -> list[dict[str, object]]:
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(text("SELECT * FROM worker_heartbeats ORDER BY duty")).mappings()]


def test_the_deliver_duty_writes_the_reply_as_an_eml_and_marks_it_delivered(ctx: Context) -> None:
    draft_id = sent_reply(ctx.engine)

    result = DeliverDuty(ctx.settings).run_once(ctx)

    assert (result.done, result.failed) == (1, 0)
    assert outbox_status(ctx.engine, draft_id) == "delivered"
    [eml] = (ctx.settings.data_dir / "outbox").glob("*.eml")
    assert "Yes, parking is $250 (1)." in eml.read_text()


def test_a_heartbeat_row_says_when_the_duty_ran_what_it_did_and_its_last_error(ctx: Context) -> None:
    beat = Heartbeat(ctx.engine, worker=ctx.worker, duty="deliver", interval=1)
    assert beat.record(Pass(done=2, failed=1, errors=["outbox 7: 451 try later"]))
    assert beat.record(None, "Cannot reach the SMTP server")

    [row] = heartbeats(ctx.engine)
    assert (row["items_done"], row["items_failed"], row["runs"]) == (2, 1, 2)
    assert row["last_error"] == "Cannot reach the SMTP server" and row["last_error_at"] > row["last_ok_at"]
    assert [e["error"] for e in row["recent_errors"]] == ["outbox 7: 451 try later"]  # type: ignore[attr-defined]
    assert row["interval_seconds"] == 10  # it promises a beat at least every 10 s

    assert beat.record(Pass())  # working again: said at once
    assert not beat.record(Pass())  # nothing new within BEAT_SECONDS: no write
    [row] = heartbeats(ctx.engine)
    assert row["last_ok_at"] > row["last_error_at"] and row["runs"] == 3

    beat.stopped()
    assert heartbeats(ctx.engine)[0]["stopped_at"] is not None


class Boom(PeriodicDuty):
    name = "boom"
    interval = 0.1

    def run_once(self, ctx: Context) -> Pass:
        raise RuntimeError("the disk is on fire")


def test_a_failing_duty_records_its_error_and_the_others_go_on(ctx: Context) -> None:
    lines: list[str] = []
    worker = Worker(ctx, [Boom(), DeliverDuty(ctx.settings)], out=lines.append)
    runner = threading.Thread(target=worker.run)
    runner.start()
    try:
        draft_id = sent_reply(ctx.engine)
        deadline = threading.Event()
        for _ in range(100):
            if outbox_status(ctx.engine, draft_id) == "delivered":
                break
            deadline.wait(0.1)
    finally:
        ctx.stop.set()
        runner.join(30)

    assert outbox_status(ctx.engine, draft_id) == "delivered"
    rows = {r["duty"]: r for r in heartbeats(ctx.engine)}
    assert rows["boom"]["last_error"] == "RuntimeError: the disk is on fire"
    assert rows["deliver"]["items_done"] == 1 and rows["deliver"]["last_error"] is None
    assert all(r["stopped_at"] is not None for r in rows.values())  # a clean stop marks them
    said = "\n".join(lines)
    assert said.count("boom: RuntimeError: the disk is on fire") == 1  # said once, not every pass
    assert "deliver: 1 done, 0 failed" in said and "Traceback" not in said and said.endswith("stopped")


def test_the_configuration_decides_which_duties_run(tmp_path: Path) -> None:
    duties, off = duties_for(Settings(ECHO_DATA_DIR=str(tmp_path)))
    assert [d.name for d in duties] == ["deliver", "backup"]
    assert off == ["imap: off (set ECHO_IMAP_URL to poll a mailbox)", "draft: off (ECHO_AUTO_DRAFT is off)"]
    duties, off = duties_for(Settings(ECHO_IMAP_URL="imap://h", ECHO_AUTO_DRAFT="true", ECHO_BACKUP_ENABLED="false"),
                             only={"imap", "draft", "backup"})
    assert [d.name for d in duties] == ["imap", "draft"] and off == ["backup: off (ECHO_BACKUP_ENABLED is off)"]


def drafts_for(engine: Engine, email_id: int) -> int:
    with Session(engine) as s:
        return int(s.scalar(select(func.count()).where(EmailDraft.inbound_email_id == email_id)) or 0)


def inbound(engine: Engine, n: int, **overrides: object) -> int:
    with Session(engine) as s:
        deal = make_deal(s, seeker_email=f"ivy{n}@seeker.example")
        email = make_email(s, deal=deal, subject="Parking?", body="Is there parking?", **overrides)
        s.commit()
        return email.id


def test_auto_drafting_drafts_new_mail_only_not_the_history(ctx: Context) -> None:
    old = inbound(ctx.engine, 0)
    duty = DraftDuty(ctx.settings, grace_seconds=0)
    assert duty.run_once(ctx).done == 0  # the first pass only marks where "new" starts

    new = inbound(ctx.engine, 1)
    ours = inbound(ctx.engine, 2, from_addr="agent@tandem.space", ai_generated=True)
    result = duty.run_once(ctx)

    assert (result.done, result.failed) == (1, 0)
    assert drafts_for(ctx.engine, new) == 1 and drafts_for(ctx.engine, old) == 0 and drafts_for(ctx.engine, ours) == 0
    assert duty.run_once(ctx).done == 0  # drafted once


def test_auto_drafting_waits_for_the_grace_period_so_inline_drafting_is_never_raced(ctx: Context) -> None:
    duty = DraftDuty(ctx.settings, grace_seconds=3600)
    duty.run_once(ctx)
    new = inbound(ctx.engine, 1)

    assert duty.run_once(ctx).done == 0 and drafts_for(ctx.engine, new) == 0
    with ctx.engine.connect() as conn:  # the shared cursor stays before the email, so no worker skips it
        assert conn.scalar(text("SELECT position FROM worker_cursors WHERE name = 'auto-draft'")) < new


def test_two_workers_auto_drafting_at_once_draft_each_email_once(ctx: Context) -> None:
    DraftDuty(ctx.settings, grace_seconds=0).run_once(ctx)
    emails = [inbound(ctx.engine, n) for n in range(1, 13)]
    start = threading.Barrier(3)

    def work() -> None:
        duty = DraftDuty(ctx.settings, grace_seconds=0)
        start.wait()
        duty.run_once(ctx)

    threads = [threading.Thread(target=work) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)

    assert [drafts_for(ctx.engine, e) for e in emails] == [1] * len(emails)


@pytest.fixture(scope="module")
def dovecot() -> Iterator[Dovecot]:
    server = Dovecot().start()
    yield server
    server.stop()


def test_the_imap_duty_stores_new_mail_and_counts_ingest_failures_for_monitoring(ctx: Context,
                                                                                dovecot: Dovecot) -> None:
    good = (f"From: Ivy <ivy@ivy-labs.example>\r\nTo: agent@tandem.space\r\nSubject: Desks\r\nMessage-ID: "
            f"<duty-{os.getpid()}@ivy-labs.example>\r\nDate: Tue, 03 Jun 2025 10:00:00 +0000\r\n\r\nTen desks?\r\n")
    dovecot.append(good.encode(), b"no headers here, only text\r\n")
    settings = Settings(ECHO_IMAP_URL=f"imap://{dovecot.user}:{dovecot.password}@127.0.0.1:{dovecot.port}",
                        ECHO_AUTO_DRAFT="false")
    lines: list[str] = []
    worker = Worker(Context(ctx.engine, ctx.engine, settings, ctx.worker, ctx.stop), [ImapDuty(settings)],
                    out=lines.append)
    duty = worker.duties[0]
    beat = Heartbeat(ctx.engine, worker=ctx.worker, duty="imap", interval=60)

    result = duty.run_once(worker.ctx)  # type: ignore[attr-defined]
    beat.record(result)

    assert (result.done, result.failed) == (1, 1) and "uid" in result.errors[0]
    ingest = snapshot(ctx.engine).ingest
    assert ingest["polling"] and (ingest["stored"], ingest["failed"]) == (1, 1)
    assert "uid" in ingest["recent"][0]["error"]
    assert duty.run_once(worker.ctx).done == 0  # type: ignore[attr-defined]  # seen: not fetched again


def test_the_imap_duty_watches_the_mailbox_with_idle_and_reports_each_pass_while_nothing_arrives(
        ctx: Context, dovecot: Dovecot) -> None:
    settings = Settings(ECHO_IMAP_URL=f"imap://{dovecot.user}:{dovecot.password}@127.0.0.1:{dovecot.port}",
                        ECHO_AUTO_DRAFT="false", ECHO_WORKER_POLL_SECONDS="1")
    reports: list[tuple[Pass | None, str | None]] = []
    duty = ImapDuty(settings)
    watcher = threading.Thread(target=duty.run_forever, args=(Context(ctx.engine, ctx.engine, settings, ctx.worker,
                                                                       ctx.stop), lambda p, e: reports.append((p, e))),
                               daemon=True)
    watcher.start()
    try:
        marker = f"<idle-{os.getpid()}@ivy-labs.example>"
        dovecot.append((f"From: Ivy <ivy@ivy-labs.example>\r\nTo: agent@tandem.space\r\nSubject: Idle\r\n"
                        f"Message-ID: {marker}\r\nDate: Tue, 03 Jun 2025 10:00:00 +0000\r\n\r\n"
                        "Any desks?\r\n").encode())
        for _ in range(100):  # IDLE wakes on the new message; give a loaded machine up to 20 s
            if any(p is not None and p.done for p, _ in reports):
                break
            ctx.stop.wait(0.2)
        passes_then = len(reports)
        ctx.stop.wait(3.5)  # nothing new arrives: IDLE is renewed every second and each pass is reported
        passes_later = len(reports)
    finally:
        ctx.stop.set()
        watcher.join(30)
    with ctx.engine.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM emails WHERE message_id = :m"), {"m": marker}) == 1
    assert passes_later > passes_then
    assert all(error is None for _, error in reports)
    assert not watcher.is_alive()
