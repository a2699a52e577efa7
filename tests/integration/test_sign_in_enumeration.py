"""Defect 4 of issue 15: sign-in answers the same, after the same work, for known and unknown addresses —
wrong password or unknown address, locked or not — and locks by address and by source alike."""

from __future__ import annotations

import base64
import hashlib
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from argon2 import extract_parameters
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from echo_core import accounts as rules
from echo_core.db.models import User
from echo_core.demo.accounts import DEMO_ACCOUNTS, seed_demo_accounts
from echo_core.errors import AccountLocked, SignInFailed
from echo_core.services import accounts as svc
from echo_core.sign_in import FAILURE_FLOOR_S, SOURCE_LOCK_AFTER, TooManyAttempts
from tests.factories import make_user

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
PASSWORD = "correct horse battery"


def legacy_scrypt(password: str, n: int = 2**12) -> str:
    """A hash as the accounts made them before Argon2id."""
    salt = b"fedcba9876543210"
    key = hashlib.scrypt(password.encode(), salt=salt, n=n, r=8, p=1, maxmem=2**28, dklen=32)
    return f"scrypt$n={n},r=8,p=1${base64.b64encode(salt).decode()}${base64.b64encode(key).decode()}"


FULL_COST = (rules.MEMORY_KIB, rules.TIME_COST, rules.LANES)


@pytest.fixture
def hash_calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int, int]]:
    """The cost (memory, passes, lanes) of every password hash computed (spies on both kinds of hash)."""
    calls: list[tuple[int, int, int]] = []
    real_argon2: Callable[[str, str], bool] = rules._argon2_verify
    real_scrypt: Callable[..., bytes] = rules._derive

    def argon2_spy(password: str, stored: str) -> bool:
        cost = extract_parameters(stored)
        calls.append((cost.memory_cost, cost.time_cost, cost.parallelism))
        return real_argon2(password, stored)

    def scrypt_spy(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
        calls.append((n, r, p))
        return real_scrypt(password, salt, n, r, p)

    monkeypatch.setattr(rules, "_argon2_verify", argon2_spy)
    monkeypatch.setattr(rules, "_derive", scrypt_spy)
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


def test_every_answer_costs_exactly_one_full_cost_hash(session: Session,
                                                      hash_calls: list[tuple[int, int, int]]) -> None:
    make_user(session, email="known@tandem.space", password_hash=rules.hash_password(PASSWORD))
    make_user(session, email="locked@tandem.space", password_hash=rules.hash_password(PASSWORD),
              locked_until=T0 + timedelta(minutes=5), failed_attempts=5)
    hash_calls.clear()
    cases = {
        "wrong password": ("known@tandem.space", "wrong password!"),
        "unknown address": ("nobody@tandem.space", "wrong password!"),
        "malformed address": ("not an email", "wrong password!"),
        "locked account": ("locked@tandem.space", PASSWORD),
        "right password": ("known@tandem.space", PASSWORD),
    }
    for name, (email, password) in cases.items():
        before = len(hash_calls)
        attempt(session, email, password)
        assert hash_calls[before:] == [FULL_COST], name
    for _ in range(rules.LOCK_AFTER):  # an unknown address locked: still one full-cost hash
        attempt(session, "ghost@tandem.space")
    before = len(hash_calls)
    assert "sign-in is locked" in attempt(session, "ghost@tandem.space", PASSWORD)
    assert hash_calls[before:] == [FULL_COST]


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
    make_user(session, email=email, role=role, password_hash=legacy_scrypt(password))
    seed_demo_accounts(session)
    stored = dict(session.execute(select(User.email, User.password_hash)
                                  .where(User.email.in_([e for e, _, _ in DEMO_ACCOUNTS]))).all())
    assert len(stored) == len(DEMO_ACCOUNTS)
    assert all(h.startswith("$argon2id$v=19$m=19456,t=2,p=1$") for h in stored.values()), stored
    assert rules.verify_password(password, stored[email])


def test_a_scrypt_hash_from_before_signs_in_once_and_is_replaced_by_argon2id(session: Session) -> None:
    user = make_user(session, email="scrypt@tandem.space", password_hash=legacy_scrypt(PASSWORD, n=2**14))
    assert attempt(session, user.email, "wrong password!") == str(SignInFailed())
    assert attempt(session, user.email, PASSWORD) == "ok"
    session.refresh(user)
    assert user.password_hash.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert rules.verify_password(PASSWORD, user.password_hash) and not rules.needs_rehash(user.password_hash)


def test_no_refusal_comes_sooner_than_the_floor_whatever_the_hash_and_a_sign_in_is_not_held(
    session: Session, refusal_waits: list[float]
) -> None:
    # An account still on scrypt checks in about 0.6 s, an unknown address in 0.05 s: both refusals take the floor.
    make_user(session, email="scrypt@tandem.space", password_hash=legacy_scrypt(PASSWORD, n=2**17))
    make_user(session, email="argon@tandem.space", password_hash=rules.hash_password(PASSWORD))
    for email, password in [("scrypt@tandem.space", "wrong password!"), ("argon@tandem.space", "wrong password!"),
                            ("nobody@tandem.space", "wrong password!"), ("not an email", PASSWORD)]:
        before, started = len(refusal_waits), time.monotonic()
        assert attempt(session, email, password) == str(SignInFailed())
        taken = time.monotonic() - started + sum(refusal_waits[before:])
        assert taken >= FAILURE_FLOOR_S and sum(refusal_waits[before:]) < FAILURE_FLOOR_S, (email, taken)
    for _ in range(rules.LOCK_AFTER):  # a lock's answer too
        message = attempt(session, "nobody@tandem.space")
    assert "sign-in is locked" in message and len(refusal_waits) == 4 + rules.LOCK_AFTER
    before = len(refusal_waits)
    assert attempt(session, "argon@tandem.space", PASSWORD) == "ok" and len(refusal_waits) == before


def test_a_cheap_hash_is_raised_to_full_cost_at_the_next_sign_in(session: Session) -> None:
    user = make_user(session, email="old@tandem.space", password=PASSWORD)  # factories hash cheaply
    assert rules.needs_rehash(user.password_hash)
    assert attempt(session, user.email, PASSWORD) == "ok"
    session.refresh(user)
    assert not rules.needs_rehash(user.password_hash) and rules.verify_password(PASSWORD, user.password_hash)
