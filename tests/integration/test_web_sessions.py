"""Web sessions against the database: the handoff, the checks on every run, and every way a session ends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from echo_core import web_sessions
from echo_core.db.models import WebSession
from echo_core.errors import NoActiveAccount
from echo_core.permissions import Actor, Role
from echo_core.services import accounts
from echo_core.web_sessions import SessionEnded
from tests.factories import make_user

NOW = datetime.now(UTC).replace(microsecond=0)
LEAD = Actor("lead.ws@tandem.space", Role.LEAD)


def signed_in(session: Session, email: str = "ws.broker@tandem.space", role: str = "broker",
              now: datetime = NOW) -> tuple[int, str]:
    """A session as the browser ends up with it: (row id, cookie value)."""
    user = make_user(session, email=email, role=role)
    started = web_sessions.start(session=session, user_id=user.id, user_agent="Chromium/1", now=now)
    cookie = web_sessions.redeem_handoff(session=session, code=started.handoff_code, now=now + timedelta(seconds=2))
    assert cookie.session_id == started.session_id
    return started.session_id, cookie.value


def test_the_cookie_resolves_to_the_account_and_only_a_hash_is_stored(session: Session) -> None:
    session_id, cookie = signed_in(session)
    current = web_sessions.resolve(session=session, token=cookie, now=NOW + timedelta(minutes=1))
    assert current.actor == Actor("ws.broker@tandem.space", Role.BROKER) and current.session_id == session_id
    row = session.get(WebSession, session_id)
    assert row is not None and row.handoff_hash is None and row.user_agent == "Chromium/1"
    stored = " ".join(str(v) for v in session.execute(text("SELECT * FROM web_sessions")).one())
    assert cookie not in stored and cookie.split(".")[0] not in stored


def test_the_handoff_code_works_once_and_only_for_a_minute(session: Session) -> None:
    user = make_user(session, email="once@tandem.space")
    started = web_sessions.start(session=session, user_id=user.id, now=NOW)
    web_sessions.redeem_handoff(session=session, code=started.handoff_code, now=NOW)
    with pytest.raises(SessionEnded):
        web_sessions.redeem_handoff(session=session, code=started.handoff_code, now=NOW)
    late = web_sessions.start(session=session, user_id=user.id, now=NOW)
    with pytest.raises(SessionEnded):
        web_sessions.redeem_handoff(session=session, code=late.handoff_code, now=NOW + timedelta(seconds=61))
    with pytest.raises(SessionEnded):
        web_sessions.redeem_handoff(session=session, code="made-up-code-" * 3, now=NOW)


def test_a_cookie_for_one_session_cannot_be_reused_with_another_id(session: Session) -> None:
    first, cookie = signed_in(session, "one@tandem.space")
    second, _ = signed_in(session, "two@tandem.space")
    sid, secret = web_sessions.unsign(cookie, now=NOW)
    forged = web_sessions.sign(second, secret, NOW + timedelta(hours=1))  # even with the key, the secret differs
    with pytest.raises(SessionEnded):
        web_sessions.resolve(session=session, token=forged, now=NOW)
    assert sid == first


@pytest.mark.parametrize(("change", "reason"), [
    (lambda s, e: accounts.set_active(session=s, actor=LEAD, email=e, active=False), "disabled"),
    (lambda s, e: accounts.set_role(session=s, actor=LEAD, email=e, role="analyst"), "role_changed"),
    (lambda s, e: accounts.set_password(session=s, actor=LEAD, email=e, password="a brand new password"),
     "password_changed"),
])
def test_disabling_changing_the_role_or_resetting_the_password_ends_every_session_of_the_account(
    session: Session, change: object, reason: str
) -> None:
    make_user(session, email=LEAD.email, role="lead")
    first, cookie = signed_in(session, "victim@tandem.space")
    user_id = session.get(WebSession, first).user_id  # type: ignore[union-attr]
    second = web_sessions.start(session=session, user_id=user_id, now=NOW).session_id  # another browser
    other, _ = signed_in(session, "bystander@tandem.space")
    change(session, "victim@tandem.space")  # type: ignore[operator]
    for kwargs in ({"token": cookie}, {"session_id": second}):
        with pytest.raises(SessionEnded) as ended:
            web_sessions.resolve(session=session, now=NOW, **kwargs)  # type: ignore[arg-type]
        assert ended.value.reason == reason
    assert web_sessions.resolve(session=session, session_id=other, now=NOW).actor.email == "bystander@tandem.space"


def test_a_role_changed_straight_in_the_database_still_ends_the_session(session: Session) -> None:
    session_id, _ = signed_in(session, "sqlrole@tandem.space")
    session.execute(text("UPDATE users SET role = 'lead' WHERE email = 'sqlrole@tandem.space'"))
    with pytest.raises(SessionEnded, match="role was changed"):
        web_sessions.resolve(session=session, session_id=session_id, now=NOW)
    assert session.get(WebSession, session_id).revoked_reason == "role_changed"  # type: ignore[union-attr]


def test_sign_out_ends_the_session_for_every_tab(session: Session) -> None:
    session_id, cookie = signed_in(session)
    web_sessions.end(session=session, session_id=session_id, now=NOW)
    with pytest.raises(SessionEnded) as ended:
        web_sessions.resolve(session=session, token=cookie, now=NOW)
    assert ended.value.reason == "signed_out"


def test_sessions_expire_after_their_lifetime_and_after_idling(session: Session) -> None:
    session_id, cookie = signed_in(session)
    with pytest.raises(SessionEnded) as ended:
        web_sessions.resolve(session=session, session_id=session_id, now=NOW + timedelta(hours=12, seconds=1))
    assert ended.value.reason == "expired"
    with pytest.raises(SessionEnded) as ended:
        web_sessions.resolve(session=session, token=cookie, now=NOW + timedelta(hours=12, seconds=1))
    assert ended.value.reason == "expired"  # the signed expiry refuses it before the database is asked
    with pytest.raises(SessionEnded) as ended:
        web_sessions.resolve(session=session, session_id=session_id, now=NOW + timedelta(minutes=121))
    assert ended.value.reason == "idle"


def test_activity_keeps_an_idle_session_alive_and_last_seen_is_written_at_most_once_a_minute(
    session: Session,
) -> None:
    session_id, _ = signed_in(session)
    for minutes in (60, 120, 180, 240):  # a click an hour: never idle for two
        web_sessions.resolve(session=session, session_id=session_id, now=NOW + timedelta(minutes=minutes))
    row = session.get(WebSession, session_id)
    assert row is not None and row.last_seen_at == NOW + timedelta(minutes=240)
    web_sessions.resolve(session=session, session_id=session_id, now=NOW + timedelta(minutes=240, seconds=30))
    session.refresh(row)
    assert row.last_seen_at == NOW + timedelta(minutes=240)


def test_a_disabled_account_cannot_start_a_session(session: Session) -> None:
    user = make_user(session, email="off@tandem.space", active=False)
    with pytest.raises(NoActiveAccount):
        web_sessions.start(session=session, user_id=user.id, now=NOW)
