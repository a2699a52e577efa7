"""Defect 3 of issue 15: `db grant-app-role --password-stdin` never sends the clear password to PostgreSQL, so
neither the server log (every statement logged, failures with their statement) nor statement history holds it."""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

from echo_core.cli import common, main
from echo_core.cli import db as db_cli
from echo_core.config import reload_settings

LOGGED = "-c log_statement=all -c log_min_error_statement=error"  # libpq's PGOPTIONS: this process's sessions


def _libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture
def logged_owner(fresh_db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, Path]]:
    """The owner's URL with every statement logged for its connections, and the server's log file."""
    with psycopg.connect(_libpq(fresh_db_url), autocommit=True) as conn:
        directory = conn.execute("SHOW data_directory").fetchone()
    assert directory is not None
    log = Path(directory[0]) / "log"
    if not log.exists():
        pytest.skip("the server's log file is not readable from here (TEST_DATABASE_URL on another host)")
    url = fresh_db_url
    monkeypatch.setenv("PGOPTIONS", LOGGED)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("ECHO_MIGRATION_DATABASE_URL", url)
    monkeypatch.setattr(common, "_engine", None)
    monkeypatch.setattr(db_cli, "_owner", None)
    reload_settings()
    yield url, log
    for eng in (common._engine, db_cli._owner):
        if eng is not None:
            eng.dispose()
    monkeypatch.undo()
    reload_settings()


def _grant(monkeypatch: pytest.MonkeyPatch, stdin: str, *args: str) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    monkeypatch.setattr(db_cli, "_owner", None)
    return main(["db", "grant-app-role", *args])


def _drop(url: str, role: str) -> None:
    with psycopg.connect(_libpq(url), autocommit=True) as conn:
        conn.execute(f'DROP OWNED BY "{role}"')
        conn.execute(f'DROP ROLE IF EXISTS "{role}"')


def _scram_matches(verifier: str, password: str) -> bool:
    """RFC 5802: StoredKey = H(HMAC(SaltedPassword, "Client Key")); the stored verifier proves the password."""
    method, rest = verifier.split("$", 1)
    params, keys = rest.split("$")
    iterations, salt = params.split(":")
    stored_key = base64.b64decode(keys.split(":")[0])
    salted = hashlib.pbkdf2_hmac("sha256", password.encode(), base64.b64decode(salt), int(iterations))
    client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
    return method == "SCRAM-SHA-256" and hashlib.sha256(client_key).digest() == stored_key


def test_the_role_password_reaches_neither_the_log_nor_statement_history(
    logged_owner: tuple[str, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url, log = logged_owner
    role = f"echo_app_{uuid.uuid4().hex[:8]}"
    password = f"clear-{uuid.uuid4().hex}"
    start = log.stat().st_size
    try:
        assert _grant(monkeypatch, password + "\n", role, "--create", "--password-stdin") == 0  # success
        assert _grant(monkeypatch, password + "\n", role, "--create", "--password-stdin") == 2  # role exists
        assert "already exists" in capsys.readouterr().err
        assert _grant(monkeypatch, password + "\n", role, "--password-stdin") == 0  # second run, new verifier
        assert _grant(monkeypatch, "short\n", role, "--password-stdin") == 2  # bad input
        missing = f"echo_nobody_{uuid.uuid4().hex[:6]}"
        assert _grant(monkeypatch, password + "\n", missing, "--password-stdin") == 2  # no such role
        assert "does not exist" in capsys.readouterr().err
        with psycopg.connect(_libpq(url), autocommit=True) as conn:
            stored = conn.execute("SELECT rolpassword FROM pg_authid WHERE rolname = %s", (role,)).fetchone()
            history = conn.execute("SELECT coalesce(string_agg(query, ' '), '') FROM pg_stat_statements").fetchone()
        assert stored is not None and stored[0].startswith("SCRAM-SHA-256$")
        assert _scram_matches(stored[0], password)  # the app role logs in with exactly this password
        assert history is not None and password not in history[0]
        written = log.read_bytes()[start:].decode("utf-8", "replace")
        assert "ALTER ROLE" in written and "CREATE ROLE" in written  # the statements were logged…
        assert "SCRAM-SHA-256$" in written  # …with the verifier only
        assert password not in written
    finally:
        _drop(url, role)


def test_a_role_that_exists_is_refused_before_any_statement_names_a_password(
    logged_owner: tuple[str, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url, log = logged_owner
    role = f"echo_app_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(_libpq(url), autocommit=True) as conn:
        conn.execute(f'CREATE ROLE "{role}" LOGIN')
    start = log.stat().st_size
    try:
        assert _grant(monkeypatch, "another-clear-password\n", role, "--create", "--password-stdin") == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "without --create" in err
        written = log.read_bytes()[start:].decode("utf-8", "replace")
        assert "CREATE ROLE" not in written and "another-clear-password" not in written
    finally:
        _drop(url, role)
