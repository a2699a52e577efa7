"""Defect 4 of issue 15: sign-in answers the same, after the same work, for known and unknown addresses —
wrong password or unknown address, locked or not — and locks by address and by source alike."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from echo_core import accounts as rules
from echo_core.db.models import User
from echo_core.demo.accounts import DEMO_ACCOUNTS, seed_demo_accounts
from echo_core.errors import AccountLocked, SignInFailed
from echo_core.services import accounts as svc
from echo_core.sign_in import SOURCE_LOCK_AFTER, TooManyAttempts
from tests.factories import make_user

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
PASSWORD = "correct horse battery"


@pytest.fixture
def scrypt_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The cost `n` of every scrypt run (a spy around the one derive function)."""
    calls: list[int] = []
    real: Callable[..., bytes] = rules._derive

    def spy(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
        calls.append(n)
        return real(password, salt, n, r, p)

    monkeypatch.setattr(rules, "_derive", spy)
    return calls


def attempt(session: Session, email: str, password: str = "wrong password!", *, at: datetime = T0,
            source: str | None = None) -> str:
    """The answer to one attempt: the refusal's text, or "ok"."""
    try:
        svc.authenticate(session=session, email=email, password=password, now=at, source=source)
    except (SignInFailed, AccountLocked) as refused:
        return str(refused)
    return "ok"


def test_a_known_and_an_unknown_address_answer_alike_before_and_after_the_lock(session: Session) -> None:
    make_user(session, email="known@tandem.space", password=PASSWORD)
    for n in range(1, 7):
        known, unknown = attempt(session, "known@tandem.space"), attempt(session, "nobody@tandem.space")
        assert known == unknown, (n, known, unknown)
        assert ("sign-in is locked" in known) == (n >= rules.LOCK_AFTER)
    assert attempt(session, "known@tandem.space", PASSWORD) == attempt(session, "nobody@tandem.space", PASSWORD)
    assert "sign-in is locked" in attempt(session, "known@tandem.space", PASSWORD)
    assert attempt(session, "known@tandem.space", PASSWORD, at=T0 + timedelta(hours=2)) == "ok"


def test_every_answer_costs_exactly_one_full_cost_scrypt(session: Session, scrypt_calls: list[int]) -> None:
    make_user(session, email="known@tandem.space", password_hash=rules.hash_password(PASSWORD))
    make_user(session, email="locked@tandem.space", password_hash=rules.hash_password(PASSWORD),
              locked_until=T0 + timedelta(minutes=5), failed_attempts=5)
    scrypt_calls.clear()
    cases = {
        "wrong password": ("known@tandem.space", "wrong password!"),
        "unknown address": ("nobody@tandem.space", "wrong password!"),
        "malformed address": ("not an email", "wrong password!"),
        "locked account": ("locked@tandem.space", PASSWORD),
        "right password": ("known@tandem.space", PASSWORD),
    }
    for name, (email, password) in cases.items():
        before = len(scrypt_calls)
        attempt(session, email, password)
        assert scrypt_calls[before:] == [rules.N], name
    for _ in range(rules.LOCK_AFTER):  # an unknown address locked: still one full-cost scrypt
        attempt(session, "ghost@tandem.space")
    before = len(scrypt_calls)
    assert "sign-in is locked" in attempt(session, "ghost@tandem.space", PASSWORD)
    assert scrypt_calls[before:] == [rules.N]


def test_many_failures_from_one_source_lock_that_source_for_every_address(session: Session) -> None:
    users = [make_user(session, email=f"u{i}@tandem.space", password=PASSWORD) for i in range(SOURCE_LOCK_AFTER)]
    answers = [attempt(session, u.email, source="203.0.113.7") for u in users]  # one failure per account
    assert answers[:-1] == [str(SignInFailed())] * (SOURCE_LOCK_AFTER - 1)
    assert "sign-in is locked" in answers[-1]
    # The right password of an account that never failed is refused from there, with the same message …
    fresh = make_user(session, email="fresh@tandem.space", password=PASSWORD)
    assert attempt(session, fresh.email, PASSWORD, source="203.0.113.7") == answers[-1]
    assert attempt(session, "nobody@tandem.space", PASSWORD, source="203.0.113.7") == answers[-1]
    # … and accepted from elsewhere; the source's lock ends in time like an account's.
    assert attempt(session, fresh.email, PASSWORD, source="198.51.100.2") == "ok"
    assert attempt(session, fresh.email, PASSWORD, source="203.0.113.7", at=T0 + timedelta(hours=2)) == "ok"


def test_the_lock_message_names_neither_an_account_nor_its_existence(session: Session) -> None:
    for _ in range(rules.LOCK_AFTER):
        message = attempt(session, "nobody@tandem.space")
    assert message == str(TooManyAttempts(T0 + rules.LOCK_FIRST, 1))
    assert "account" not in message and "nobody" not in message


def test_demo_passwords_are_hashed_at_full_cost_and_old_cheap_ones_are_raised(session: Session) -> None:
    email, role, password = DEMO_ACCOUNTS[0]
    # The shared fixture's password-less test accounts reuse some demo addresses: start from none of them.
    session.execute(delete(User).where(User.email.in_([e for e, _, _ in DEMO_ACCOUNTS[1:]])))
    make_user(session, email=email, role=role, password_hash=rules.hash_password(password, n=2**12))
    seed_demo_accounts(session)
    stored = dict(session.execute(select(User.email, User.password_hash)
                                  .where(User.email.in_([e for e, _, _ in DEMO_ACCOUNTS]))).all())
    assert len(stored) == len(DEMO_ACCOUNTS)
    assert all(h.startswith(f"scrypt$n={rules.N},") for h in stored.values()), stored
    assert rules.verify_password(password, stored[email])


def test_a_cheap_hash_is_raised_to_full_cost_at_the_next_sign_in(session: Session) -> None:
    user = make_user(session, email="old@tandem.space", password=PASSWORD)  # factories hash cheaply
    assert rules.needs_rehash(user.password_hash)
    assert attempt(session, user.email, PASSWORD) == "ok"
    session.refresh(user)
    assert not rules.needs_rehash(user.password_hash) and rules.verify_password(PASSWORD, user.password_hash)
