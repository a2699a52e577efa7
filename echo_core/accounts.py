"""Passwords and the sign-in lock policy. Pure: no database, no UI.

Hashes are scrypt with a random 16-byte salt; the cost parameters are stored in the hash
(`scrypt$n=131072,r=8,p=1$<salt>$<key>`), so they can be raised later without breaking old
hashes. Comparison is constant-time. Passwords are never logged or put in messages.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from echo_core.errors import InvalidInput
from echo_core.permissions import Role

# OWASP's scrypt floor: N=2^17, r=8, p=1 (128 MiB, a few hundred ms per hash).
N, R, P = 2**17, 8, 1
KEY_BYTES = 32
PASSWORD_MIN = 10
PASSWORD_MAX = 1024  # long enough for any pass phrase, short enough not to be a hashing DoS
LOCK_AFTER = 5  # failed sign-ins in a row
LOCK_FIRST = timedelta(minutes=1)
LOCK_MAX = timedelta(hours=1)


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _derive(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=2 * 128 * r * n + 2**20,
                          dklen=KEY_BYTES)


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


def hash_password(password: str, *, n: int = N, r: int = R, p: int = P) -> str:
    """A salted scrypt hash with its parameters; lower `n` only where the password is public (demo)."""
    check_password_rules(password)
    salt = secrets.token_bytes(16)
    return f"scrypt$n={n},r={r},p={p}${_b64(salt)}${_b64(_derive(password, salt, n, r, p))}"


# A well-formed full-cost verifier that no password matches (its key is not derived from one): checking an
# unknown account against it costs exactly what checking a real account costs — one scrypt at N.
DUMMY_HASH = f"scrypt$n={N},r={R},p={P}${_b64(b'echo-alpha-dummy')}${_b64(bytes(KEY_BYTES))}"


def verify_password(password: str, stored: str | None) -> bool:
    """True if `password` matches `stored`; a missing or malformed hash never matches (after the same work)."""
    if stored is None:
        verify_password(password, DUMMY_HASH)  # same work as a real check: no timing tell
        return False
    try:
        scheme, params, salt, key = stored.split("$")
        cost = dict(item.split("=") for item in params.split(","))
        n, r, p = int(cost["n"]), int(cost["r"]), int(cost["p"])
        expected = base64.b64decode(key)
        derived = _derive(password or "", base64.b64decode(salt), n, r, p)
    except (ValueError, KeyError):
        return False
    return scheme == "scrypt" and hmac.compare_digest(derived, expected)


def needs_rehash(stored: str | None) -> bool:
    """True for a hash below today's cost (e.g. the old cheap demo hashes): rehash it at the next sign-in."""
    if not stored or not stored.startswith("scrypt$"):
        return False
    try:
        cost = dict(item.split("=") for item in stored.split("$")[1].split(","))
        return (int(cost["n"]), int(cost["r"]), int(cost["p"])) < (N, R, P)
    except (ValueError, KeyError, IndexError):
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
