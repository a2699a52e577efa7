"""ai_metadata.timeSaved on every sent reply: a stated by-hand model, and the measured review time."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from echo_core.config import reload_settings
from echo_core.db.models import DraftEvent, Email
from echo_core.permissions import Actor
from echo_core.services import drafts
from echo_core.services.time_saved import traditional_minutes, words
from tests.factories import make_deal, make_draft, make_email

BROKER = Actor("broker@tandem.space")
T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
# No figures: these tests are about the clock, not the fact check (the deal has no linked space).
BODY = "Hi Ana, thanks for the note. I'll confirm the details with the host and get back to you. Best, Sam"


@pytest.fixture(autouse=True)
def _speeds(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("ECHO_TIME_SAVED_READ_WPM", "100")
    monkeypatch.setenv("ECHO_TIME_SAVED_WRITE_WPM", "10")
    reload_settings()
    yield
    monkeypatch.undo()
    reload_settings()


def _draft(session: Session, *, thread: list[str]):  # type: ignore[no-untyped-def]
    deal = make_deal(session, seeker_name="Ana Silva")
    inbound = None
    for i, body in enumerate(thread):
        inbound = make_email(session, deal=deal, body=body, sent_at=T0 - timedelta(days=len(thread) - i))
    draft = make_draft(session, deal=deal, inbound=inbound, body=BODY)
    draft.created_at = T0
    session.flush()
    return draft


def _event(session: Session, draft_id: int, action: str, at: datetime) -> None:
    session.add(DraftEvent(draft_id=draft_id, actor=BROKER.email, action=action, from_status="pending",
                           to_status="pending", details={}, created_at=at))
    session.flush()


def _send(session: Session, draft_id: int, *, at: datetime) -> dict[str, float]:
    drafts.approve(session=session, draft_id=draft_id, actor=BROKER, now=at - timedelta(minutes=1))
    sent = drafts.send(session=session, draft_id=draft_id, actor=BROKER, now=at)
    email = session.get(Email, sent.sent_email_id)
    assert email is not None and email.ai_metadata is not None
    return dict(email.ai_metadata["timeSaved"])


def test_the_by_hand_model_reads_the_thread_and_writes_the_sent_text_at_the_stated_speeds() -> None:
    thread = ["one two three four five " * 20, "six seven eight nine ten " * 20]  # 200 words
    assert words(BODY) == 20
    # 200 words read at 100 wpm (2 min) + 20 words written at 10 wpm (2 min)
    assert traditional_minutes(thread, BODY) == pytest.approx(4.0)


def test_quoted_history_is_not_read_twice() -> None:
    fresh = traditional_minutes(["Is there parking?"], "")
    quoted = traditional_minutes(["Is there parking?\n\nOn Mon, Sam wrote:\n> " + "old words " * 100], "")
    assert fresh == quoted


def test_a_sent_reply_records_time_from_the_first_opening_to_the_send(session: Session) -> None:
    draft = _draft(session, thread=["Is the space dog friendly? " * 10])
    _event(session, draft.id, "opened", T0 + timedelta(hours=2))
    _event(session, draft.id, "opened", T0 + timedelta(hours=3))  # opened again later: the first one counts
    _event(session, draft.id, "edit", T0 + timedelta(hours=2, minutes=1))
    saved = _send(session, draft.id, at=T0 + timedelta(hours=2, minutes=4))
    assert saved["withAI"] == pytest.approx(4.0)
    assert saved["traditional"] == pytest.approx(round(50 / 100 + words(BODY) / 10, 1))


def test_a_draft_never_opened_counts_from_its_first_broker_event(session: Session) -> None:
    draft = _draft(session, thread=["Is there parking?"])
    _event(session, draft.id, "validate", T0 + timedelta(minutes=5))  # a re-check is not someone reviewing it
    _event(session, draft.id, "edit", T0 + timedelta(minutes=30))
    saved = _send(session, draft.id, at=T0 + timedelta(minutes=36))
    assert saved["withAI"] == pytest.approx(6.0)


def test_a_draft_with_no_broker_event_before_approval_counts_from_the_approval(session: Session) -> None:
    draft = _draft(session, thread=["Is there parking?"])
    saved = _send(session, draft.id, at=T0 + timedelta(minutes=50))
    assert saved["withAI"] == pytest.approx(1.0)  # approved one minute before the send


def test_the_analytics_rollup_sums_the_time_saved(session: Session) -> None:
    from echo_core.permissions import Role
    from echo_core.queries.analytics import kpis

    draft = _draft(session, thread=["Is there parking?"])
    _event(session, draft.id, "opened", T0 + timedelta(minutes=10))
    saved = _send(session, draft.id, at=T0 + timedelta(minutes=12))
    day = T0.date()
    figures = kpis(session.connection(), start=day, end=day + timedelta(days=1),
                   actor=Actor("lead@tandem.space", Role.LEAD))
    assert figures.time_saved_emails >= 1
    assert figures.time_saved_minutes is not None
    assert figures.time_saved_minutes >= saved["traditional"] - saved["withAI"] - 1e-6


def test_every_reply_the_demo_seed_sends_carries_its_time_saved(session: Session) -> None:
    from sqlalchemy import select

    from echo_core.db.models import EmailDraft
    from echo_core.demo.seed import seed_demo

    seed_demo(session)
    sent = session.scalars(select(Email).join(EmailDraft, EmailDraft.sent_email_id == Email.id)).all()
    assert sent
    for email in sent:
        saved = (email.ai_metadata or {}).get("timeSaved")
        assert saved and saved["traditional"] > 0 and saved["withAI"] >= 0, email.id
