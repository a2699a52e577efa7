"""Accounts on a real database: sign-in, the per-account lock, management and its permission, --by."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from echo_core.db.models import User
from echo_core.errors import (
    AccountLocked,
    AccountNotFound,
    InvalidInput,
    NoActiveAccount,
    PermissionDenied,
    SignInFailed,
)
from echo_core.permissions import Actor, Role
from echo_core.services import accounts as svc
from echo_core.services.actors import resolve_actor
from tests.factories import make_user

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
LEAD = Actor("lead@tandem.space", Role.LEAD)
PASSWORD = "correct horse battery"


def sign_in(session: Session, email: str, password: str = PASSWORD, at: datetime = T0) -> int:
    return svc.authenticate(session=session, email=email, password=password, now=at).id


def test_the_right_password_signs_in_and_records_the_time(session: Session) -> None:
    user = make_user(session, email="maya@tandem.space", password=PASSWORD)
    assert sign_in(session, " MAYA@tandem.space ") == user.id
    session.refresh(user)
    assert user.last_login_at == T0 and user.failed_attempts == 0


def test_an_unknown_account_gets_the_same_message_as_a_wrong_password(session: Session) -> None:
    make_user(session, email="maya@tandem.space", password=PASSWORD)
    with pytest.raises(SignInFailed) as wrong:
        sign_in(session, "maya@tandem.space", "not the password")
    with pytest.raises(SignInFailed) as unknown:
        sign_in(session, "nobody@tandem.space")
    with pytest.raises(SignInFailed) as malformed:
        sign_in(session, "not an email")
    assert str(wrong.value) == str(unknown.value) == str(malformed.value)
    assert "not the password" not in str(wrong.value)


def test_five_failures_lock_the_account_with_a_time_to_retry_and_the_lock_grows(session: Session) -> None:
    user = make_user(session, email="leo@tandem.space", password=PASSWORD)
    for _ in range(4):
        with pytest.raises(SignInFailed):
            sign_in(session, user.email, "wrong password")
    with pytest.raises(AccountLocked, match=r"try again at 09:01 UTC \(in about 1 min\)"):
        sign_in(session, user.email, "wrong password")
    # Locked: even the right password is refused until the time named.
    with pytest.raises(AccountLocked):
        sign_in(session, user.email, PASSWORD, at=T0 + timedelta(seconds=30))
    with pytest.raises(AccountLocked, match="in about 2 min"):  # the sixth failure locks for longer
        sign_in(session, user.email, "wrong password", at=T0 + timedelta(minutes=2))
    assert sign_in(session, user.email, PASSWORD, at=T0 + timedelta(minutes=5)) == user.id
    session.refresh(user)
    assert (user.failed_attempts, user.locked_until) == (0, None)


def test_a_disabled_account_cannot_sign_in_or_act_through_the_cli(session: Session) -> None:
    user = make_user(session, email="leo@tandem.space", password=PASSWORD, active=False)
    with pytest.raises(NoActiveAccount, match="disabled — ask a lead"):
        sign_in(session, user.email)
    with pytest.raises(NoActiveAccount, match="it is disabled"):
        resolve_actor(session, user.email)
    assert svc.actor_for_user(session, user.id) is None


def test_resolve_actor_applies_the_accounts_role_and_refuses_unknown_addresses(session: Session) -> None:
    make_user(session, email="ana@tandem.space", role="analyst")
    assert resolve_actor(session, "Ana@Tandem.Space") == Actor("ana@tandem.space", Role.ANALYST)
    with pytest.raises(NoActiveAccount, match="No active account for x@tandem.space — add it with `python -m echo_c"):
        resolve_actor(session, "x@tandem.space")
    with pytest.raises(InvalidInput, match="not an email address"):
        resolve_actor(session, "bob")


def test_a_lead_manages_accounts_and_passwords_are_stored_hashed(session: Session) -> None:
    made = svc.create_account(session=session, actor=LEAD, email="New@Tandem.Space", role="broker", password=PASSWORD)
    assert (made.email, made.role, made.active, made.has_password) == ("new@tandem.space", Role.BROKER, True, True)
    stored = session.scalar(select(User.password_hash).where(User.email == "new@tandem.space"))
    assert stored and stored.startswith("$argon2id$") and PASSWORD not in stored
    assert svc.set_role(session=session, actor=LEAD, email="new@tandem.space", role="analyst").role == Role.ANALYST
    svc.set_password(session=session, actor=LEAD, email="new@tandem.space", password="another long one")
    assert sign_in(session, "new@tandem.space", "another long one") == made.id
    assert not svc.set_active(session=session, actor=LEAD, email="new@tandem.space", active=False).active
    oidc_only = svc.create_account(session=session, actor=LEAD, email="sso@tandem.space", role="lead")
    assert not oidc_only.has_password
    with pytest.raises(SignInFailed):  # no password: OIDC sign-in only
        sign_in(session, "sso@tandem.space", "")


def test_emails_are_unique_whatever_their_case(session: Session) -> None:
    svc.create_account(session=session, actor=LEAD, email="dup@tandem.space", role="broker")
    with pytest.raises(InvalidInput, match="already has an account"):
        svc.create_account(session=session, actor=LEAD, email="DUP@tandem.space", role="lead")
    with pytest.raises(Exception, match="ck_users_email_lower_case"):  # the database insists too
        session.execute(text("INSERT INTO users (email, role) VALUES ('Dup@tandem.space', 'broker')"))


@pytest.mark.parametrize("role", [Role.BROKER, Role.ANALYST])
def test_only_leads_manage_accounts_and_a_refusal_changes_nothing(session: Session, role: Role) -> None:
    target = make_user(session, email="target@tandem.space", role="broker")
    actor = Actor(f"{role.value}@tandem.space", role)
    before = session.execute(text("SELECT email, role, active, password_hash FROM users ORDER BY id")).all()
    calls = [
        lambda: svc.create_account(session=session, actor=actor, email="x@tandem.space", role="lead"),
        lambda: svc.list_accounts(session=session, actor=actor),
        lambda: svc.set_role(session=session, actor=actor, email=target.email, role="lead"),
        lambda: svc.set_active(session=session, actor=actor, email=target.email, active=False),
        lambda: svc.set_password(session=session, actor=actor, email=target.email, password="stolen password"),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied, match="may not manage accounts"):
            call()
    assert session.execute(text("SELECT email, role, active, password_hash FROM users ORDER BY id")).all() == before


def test_the_last_active_lead_cannot_be_demoted_or_disabled(session: Session) -> None:
    session.execute(text("UPDATE users SET active = false WHERE role = 'lead'"))
    make_user(session, email="only@tandem.space", role="lead")
    only = Actor("only@tandem.space", Role.LEAD)  # the acting account is re-read: it must be an active lead
    with pytest.raises(InvalidInput, match="last active lead"):
        svc.set_role(session=session, actor=only, email="only@tandem.space", role="broker")
    with pytest.raises(InvalidInput, match="last active lead"):
        svc.set_active(session=session, actor=only, email="only@tandem.space", active=False)
    make_user(session, email="second@tandem.space", role="lead")
    assert svc.set_role(session=session, actor=only, email="only@tandem.space", role="broker").role == Role.BROKER


def test_changing_an_unknown_account_names_the_fix(session: Session) -> None:
    with pytest.raises(AccountNotFound, match="No account for ghost@tandem.space — add it with"):
        svc.set_role(session=session, actor=LEAD, email="ghost@tandem.space", role="lead")
