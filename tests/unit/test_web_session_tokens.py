"""Session tokens without a database: signed, expiring, tamper-evident; the key comes from configuration."""

from __future__ import annotations

import os
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from echo_core.config import Settings
from echo_core.errors import InvalidInput
from echo_core.web_sessions import SessionEnded, session_key, sign, unsign

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
KEY = "k" * 48


def settings(tmp_path: Path, secret: str | None = KEY) -> Settings:
    values: dict[str, object] = {"ECHO_DATA_DIR": tmp_path}
    if secret is not None:
        values["ECHO_SESSION_SECRET"] = secret
    return Settings(**values)  # type: ignore[arg-type]


def test_a_signed_token_reads_back_its_session_and_secret(tmp_path: Path) -> None:
    s = settings(tmp_path)
    token = sign(7, "the-secret", NOW + timedelta(hours=1), settings=s)
    assert unsign(token, now=NOW, settings=s) == (7, "the-secret")
    assert "the-secret" not in token or token.count(".") >= 1  # signed, not merely encoded


def test_an_expired_token_is_refused_as_expired(tmp_path: Path) -> None:
    s = settings(tmp_path)
    token = sign(7, "x", NOW + timedelta(seconds=1), settings=s)
    with pytest.raises(SessionEnded) as ended:
        unsign(token, now=NOW + timedelta(seconds=2), settings=s)
    assert ended.value.reason == "expired" and "expired" in str(ended.value)


def test_a_token_signed_with_another_key_is_invalid(tmp_path: Path) -> None:
    token = sign(7, "x", NOW + timedelta(hours=1), settings=settings(tmp_path, "a" * 40))
    with pytest.raises(SessionEnded) as ended:
        unsign(token, now=NOW, settings=settings(tmp_path, "b" * 40))
    assert ended.value.reason == "invalid"


@given(position=st.integers(min_value=0, max_value=200), replacement=st.sampled_from("AaZz09-_."))
def test_changing_any_character_of_a_token_makes_it_invalid(position: int, replacement: str) -> None:
    s = Settings(ECHO_SESSION_SECRET=KEY)  # type: ignore[call-arg]
    token = sign(12345, "secret-value", NOW + timedelta(days=1), settings=s)
    i = position % len(token)
    if token[i] == replacement:
        return
    tampered = token[:i] + replacement + token[i + 1:]
    try:
        result = unsign(tampered, now=NOW, settings=s)
    except SessionEnded as ended:
        assert ended.reason in ("invalid", "expired")
    else:  # base64 padding bits can absorb a change; then the payload must be the very same
        assert result == (12345, "secret-value")


@pytest.mark.parametrize("garbage", ["", "x", "a.b", "." * 600, "e30.AAAA", "\x00\x01", "😀.😀"])
def test_garbage_is_invalid_never_an_error(garbage: str, tmp_path: Path) -> None:
    with pytest.raises(SessionEnded):
        unsign(garbage, now=NOW, settings=settings(tmp_path))


def test_without_a_configured_secret_a_key_file_is_generated_once_private_and_reused(tmp_path: Path) -> None:
    s = settings(tmp_path, secret=None)
    first = session_key(s)
    assert session_key(s) == first and len(first) >= 32
    path = tmp_path / "session-secret"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert path.read_text().strip() == first


def test_a_short_configured_secret_is_refused_with_the_fix(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="shorter than 32 characters"):
        session_key(settings(tmp_path, "short"))


def test_the_session_secret_is_redacted_like_every_other_secret(tmp_path: Path) -> None:
    assert KEY in settings(tmp_path).secrets()
