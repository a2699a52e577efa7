"""Sign-in with the same answer, for the same work, whether or not the account exists (issue 15, defect 4).

- Every attempt runs exactly one full-cost password hash (Argon2id): against the account's hash, or against a dummy
  verifier (`accounts.DUMMY_HASH`) for an unknown or malformed address, a locked address or source.
  A hash made otherwise (scrypt from before, or a cheaper cost) is rehashed at the next successful sign-in.
- Failures lock by ADDRESS — a known account in `users` (a lead's password reset or enable lifts it), an
  unknown address in `sign_in_throttle` under the same policy (5 in a row, then 1, 2, 4 … minutes, at most
  an hour) — and by SOURCE, the client address the dashboard sees (SOURCE_LOCK_AFTER failures in a row from
  it, whatever the addresses tried). Every lock answers the same neutral `TooManyAttempts`, so neither the
  message nor the moment it appears tells a real account from an unknown one.
- A wrong password and an unknown address both answer `SignInFailed`. Only after the right password does a
  disabled account say so.
- Every refusal (SignInFailed, TooManyAttempts) comes no sooner than FAILURE_FLOOR_S after the attempt began, so
  its timing does not tell either: an account still on a scrypt hash from before takes about 0.6 s to check,
  where a dummy Argon2id check (an unknown address) takes 0.05 s. A sign-in that succeeds is not held back.
"""

from __future__ import annotations

import hashlib
import logging
import time
from contextlib import suppress
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from echo_core import accounts as rules
from echo_core.db.models import User
from echo_core.db.models_security import SignInThrottle
from echo_core.errors import AccountLocked, InvalidInput, NoActiveAccount, PermissionDenied, SignInFailed
from echo_core.permissions import Actor, Role

log = logging.getLogger(__name__)
SOURCE_LOCK_AFTER = 20  # failures in a row from one client address, across any accounts
FAILURE_FLOOR_S = 1.0  # above the slowest hash a stored account can have (scrypt from before: about 0.6 s here)
_sleep = time.sleep  # (tests record the wait instead of sleeping)


class TooManyAttempts(AccountLocked):
    """A lock by address or by source: one neutral message for known and unknown addresses alike."""

    def __init__(self, until: datetime, minutes: int) -> None:
        PermissionDenied.__init__(self, f"Too many failed sign-ins — sign-in is locked; try again at "
                                        f"{until.strftime('%H:%M UTC')} (in about {minutes} min).")
        self.until = until


def _key(kind: str, value: str) -> str:
    return f"{kind}:{hashlib.sha256(value.encode('utf-8', 'replace')).hexdigest()}"


def _normalized(email: str) -> str | None:
    try:
        cleaned = (email or "").strip().lower()
        Actor(cleaned)  # the one email rule of the codebase
    except InvalidInput:
        return None
    return cleaned if len(cleaned) <= 255 else None


def _throttle_row(session: Session, key: str) -> SignInThrottle | None:
    return session.scalar(select(SignInThrottle).where(SignInThrottle.key == key).with_for_update())


def _locked_until(row: SignInThrottle | None, now: datetime) -> datetime | None:
    return row.locked_until if row is not None and row.locked_until and row.locked_until > now else None


def _fail(session: Session, key: str, kind: str, now: datetime, *, after: int) -> datetime | None:
    """Count a failure for `key`; the lock's end if this failure (or an earlier one) locks it."""
    session.execute(insert(SignInThrottle).values(key=key, kind=kind, failures=0, last_failure_at=now)
                    .on_conflict_do_nothing(index_elements=["key"]))
    row = _throttle_row(session, key)
    assert row is not None
    row.failures += 1
    row.last_failure_at = now
    lock = rules.lock_duration(row.failures - (after - rules.LOCK_AFTER))
    if lock is not None:
        row.locked_until = now + lock
    return _locked_until(row, now)


def _refuse(refusal: Exception, started: float) -> Exception:
    """`refusal`, once FAILURE_FLOOR_S has passed since `started` (after the commit: no row lock is held)."""
    left = FAILURE_FLOOR_S - (time.monotonic() - started)
    if left > 0:
        _sleep(left)
    return refusal


def authenticate(*, session: Session, email: str, password: str, source: str | None = None,
                 now: datetime | None = None) -> rules.Account:
    """The account for a correct email and password; SignInFailed, TooManyAttempts or NoActiveAccount.

    `source` is the client's address (None: not known, no lock by source). Commits.
    """
    started = time.monotonic()
    now = now or datetime.now(UTC)
    address = _normalized(email)
    source_key = _key("source", source) if source else None
    source_row = _throttle_row(session, source_key) if source_key else None
    user = session.scalar(select(User).where(User.email == address).with_for_update()) if address else None
    address_key = _key("address", address or (email or "").strip().lower()[:255])
    address_row = _throttle_row(session, address_key) if user is None else None
    until = max(filter(None, [_locked_until(source_row, now), _locked_until(address_row, now),
                              user.locked_until if user and user.locked_until and user.locked_until > now else None]),
                default=None)
    stored = user.password_hash if user is not None and until is None else None
    matched = rules.verify_password(password or "", stored)  # exactly one full-cost hash on every path
    if until is not None:
        session.commit()  # nothing written: releases the row locks
        raise _refuse(TooManyAttempts(until, rules.minutes_until(until, now)), started)
    if not matched:
        locks = [_fail(session, source_key, "source", now, after=SOURCE_LOCK_AFTER)] if source_key else []
        if user is not None:
            user.failed_attempts += 1
            lock = rules.lock_duration(user.failed_attempts)
            user.locked_until = now + lock if lock else None
            locks.append(user.locked_until)
        else:
            locks.append(_fail(session, address_key, "address", now, after=rules.LOCK_AFTER))
        session.commit()
        log.warning("failed sign-in (%s)", "known account" if user is not None else "no such account")
        until = max(filter(None, locks), default=None)
        if until is not None:
            raise _refuse(TooManyAttempts(until, rules.minutes_until(until, now)), started)
        raise _refuse(SignInFailed(), started)
    assert user is not None  # only a real hash can match
    if not user.active:
        session.commit()
        raise NoActiveAccount(f"The account {user.email} is disabled — ask a lead to enable it again.")
    if rules.needs_rehash(user.password_hash):
        with suppress(InvalidInput):  # a password older than today's rules keeps its hash until it is changed
            user.password_hash = rules.hash_password(password)  # raise an old, cheap hash to today's cost
    user.failed_attempts, user.locked_until, user.last_login_at = 0, None, now
    if source_row is not None:
        source_row.failures, source_row.locked_until = 0, None
    session.commit()
    return rules.Account(id=user.id, email=user.email, role=Role(user.role), active=user.active,
                         has_password=user.password_hash is not None, locked_until=user.locked_until,
                         last_login_at=user.last_login_at, created_at=user.created_at)
