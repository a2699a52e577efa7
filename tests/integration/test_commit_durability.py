"""Which writes commit without waiting for the disk: presence and the "opened" mark only, never a draft action."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event, text
from sqlalchemy.orm import Session

from echo_core import presence
from echo_core.db.durability import commit_without_flush_wait
from echo_core.permissions import Actor, Role
from echo_core.services import draft_review, drafts
from tests.factories import make_draft, make_user

BROKER = Actor("dur.broker@tandem.space", Role.BROKER)
NO_WAIT = "synchronous_commit to off"


@contextmanager
def statements(session: Session) -> Iterator[list[str]]:
    seen: list[str] = []

    def note(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        seen.append(" ".join(statement.lower().split()))

    bind = session.connection().engine
    event.listen(bind, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(bind, "before_cursor_execute", note)


def test_the_setting_holds_for_the_transaction_alone(session: Session) -> None:
    session.execute(text("SAVEPOINT probe"))
    commit_without_flush_wait(session)
    assert session.scalar(text("SHOW synchronous_commit")) == "off"
    session.rollback()
    assert session.scalar(text("SHOW synchronous_commit")) == "on"


def test_presence_beats_and_leaving_do_not_wait_for_the_disk(session: Session) -> None:
    make_user(session, email=BROKER.email)
    draft = make_draft(session)
    with statements(session) as seen:
        presence.heartbeat(session=session, draft_id=draft.id, actor=BROKER)
        presence.leave(session=session, draft_id=draft.id, actor=BROKER)
    assert sum(NO_WAIT in s for s in seen) == 2


def test_the_opened_mark_does_not_wait_but_an_edit_does(session: Session) -> None:
    make_user(session, email=BROKER.email)
    draft = make_draft(session)
    with statements(session) as seen:
        assert drafts.record_opened(session=session, draft_id=draft.id, actor=BROKER)
    assert any(NO_WAIT in s for s in seen)
    with statements(session) as seen:
        draft_review.edit(session=session, draft_id=draft.id, actor=BROKER, body="Hello there, edited.",
                         expected_lock_version=draft.lock_version)
    assert not any(NO_WAIT in s for s in seen)
