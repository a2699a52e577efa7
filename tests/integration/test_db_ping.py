"""`db ping` for healthchecks: 0 when the database answers, 3 in one line when it does not — within its deadline."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from echo_core.config import PROJECT_ROOT
from tests.integration.conftest import Run


def ping(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": url}
    return subprocess.run([sys.executable, "-m", "echo_core", "db", "ping", *args], cwd=PROJECT_ROOT, env=env,
                          capture_output=True, text=True, timeout=60)


def test_a_database_that_answers_is_ok(fresh_db_url: str) -> None:
    result = ping(fresh_db_url)
    assert result.returncode == 0 and result.stdout.startswith("ok: PostgreSQL 18") and not result.stderr


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A TCP port that accepts connections and never says a word (a hung server, a black-holed route)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    yield listener.getsockname()[1]
    listener.close()


def test_a_server_that_never_answers_fails_at_the_deadline_not_at_libpqs(silent_server: int) -> None:
    started = time.monotonic()
    result = ping(f"postgresql://echo:secret-pw@127.0.0.1:{silent_server}/echo", "--timeout", "0.5")
    elapsed = time.monotonic() - started

    assert result.returncode == 3 and result.stderr.count("\n") == 1
    assert "did not answer within 0.5 s" in result.stderr and "secret-pw" not in result.stderr
    assert elapsed < 2 + 5  # libpq alone would wait its 2-second minimum per attempt; generous for a busy machine


def test_the_full_cli_offers_ping_too(cli: Run) -> None:
    code, out, err = cli("db", "ping")
    assert code == 0 and out.startswith("ok: PostgreSQL"), err
