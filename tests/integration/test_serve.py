"""`python -m echo_core serve` (what `make run` runs): the dashboard and the worker together; Ctrl+C stops both,
and even a launcher killed with -9 leaves no orphan behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import psutil
import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from echo_core.config import PROJECT_ROOT
from echo_core.permissions import Actor
from echo_core.services.drafts import send
from tests.factories import make_deal, make_draft, make_email
from tests.mailservers import free_port


def wait_for(check: Callable[[], object], seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.2)


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:  # noqa: S310 - localhost
            return bool(response.status == 200)
    except OSError:
        return False


def gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


@pytest.fixture
def served(fresh_db_url: str, tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], str, list[int]]]:
    port = free_port()
    env = {**os.environ, "DATABASE_URL": fresh_db_url, "ECHO_AUTO_MIGRATE": "false", "ECHO_SEED_DEMO": "false",
           "ECHO_BACKUP_ENABLED": "false", "ECHO_DATA_DIR": str(tmp_path), "ECHO_PROVIDER": "offline"}
    log = (tmp_path / "serve.log").open("wb")
    launcher = subprocess.Popen([sys.executable, "-m", "echo_core", "serve", "--port", str(port), "--address",
                                 "127.0.0.1"], cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: len(psutil.Process(launcher.pid).children()) == 2)
        children = [c.pid for c in psutil.Process(launcher.pid).children()]
        wait_for(lambda: healthy(url))
        yield launcher, url, children
    finally:
        for pid in [launcher.pid, *children]:
            if not gone(pid):
                os.kill(pid, signal.SIGKILL)
        launcher.wait(10)
        log.close()


def test_serve_delivers_what_is_sent_and_ctrl_c_stops_both(served: tuple[subprocess.Popen[bytes], str, list[int]],
                                                           fresh_engine: Engine, tmp_path: Path) -> None:
    launcher, _, children = served
    with Session(fresh_engine, expire_on_commit=False) as s:
        deal = make_deal(s)
        draft = make_draft(s, deal=deal, inbound=make_email(s, deal=deal), status="approved", body="See you Tuesday.")
        send(session=s, draft_id=draft.id, actor=Actor("broker@tandem.space"))

    def delivered() -> bool:
        with fresh_engine.connect() as conn:
            return conn.scalar(text("SELECT status FROM outbox")) == "delivered"

    wait_for(delivered, 60)
    [eml] = (tmp_path / "outbox").glob("*.eml")
    assert "See you Tuesday." in eml.read_text()

    launcher.send_signal(signal.SIGINT)  # Ctrl+C
    assert launcher.wait(90) == 0
    assert all(gone(pid) for pid in children)
    with fresh_engine.connect() as conn:  # the worker stopped cleanly: it said so in its heartbeats
        assert conn.scalar(text("SELECT bool_and(stopped_at IS NOT NULL) FROM worker_heartbeats"))
    output = (tmp_path / "serve.log").read_text()
    assert "Traceback" not in output and "stopping (SIGTERM)" in output


def test_a_launcher_killed_outright_takes_its_children_along(
    served: tuple[subprocess.Popen[bytes], str, list[int]],
) -> None:
    launcher, _, children = served
    launcher.kill()
    launcher.wait(10)
    wait_for(lambda: all(gone(pid) for pid in children), 90)
