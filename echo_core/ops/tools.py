"""Running PostgreSQL's own programs (pg_dump, pg_restore) safely.

The password travels in PGPASSWORD, never on the command line where `ps` would show it; a
stop request terminates the program; a failure becomes one line naming the program's last error.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence

from sqlalchemy.engine import make_url

from echo_core.db.server import pg_bin
from echo_core.errors import BackupFailed


class Interrupted(BackupFailed):
    """The worker was asked to stop while a backup program ran; the program was ended, nothing kept."""


def url_and_env(url: str) -> tuple[str, dict[str, str]]:
    """A libpq URI without its password, and the environment that carries the password instead."""
    parsed = make_url(url).set(drivername="postgresql")
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    return parsed.set(password=None).render_as_string(hide_password=False), env


def run_tool(name: str, args: Sequence[str], *, env: dict[str, str],
             should_stop: Callable[[], bool] = lambda: False) -> None:
    """Run a PostgreSQL program to completion; raise BackupFailed (one line) if it fails or is stopped."""
    with tempfile.TemporaryFile("w+") as errors_file:  # a file, not a pipe: a chatty program never blocks
        process = subprocess.Popen([pg_bin(name), *args], env=env, stdout=subprocess.DEVNULL, stderr=errors_file,
                                   text=True)
        _wait(name, process, should_stop)
        errors_file.seek(0)
        stderr = errors_file.read()
    if process.returncode != 0:
        lines = [line.strip() for line in stderr.splitlines() if line.strip()]
        errors = [line for line in lines if "error" in line.lower()] or lines or ["no output"]
        raise BackupFailed(f"{name} failed: {errors[0][:300]}")


def _wait(name: str, process: subprocess.Popen[str], should_stop: Callable[[], bool]) -> None:
    while process.poll() is None:
        if should_stop():
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            raise Interrupted(f"{name} was stopped before it finished (the worker is shutting down).")
        time.sleep(0.1)
