"""Polling a real IMAP server (Dovecot on 127.0.0.1): each message stored once, then marked seen."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from echo_core.db.models import Email
from echo_core.errors import MailServerUnavailable
from echo_core.mail.imap import poll
from echo_core.permissions import SYSTEM_ACTOR
from tests.mailservers import Dovecot


@pytest.fixture(scope="module")
def dovecot() -> Iterator[Dovecot]:
    server = Dovecot().start()
    yield server
    server.stop()


@pytest.fixture
def mailbox(dovecot: Dovecot) -> Iterator[Dovecot]:
    yield dovecot
    conn = dovecot.connect()  # leave INBOX empty for the next test
    conn.uid("STORE", "1:*", "+FLAGS", r"(\Deleted)")
    conn.expunge()
    conn.logout()


def mail(n: int, *, sender: str = "ivy@ivy-labs.example") -> bytes:
    return (
        f"From: Ivy <{sender}>\r\nTo: agent@tandem.space\r\nSubject: Desks for {n}\r\n"
        f"Message-ID: <imap-{n}-{os.getpid()}@ivy-labs.example>\r\nDate: Tue, 03 Jun 2025 10:00:00 +0000\r\n\r\n"
        f"We need {n} desks near Caltrain.\r\n"
    ).encode()


def url(server: Dovecot) -> str:
    return f"imap://{server.user}:{server.password}@127.0.0.1:{server.port}"


def test_polling_stores_unseen_messages_once_and_marks_them_seen(session: Session, mailbox: Dovecot) -> None:
    mailbox.append(mail(1), b"no headers here, only text\r\n", mail(2))

    first = poll(session=session, url=url(mailbox), folder="INBOX", actor=SYSTEM_ACTOR)
    second = poll(session=session, url=url(mailbox), folder=None, actor=SYSTEM_ACTOR)

    assert (first.stored, first.duplicates, first.failed) == (2, 0, 1)
    assert "uid" in first.errors[0] and "no mail headers" in first.errors[0]
    assert (second.stored, second.duplicates, second.failed) == (0, 0, 0)
    flags = mailbox.flags()
    assert all(r"\Seen" in f for f in flags.values())
    assert sum(r"\Flagged" in f for f in flags.values()) == 1  # the unreadable one, for a human to look at
    subjects = session.scalars(select(Email.subject).where(Email.subject.like("Desks for %"))).all()
    assert sorted(subjects) == ["Desks for 1", "Desks for 2"]


def test_a_message_seen_again_after_a_crash_is_stored_once(session: Session, mailbox: Dovecot) -> None:
    mailbox.append(mail(3))
    poll(session=session, url=url(mailbox), folder="INBOX", actor=SYSTEM_ACTOR)
    conn = mailbox.connect()  # as if the poller died after storing but before flagging \Seen
    conn.uid("STORE", "1:*", "-FLAGS", r"(\Seen)")
    conn.logout()

    again = poll(session=session, url=url(mailbox), folder="INBOX", actor=SYSTEM_ACTOR)

    assert (again.stored, again.duplicates) == (0, 1)
    count = session.scalar(select(func.count()).select_from(Email).where(Email.subject == "Desks for 3"))
    assert count == 1


def test_a_wrong_password_is_a_readable_error_without_the_password(session: Session, mailbox: Dovecot) -> None:
    with pytest.raises(MailServerUnavailable) as caught:
        poll(session=session, url=f"imap://{mailbox.user}:not-the-password@127.0.0.1:{mailbox.port}",
             folder="INBOX", actor=SYSTEM_ACTOR)
    assert "refused the login" in str(caught.value)
    assert "not-the-password" not in str(caught.value)


def test_the_poll_command_reads_credentials_from_the_environment(fresh_db_url: str, mailbox: Dovecot) -> None:
    mailbox.append(mail(4), mail(5))
    env = {**os.environ, "DATABASE_URL": fresh_db_url, "ECHO_IMAP_USER": mailbox.user,
           "ECHO_IMAP_PASSWORD": mailbox.password}
    command = [sys.executable, "-m", "echo_core", "mail", "poll", "--imap", f"imap://127.0.0.1:{mailbox.port}"]

    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().startswith("2 stored, 0 duplicates, 0 failed")
    assert mailbox.password not in result.stdout + result.stderr
