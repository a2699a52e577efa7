"""Passwords and the lock policy, without a database."""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime, timedelta

import pytest

from echo_core.accounts import (
    DUMMY_HASH,
    check_password_rules,
    hash_password,
    lock_duration,
    minutes_until,
    needs_rehash,
    parse_role,
    verify_password,
)
from echo_core.errors import InvalidInput
from echo_core.permissions import Role

FAST = {"memory_kib": 64, "time_cost": 1}  # test hashes only: the production cost is the module default


def test_a_hash_is_salted_and_carries_its_parameters() -> None:
    first, second = hash_password("correct horse battery", **FAST), hash_password("correct horse battery", **FAST)
    assert first != second  # a random salt each time
    assert first.startswith("$argon2id$v=19$m=64,t=1,p=1$")
    assert "correct horse battery" not in first


def test_the_default_cost_is_owasps_argon2id_floor() -> None:
    stored = hash_password("correct horse battery")
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert not needs_rehash(stored)


def legacy_scrypt(password: str, n: int = 2**10) -> str:
    """A hash as the accounts made them before Argon2id."""
    salt = b"0123456789abcdef"
    key = hashlib.scrypt(password.encode(), salt=salt, n=n, r=8, p=1, dklen=32)
    return f"scrypt$n={n},r=8,p=1${base64.b64encode(salt).decode()}${base64.b64encode(key).decode()}"


def test_a_scrypt_hash_from_before_still_verifies_and_asks_to_be_replaced() -> None:
    stored = legacy_scrypt("correct horse battery")
    assert verify_password("correct horse battery", stored)
    assert not verify_password("correct horse batterY", stored)
    assert needs_rehash(stored)


def test_a_cheaper_argon2id_hash_asks_to_be_replaced() -> None:
    assert needs_rehash(hash_password("correct horse battery", **FAST))
    assert not needs_rehash(None) and not needs_rehash("$argon2id$not-a-hash")


def test_the_dummy_verifier_is_well_formed_full_cost_and_matches_nothing() -> None:
    assert DUMMY_HASH.startswith("$argon2id$v=19$m=19456,t=2,p=1$") and not needs_rehash(DUMMY_HASH)
    assert not verify_password("", DUMMY_HASH) and not verify_password("echo-alpha-dummy", DUMMY_HASH)


def test_the_right_password_verifies_and_a_wrong_one_does_not() -> None:
    stored = hash_password("correct horse battery", **FAST)
    assert verify_password("correct horse battery", stored)
    assert not verify_password("correct horse batterY", stored)
    assert not verify_password("", stored)


@pytest.mark.parametrize("stored", [None, "", "plain-text-password", "scrypt$n=x$abc$def", "md5$n=1,r=1,p=1$AA==$AA==",
                                    "$argon2id$v=19$m=64,t=1,p=1$AA$AA", "$argon2i$v=19$m=64,t=1,p=1$abc$def"])
def test_a_missing_or_malformed_hash_never_matches(stored: str | None) -> None:
    assert not verify_password("plain-text-password", stored)


@pytest.mark.parametrize(
    ("password", "fragment"),
    [("", "empty"), ("tiny9", "at least 10"), ("x" * 1025, "longer than 1024"), ("abc\x00defghijk", "NUL")],
)
def test_unusable_passwords_are_refused_without_echoing_them(password: str, fragment: str) -> None:
    with pytest.raises(InvalidInput, match=fragment) as caught:
        check_password_rules(password)
    if len(password) > 4:
        assert password not in str(caught.value)


@pytest.mark.parametrize(
    ("failures", "lock"),
    [(0, None), (4, None), (5, timedelta(minutes=1)), (6, timedelta(minutes=2)), (8, timedelta(minutes=8)),
     (12, timedelta(hours=1)), (500, timedelta(hours=1))],
)
def test_the_lock_grows_with_failures_up_to_an_hour(failures: int, lock: timedelta | None) -> None:
    assert lock_duration(failures) == lock


def test_minutes_until_rounds_up_and_is_never_zero() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert minutes_until(now + timedelta(seconds=61), now) == 2
    assert minutes_until(now, now) == 1


def test_roles_are_parsed_case_insensitively_and_unknown_ones_are_named() -> None:
    assert parse_role(" Lead ") == Role.LEAD
    with pytest.raises(InvalidInput, match="'admin' is not a role — use one of: broker, lead, analyst"):
        parse_role("admin")
