"""Concurrency against a real, committed database: exactly-once sends, racing editors, a killed send.

Every race is made real, not hoped for: the test holds the draft's row lock while the
contenders start, waits until all of them are queued on it in PostgreSQL, then lets go.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from echo_core.db.engine import make_engine
from echo_core.errors import AlreadySent, StaleDraft
from echo_core.generation import pipeline
from echo_core.permissions import Actor
from echo_core.services import drafts
from tests.factories import ensure_accounts, make_deal, make_draft, make_email, make_user

ROOT = Path(__file__).resolve().parents[2]
BROKER = Actor("broker@tandem.space")


def committed_draft(engine: Engine, **overrides: Any) -> int:
    with Session(engine) as session:
        ensure_accounts(session, [(BROKER.email, "broker"), ("other@tandem.space", "broker")])  # acting accounts
        deal = make_deal(session)
        draft = make_draft(session, deal=deal, inbound=make_email(session, deal=deal), **overrides)
        session.commit()
        return draft.id


def lock_waiters(engine: Engine) -> list[tuple[int, str]]:
    """Backends of this database waiting for a lock, with their statements."""
    sql = text(
        "SELECT pid, query FROM pg_stat_activity WHERE datname = current_database() "
        "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
    )
    # A fresh autocommit connection each time: pg_stat_activity is a per-transaction snapshot.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        return [(row.pid, row.query) for row in conn.execute(sql)]


def wait_for_waiters(engine: Engine, count: int, *, timeout: float = 90.0) -> list[tuple[int, str]]:
    deadline = time.monotonic() + timeout
    while len(waiting := lock_waiters(engine)) < count:
        if time.monotonic() > deadline:
            raise AssertionError(f"only {len(waiting)} of {count} contenders reached the lock")
        time.sleep(0.05)
    return waiting


@contextmanager
def row_locked(engine: Engine, draft_id: int) -> Iterator[Connection]:
    """Hold the draft's row lock (as a slow competitor would) until the block ends."""
    with engine.connect() as conn, conn.begin():
        conn.execute(text("SELECT id FROM email_drafts WHERE id = :id FOR UPDATE"), {"id": draft_id})
        yield conn


def outcome_counts(engine: Engine, draft_id: int) -> dict[str, Any]:
    sql = text(
        """
        SELECT d.status, d.sent_email_id, d.lock_version,
               (SELECT count(*) FROM emails e WHERE e.deal_id = d.deal_id AND e.ai_generated) AS replies,
               (SELECT count(*) FROM draft_events ev WHERE ev.draft_id = d.id AND ev.action = 'send') AS sends,
               (SELECT max(e.id) FROM emails e WHERE e.deal_id = d.deal_id AND e.ai_generated) AS reply_id
        FROM email_drafts d WHERE d.id = :id
        """
    )
    with engine.connect() as conn:
        return dict(conn.execute(sql, {"id": draft_id}).mappings().one())


def test_twenty_threads_sending_one_draft_produce_exactly_one_email(fresh_db_url: str) -> None:
    engine = make_engine(fresh_db_url, pool_size=22, max_overflow=0)
    try:
        draft_id = committed_draft(engine, status="approved")

        def send() -> str:
            with Session(engine) as session:
                try:
                    drafts.send(session=session, draft_id=draft_id, actor=BROKER)
                    return "sent"
                except AlreadySent:
                    return "already sent"

        with row_locked(engine, draft_id):
            results: list[str] = []
            threads = [threading.Thread(target=lambda: results.append(_safely(send))) for _ in range(20)]
            for thread in threads:
                thread.start()
            wait_for_waiters(engine, 20)
        for thread in threads:
            thread.join(timeout=120)

        assert sorted(results) == ["already sent"] * 19 + ["sent"]
        outcome = outcome_counts(engine, draft_id)
        assert (outcome["status"], outcome["replies"], outcome["sends"]) == ("sent", 1, 1)
        assert outcome["sent_email_id"] == outcome["reply_id"]
    finally:
        engine.dispose()


def _safely(work: Callable[[], str]) -> str:
    try:
        return work()
    except Exception as error:  # noqa: BLE001 - the assertion names any surprise
        return f"{type(error).__name__}: {error}"


def cli_env(database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "OPENAI_API_KEY"}
    env.update({"DATABASE_URL": database_url, "ECHO_PROVIDER": "offline", "PYTHONPATH": str(ROOT)})
    return env


def test_eight_processes_sending_one_draft_produce_exactly_one_email(fresh_db_url: str, fresh_engine: Engine) -> None:
    draft_id = committed_draft(fresh_engine, status="approved")
    with Session(fresh_engine) as session:  # --by must name an active account
        make_user(session, email=BROKER.email, role="broker")
        session.commit()
    command = [sys.executable, "-m", "echo_core", "drafts", "send", str(draft_id), "--by", BROKER.email]
    with row_locked(fresh_engine, draft_id):
        processes = [
            subprocess.Popen(command, cwd=ROOT, env=cli_env(fresh_db_url), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
            for _ in range(8)
        ]
        try:
            wait_for_waiters(fresh_engine, 8)
        except AssertionError:
            for process in processes:
                process.kill()
            raise
    finished = [(p.wait(timeout=120), *p.communicate()) for p in processes]

    codes = sorted(code for code, _, _ in finished)
    assert codes == [0] + [12] * 7, [err for _, _, err in finished]
    for code, out, err in finished:
        if code == 12:
            assert err.count("\n") == 1 and "already been sent" in err and "Traceback" not in err
        else:
            assert f"draft {draft_id}: sent" in out
    outcome = outcome_counts(fresh_engine, draft_id)
    assert (outcome["status"], outcome["replies"], outcome["sends"]) == ("sent", 1, 1)


def test_a_send_killed_mid_transaction_leaves_nothing_and_a_retry_sends_once(fresh_engine: Engine) -> None:
    draft_id = committed_draft(fresh_engine, status="approved")
    before = outcome_counts(fresh_engine, draft_id)
    errors: list[BaseException] = []

    def send() -> None:
        with Session(fresh_engine) as session:
            try:
                drafts.send(session=session, draft_id=draft_id, actor=BROKER)
            except BaseException as error:  # noqa: BLE001 - inspected below
                errors.append(error)

    # Hold the audit table so the send blocks on its last statement, after the email
    # row and the draft update are already written inside its transaction.
    with fresh_engine.connect() as blocker, blocker.begin():
        blocker.execute(text("LOCK TABLE draft_events IN SHARE MODE"))
        sender = threading.Thread(target=send)
        sender.start()
        [(pid, query)] = wait_for_waiters(fresh_engine, 1)
        assert "draft_events" in query
        with fresh_engine.connect() as killer:
            assert killer.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar_one()
        sender.join(timeout=60)

    assert len(errors) == 1 and isinstance(errors[0], DBAPIError)
    assert outcome_counts(fresh_engine, draft_id) == before  # none of the send happened
    assert (before["status"], before["replies"], before["sends"]) == ("approved", 0, 0)

    with Session(fresh_engine) as session:
        drafts.send(session=session, draft_id=draft_id, actor=BROKER)
    after = outcome_counts(fresh_engine, draft_id)
    assert (after["status"], after["replies"], after["sends"]) == ("sent", 1, 1)


def test_two_editors_racing_one_wins_and_the_other_is_told_to_reload(fresh_engine: Engine) -> None:
    draft_id = committed_draft(fresh_engine)
    with Session(fresh_engine) as session:
        read_version = session.execute(
            text("SELECT lock_version FROM email_drafts WHERE id = :id"), {"id": draft_id}
        ).scalar_one()

    def editor(body: str) -> Callable[[], str]:
        def edit() -> str:
            with Session(fresh_engine) as session:
                try:
                    drafts.edit(session=session, draft_id=draft_id, actor=BROKER, body=body,
                                expected_lock_version=read_version)
                    return f"saved {body}"
                except StaleDraft:
                    return "stale"
        return edit

    results: list[str] = []
    with row_locked(fresh_engine, draft_id):
        editors = [editor("A"), editor("B")]
        threads = [threading.Thread(target=lambda e=e: results.append(_safely(e))) for e in editors]
        for thread in threads:
            thread.start()
        wait_for_waiters(fresh_engine, 2)
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(results) in (["saved A", "stale"], ["saved B", "stale"])
    winner = results[0] if results[0] != "stale" else results[1]
    with fresh_engine.connect() as conn:
        row = conn.execute(text("SELECT final_body, lock_version FROM email_drafts WHERE id = :id"),
                           {"id": draft_id}).one()
        edits = conn.execute(text("SELECT count(*) FROM draft_events WHERE draft_id = :id"), {"id": draft_id})
        assert (row.final_body, row.lock_version, edits.scalar_one()) == (winner.removeprefix("saved "),
                                                                          read_version + 1, 1)


def test_an_edit_saved_while_the_model_refines_makes_the_refinement_stale(
    fresh_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    draft_id = committed_draft(fresh_engine)
    real_generate = pipeline.generate_reply

    def generate_while_someone_edits(*args: Any, **kwargs: Any) -> Any:
        with Session(fresh_engine) as other:
            drafts.edit(session=other, draft_id=draft_id, actor=Actor("other@tandem.space"), body="Their text.")
        return real_generate(*args, **kwargs)

    monkeypatch.setattr(pipeline, "generate_reply", generate_while_someone_edits)
    with Session(fresh_engine) as session, pytest.raises(StaleDraft):
        drafts.refine(session=session, draft_id=draft_id, actor=BROKER, prompt="Warmer")
    with fresh_engine.connect() as conn:
        row = conn.execute(text("SELECT final_body, current_version, regeneration_count FROM email_drafts "
                                "WHERE id = :id"), {"id": draft_id}).one()
    assert tuple(row) == ("Their text.", 1, 0)  # their hand edit is version 1; no refinement was stored
