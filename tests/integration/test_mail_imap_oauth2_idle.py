"""Real mailboxes: XOAUTH2 sign-in (Dovecot's oauth2 passdb asking a local introspection server),
`poll_loop` with IMAP IDLE, its interval fallback, reconnection after a dropped connection, and a clean stop."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from echo_core.config import reload_settings
from echo_core.db.models import Email
from echo_core.errors import MailConfigInvalid, MailServerUnavailable
from echo_core.mail.imap import LoopEvent, poll, poll_loop
from echo_core.permissions import SYSTEM_ACTOR
from tests.mailservers import Dovecot, TcpProxy, TokenServer

TOKEN = "ya29.test-access-token-7f3a"  # shaped like Google's; valid only on the local introspection server


@pytest.fixture(scope="module")
def tokens() -> Iterator[TokenServer]:
    server = TokenServer({TOKEN: Dovecot.user})
    yield server
    server.stop()


@pytest.fixture(scope="module")
def dovecot(tokens: TokenServer) -> Iterator[Dovecot]:
    server = Dovecot(oauth2_introspection_url=tokens.url).start()
    yield server
    server.stop()


@pytest.fixture
def mailbox(dovecot: Dovecot, tokens: TokenServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[Dovecot]:
    tokens.calls.clear()
    monkeypatch.setenv("ECHO_IMAP_USER", dovecot.user)
    reload_settings()
    yield dovecot
    monkeypatch.undo()
    reload_settings()
    conn = dovecot.connect()  # leave INBOX empty for the next test
    conn.uid("STORE", "1:*", "+FLAGS", r"(\Deleted)")
    conn.expunge()
    conn.logout()


def mail(n: int) -> bytes:
    return (f"From: Ivy <ivy@ivy-labs.example>\r\nTo: agent@tandem.space\r\nSubject: Loop {n}\r\n"
            f"Message-ID: <loop-{n}-{os.getpid()}@ivy-labs.example>\r\n\r\nDesks for {n}?\r\n").encode()


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.05)


def stored(engine: Engine, subject: str) -> int:
    with Session(engine) as s:
        return int(s.scalar(select(func.count()).select_from(Email).where(Email.subject == subject)) or 0)


def use_token(monkeypatch: pytest.MonkeyPatch, **env: str) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    reload_settings()


def test_polling_signs_in_with_a_token_printed_by_the_token_command(
    session: Session, mailbox: Dovecot, tokens: TokenServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_token(monkeypatch, ECHO_IMAP_OAUTH2_TOKEN_CMD=f"{sys.executable} -c \"print('{TOKEN}')\"")
    mailbox.append(mail(1))

    report = poll(session=session, url=f"imap://127.0.0.1:{mailbox.port}", folder=None, actor=SYSTEM_ACTOR)

    assert (report.stored, report.failed) == (1, 0)
    assert tokens.calls == [TOKEN]  # one XOAUTH2 sign-in, checked once by the server


def test_a_refused_token_is_a_readable_error_that_does_not_show_the_token(
    session: Session, mailbox: Dovecot, tokens: TokenServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_token(monkeypatch, ECHO_IMAP_OAUTH2_TOKEN="expired-token-0000")

    with pytest.raises(MailServerUnavailable) as caught:
        poll(session=session, url=f"imap://127.0.0.1:{mailbox.port}", folder=None, actor=SYSTEM_ACTOR)

    assert "refused the OAuth2 token (XOAUTH2)" in str(caught.value)
    assert "expired-token-0000" not in str(caught.value)
    assert tokens.calls == ["expired-token-0000"]


def test_a_failing_token_command_is_named_in_one_line(
    session: Session, mailbox: Dovecot, tokens: TokenServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_token(monkeypatch, ECHO_IMAP_OAUTH2_TOKEN_CMD=f"{sys.executable} -c \"import sys; sys.exit(3)\"")

    with pytest.raises(MailConfigInvalid) as caught:
        poll(session=session, url=f"imap://127.0.0.1:{mailbox.port}", folder=None, actor=SYSTEM_ACTOR)

    assert str(caught.value).startswith("ECHO_IMAP_OAUTH2_TOKEN_CMD exited with status 3")
    assert "\n" not in str(caught.value) and tokens.calls == []


class Loop:
    """poll_loop in a thread, its events recorded."""

    def __init__(self, engine: Engine, port: int, **options: object) -> None:
        self.events: list[LoopEvent] = []
        self.stop = threading.Event()
        kwargs = {"engine": engine, "url": f"imap://127.0.0.1:{port}", "folder": None, "actor": SYSTEM_ACTOR,
                  "stop": self.stop, "on_event": self.events.append, **options}
        self.thread = threading.Thread(target=poll_loop, kwargs=kwargs, daemon=True)
        self.thread.start()

    def kinds(self, kind: str) -> list[LoopEvent]:
        return [e for e in list(self.events) if e.kind == kind]

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=30)
        assert not self.thread.is_alive(), "the loop did not stop"
        assert self.events[-1].kind == "stopped"


def test_the_loop_stores_new_mail_when_idle_announces_it(
    fresh_engine: Engine, mailbox: Dovecot, tokens: TokenServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_token(monkeypatch, ECHO_IMAP_OAUTH2_TOKEN=TOKEN)
    loop = Loop(fresh_engine, mailbox.port, interval=3600)  # only IDLE can wake it within the test
    try:
        wait_for(lambda: bool(loop.kinds("connected")), "the first connection")
        mailbox.append(mail(2))
        wait_for(lambda: stored(fresh_engine, "Loop 2") == 1, "the message announced by IDLE to be stored")
        mailbox.append(mail(3))
        wait_for(lambda: stored(fresh_engine, "Loop 3") == 1, "a second message in the same IDLE session")
    finally:
        loop.close()
    assert [e.detail.split(": ", 1)[1] for e in loop.kinds("connected")] == ["IDLE"]
    assert [e.report.stored for e in loop.kinds("stored") if e.report] == [1, 1]
    assert tokens.calls == [TOKEN] and not loop.kinds("error")


def test_the_loop_reconnects_after_the_connection_drops_and_misses_nothing(
    fresh_engine: Engine, mailbox: Dovecot, tokens: TokenServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_token(monkeypatch, ECHO_IMAP_OAUTH2_TOKEN_CMD=f"{sys.executable} -c \"print('{TOKEN}')\"")
    proxy = TcpProxy(mailbox.port)
    loop = Loop(fresh_engine, proxy.port, interval=3600)
    try:
        wait_for(lambda: bool(loop.kinds("connected")), "the first connection")
        proxy.drop()  # the network goes away mid-IDLE
        mailbox.append(mail(4))  # arrives while the loop is disconnected
        wait_for(lambda: len(loop.kinds("connected")) == 2, "the reconnection")
        wait_for(lambda: stored(fresh_engine, "Loop 4") == 1, "the message that arrived during the outage")
    finally:
        loop.close()
        proxy.stop()
    assert proxy.connections == 2
    assert len(loop.kinds("error")) == 1 and "dropped" in loop.kinds("error")[0].detail
    assert tokens.calls == [TOKEN, TOKEN]  # the token command ran again for the new connection


def test_without_idle_the_loop_polls_at_the_interval(
    fresh_engine: Engine, mailbox: Dovecot, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_token(monkeypatch, ECHO_IMAP_PASSWORD=mailbox.password)  # password login is kept
    proxy = TcpProxy(mailbox.port, hide_idle=True)
    loop = Loop(fresh_engine, proxy.port, interval=0.2)
    try:
        wait_for(lambda: bool(loop.kinds("connected")), "the first connection")
        mailbox.append(mail(5))
        wait_for(lambda: stored(fresh_engine, "Loop 5") == 1, "the message found by the next poll")
    finally:
        loop.close()
        proxy.stop()
    assert loop.kinds("connected")[0].detail.endswith("polling every 0.2 s")


def test_a_bad_configuration_stops_the_loop_at_once(fresh_engine: Engine, mailbox: Dovecot) -> None:
    with pytest.raises(MailConfigInvalid, match="No IMAP credentials"):
        poll_loop(engine=fresh_engine, url=f"imap://127.0.0.1:{mailbox.port}", folder=None, actor=SYSTEM_ACTOR,
                  stop=threading.Event())


def test_the_loop_command_stores_mail_and_stops_cleanly_on_sigterm(fresh_db_url: str, mailbox: Dovecot) -> None:
    env = {**os.environ, "DATABASE_URL": fresh_db_url, "ECHO_IMAP_USER": mailbox.user, "ECHO_IMAP_OAUTH2_TOKEN": TOKEN}
    command = [sys.executable, "-m", "echo_core", "mail", "poll", "--loop", "--imap", f"imap://127.0.0.1:{mailbox.port}"]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout is not None
    try:
        lines = [process.stdout.readline()]
        assert "connected: " in lines[0] and lines[0].rstrip().endswith("IDLE"), lines
        mailbox.append(mail(6))
        lines.append(process.stdout.readline())
        assert "stored: 1 stored, 0 duplicates, 0 failed" in lines[1], lines
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert out.strip().endswith("stopped: stopped cleanly")
    assert TOKEN not in out + err and "Traceback" not in err
