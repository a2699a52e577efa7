"""With no DATABASE_URL the app starts PostgreSQL from the pip package; its data survives restarts."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from echo_core.config import PROJECT_ROOT


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TEST_DATABASE_URL")}
    env["ECHO_DATA_DIR"] = str(data_dir)
    return env


def _cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "echo_core", *args], cwd=PROJECT_ROOT, env=_env(data_dir),
                          capture_output=True, text=True, timeout=180)


@pytest.fixture
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # A short path keeps the server's Unix socket name under the OS limit.
    return tmp_path_factory.mktemp("ed")


def test_first_use_starts_migrates_and_seeds_and_the_data_survives_a_restart(data_dir: Path) -> None:
    first = _cli(data_dir, "db", "fresh")
    assert first.returncode == 0, first.stderr
    assert "seeded:" in first.stdout
    assert (data_dir / "pgdata" / "PG_VERSION").exists()
    # The last process to leave stops the server; the next one starts it on the same data.
    deadline = time.time() + 10
    while (data_dir / "pgdata" / "postmaster.pid").exists() and time.time() < deadline:
        time.sleep(0.2)
    assert not (data_dir / "pgdata" / "postmaster.pid").exists()
    again = _cli(data_dir, "db", "status")
    assert again.returncode == 0, again.stderr
    assert "up to date" in again.stdout
    assert "deals          9" in again.stdout


def test_two_processes_share_one_server(data_dir: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from echo_core.cli.common import engine; engine(); print('ready', flush=True); "
         "sys.stdin.readline()"],
        cwd=PROJECT_ROOT, env=_env(data_dir), stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        pid_file = data_dir / "pgdata" / "postmaster.pid"
        server_pid = pid_file.read_text().splitlines()[0]
        status = _cli(data_dir, "db", "status")
        assert status.returncode == 0, status.stderr
        # The CLI left, but the holder still uses the server: it must still be the same running server.
        assert pid_file.exists() and pid_file.read_text().splitlines()[0] == server_pid
    finally:
        assert holder.stdin is not None
        holder.stdin.write("\n")
        holder.stdin.flush()
        holder.wait(timeout=30)


def test_the_default_data_directory_is_git_ignored() -> None:
    ignored = subprocess.run(["git", "check-ignore", "-q", ".echo/pgdata"], cwd=PROJECT_ROOT)
    assert ignored.returncode == 0
