"""Passwords and the sign-in lock policy. Pure: no database, no UI.

Hashes are Argon2id (argon2-cffi) in the standard PHC string form, which carries the salt and the cost
(`$argon2id$v=19$m=19456,t=2,p=1$<salt>$<key>`), so the cost can be raised later without breaking old hashes.
Hashes from before (`scrypt$n=…,r=…,p=…$<salt>$<key>`) still verify, and are replaced at the next sign-in.
Comparison is constant-time. Passwords are never logged or put in messages.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

from echo_core.errors import InvalidInput
from echo_core.permissions import Role

# OWASP's first choice for password storage: Argon2id with 19 MiB, 2 passes, 1 lane (about 50 ms here).
# It is as hard to attack as the scrypt floor it replaces (N=2^17, about 600 ms here), per OWASP's table.
MEMORY_KIB, TIME_COST, LANES = 19 * 1024, 2, 1
KEY_BYTES = 32
PASSWORD_MIN = 10
PASSWORD_MAX = 1024  # long enough for any pass phrase, short enough not to be a hashing DoS
LOCK_AFTER = 5  # failed sign-ins in a row
LOCK_FIRST = timedelta(minutes=1)
LOCK_MAX = timedelta(hours=1)
_HASHER = PasswordHasher(time_cost=TIME_COST, memory_cost=MEMORY_KIB, parallelism=LANES, hash_len=KEY_BYTES,
                         salt_len=16, type=Type.ID)


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _derive(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    """scrypt, for the hashes made before Argon2id (verified once more, then replaced)."""
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=2 * 128 * r * n + 2**20,
                          dklen=KEY_BYTES)


def _argon2_verify(password: str, stored: str) -> bool:
    """One Argon2id check at the cost `stored` names (the one place a hash is computed on sign-in)."""
    try:
        return _HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def check_password_rules(password: str) -> str:
    """The password if it may be used; else InvalidInput naming the rule (never echoing it)."""
    if not isinstance(password, str) or not password:
        raise InvalidInput("The password is empty — choose one of at least 10 characters.")
    if "\x00" in password:
        raise InvalidInput("The password contains a NUL character — type it without control characters.")
    if len(password) < PASSWORD_MIN:
        raise InvalidInput(f"The password is too short — use at least {PASSWORD_MIN} characters.")
    if len(password) > PASSWORD_MAX:
        raise InvalidInput(f"The password is longer than {PASSWORD_MAX} characters — use a shorter one.")
    return password


def hash_password(password: str, *, memory_kib: int = MEMORY_KIB, time_cost: int = TIME_COST) -> str:
    """A salted Argon2id hash with its parameters; lower the cost only where the password is public (tests)."""
    check_password_rules(password)
    if (memory_kib, time_cost) == (MEMORY_KIB, TIME_COST):
        return _HASHER.hash(password)
    cheap = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=LANES, hash_len=KEY_BYTES,
                           salt_len=16, type=Type.ID)
    return cheap.hash(password)


def _unpadded(raw: bytes) -> str:
    return _b64(raw).rstrip("=")


# A well-formed full-cost verifier that no password matches (its key is not derived from one): checking an
# unknown account against it costs exactly what checking a real account costs — one Argon2id at today's cost.
DUMMY_HASH = (f"$argon2id$v=19$m={MEMORY_KIB},t={TIME_COST},p={LANES}"
              f"${_unpadded(b'echo-alpha-dummy')}${_unpadded(bytes(KEY_BYTES))}")


def _scrypt_verify(password: str, stored: str) -> bool:
    try:
        scheme, params, salt, key = stored.split("$")
        cost = dict(item.split("=") for item in params.split(","))
        n, r, p = int(cost["n"]), int(cost["r"]), int(cost["p"])
        expected = base64.b64decode(key)
        derived = _derive(password or "", base64.b64decode(salt), n, r, p)
    except (ValueError, KeyError):
        return False
    return scheme == "scrypt" and hmac.compare_digest(derived, expected)


def verify_password(password: str, stored: str | None) -> bool:
    """True if `password` matches `stored`; a missing or malformed hash never matches (after the same work)."""
    if not stored or not stored.startswith(("$argon2id$", "scrypt$")):
        _argon2_verify(password or "", DUMMY_HASH)  # same work as a real check: no timing tell
        return False
    if stored.startswith("scrypt$"):
        return _scrypt_verify(password, stored)
    return _argon2_verify(password or "", stored)


def needs_rehash(stored: str | None) -> bool:
    """True for a hash made some other way than today's (scrypt, or Argon2id at another cost): rehash it."""
    if not stored:
        return False
    if stored.startswith("scrypt$"):
        return True
    try:
        return _HASHER.check_needs_rehash(stored)
    except InvalidHashError:
        return False


def lock_duration(failed_attempts: int) -> timedelta | None:
    """How long the account locks after this many failures in a row: 1, 2, 4 … minutes, at most an hour."""
    if failed_attempts < LOCK_AFTER:
        return None
    grown: timedelta = LOCK_FIRST * (2 ** min(failed_attempts - LOCK_AFTER, 12))
    return min(grown, LOCK_MAX)


def minutes_until(until: datetime, now: datetime) -> int:
    return max(1, -(-int((until - now).total_seconds()) // 60))


def parse_role(value: str) -> Role:
    try:
        return Role(str(value).strip().lower())
    except ValueError:
        raise InvalidInput(
            f"'{str(value)[:40]}' is not a role — use one of: {', '.join(r.value for r in Role)}."
        ) from None


@dataclass(frozen=True)
class Account:
    """An account as the UI and CLI show it (never the hash)."""

    id: int
    email: str
    role: Role
    active: bool
    has_password: bool
    locked_until: datetime | None
    last_login_at: datetime | None
    created_at: datetime
    lock_version: int = 1  # what a form read: role and active changes compare against it (issue 15)
