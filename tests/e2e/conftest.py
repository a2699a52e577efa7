"""Browser tests: the real app (`streamlit run serve.py`, as `make run` serves it) in Debian's headless
Chromium, driven by Playwright.

- `live_app`: one Streamlit server per module on a free port, against a database of its own
  copied from the migrated template and seeded with the demo brokerage plus drafts made here,
  with the worker beside it (`python -m echo_core worker`, as `make run` does) delivering into
  `LiveApp.outbox` as .eml files.
- `page`: a fresh browser tab per test.
Without /usr/bin/chromium the tests skip with the reason — unless `CI` is set: then they fail.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from echo_core.db.engine import make_engine
from tests import dbutil

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("ECHO_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
ACTOR = "broker@tandem.space"
START_TIMEOUT_SECONDS = 60


def require_chromium() -> None:
    if CHROMIUM.exists():
        return
    reason = f"{CHROMIUM} is missing — install Debian's chromium (`make system-deps`) to run the browser tests"
    if os.environ.get("CI"):
        pytest.fail(f"CI is set and {reason}")
    print(f"\nskipping browser tests: {reason}", file=sys.stderr)
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LiveApp:
    url: str
    db_url: str
    engine: Engine
    drafts: dict[str, int]  # name -> id of drafts made for the tests
    outbox: Path  # where the worker writes delivered replies (.eml)
    worker: subprocess.Popen[bytes] | None = None  # `python -m echo_core worker` beside the app (may be paused)


def _arrange_drafts(engine: Engine) -> dict[str, int]:
    """Pending drafts on a demo deal whose bodies pass the fact check, so approval needs no override."""
    from sqlalchemy import select

    from echo_core.db.models import Deal
    from tests.factories import make_draft, make_email

    body = "Thanks for reaching out! Happy to set up a tour — which day suits you next week?"
    with Session(engine) as s:
        deal = s.scalars(select(Deal).order_by(Deal.id)).first()
        assert deal is not None, "the demo seed made no deals"
        made = {}
        for name in ("to_send", "to_archive", "to_deliver"):
            inbound = make_email(s, deal=deal, subject=f"E2E {name}", body=f"Question for {name}: can we tour?")
            made[name] = make_draft(s, deal=deal, inbound=inbound, body=body).id
        s.commit()
    return made


def _wait_healthy(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:  # noqa: S310 - localhost
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"streamlit did not become healthy within {START_TIMEOUT_SECONDS}s")


@pytest.fixture(scope="module")
def live_app(server_url: str, template_db: str) -> Iterator[LiveApp]:
    require_chromium()
    from echo_core.demo.seed import seed_demo

    with dbutil.database_copy(server_url, template_db, prefix="echo_e2e") as db_url:
        engine = make_engine(db_url)
        with Session(engine) as session:
            seed_demo(session)
        drafts = _arrange_drafts(engine)
        port = free_port()
        env = {
            **os.environ, "DATABASE_URL": db_url, "ECHO_AUTO_MIGRATE": "false", "ECHO_SEED_DEMO": "false",
            "ECHO_PROVIDER": "offline", "ECHO_DEFAULT_ACTOR": ACTOR, "PYTHONPATH": str(ROOT),
        }
        env.pop("OPENAI_API_KEY", None)
        command = [
            sys.executable, "-m", "streamlit", "run", str(ROOT / "serve.py"), "--server.port", str(port),
            "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
            "--server.fileWatcherType", "none",
        ]
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        data_dir = Path(tempfile.mkdtemp(prefix="echo-e2e-"))
        worker = subprocess.Popen([sys.executable, "-m", "echo_core", "worker"], cwd=ROOT,
                                  env={**env, "ECHO_DATA_DIR": str(data_dir), "ECHO_BACKUP_ENABLED": "false"},
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_healthy(url, process)
            yield LiveApp(url=url, db_url=db_url, engine=engine, drafts=drafts, outbox=data_dir / "outbox",
                          worker=worker)
        finally:
            for child in (process, worker):
                child.send_signal(signal.SIGCONT)  # a test may have paused it
                child.terminate()
                try:
                    child.wait(timeout=70)
                except subprocess.TimeoutExpired:
                    child.kill()
            shutil.rmtree(data_dir, ignore_errors=True)
            engine.dispose()


@pytest.fixture(scope="module")
def browser(live_app: LiveApp) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    report = yield
    if report.when == "call":
        item.stash[_FAILED] = report.failed
    return report


_FAILED = pytest.StashKey[bool]()


@pytest.fixture
def page(browser: object, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, accept_downloads=True)  # type: ignore[attr-defined]
    tab = context.new_page()
    tab.set_default_timeout(20_000)
    yield tab
    if request.node.stash.get(_FAILED, False):  # what the browser showed, for the failure report
        shot = tmp_path_factory.mktemp("e2e") / f"{request.node.name}.png"
        tab.screenshot(path=str(shot), full_page=True)
        print(f"\nscreenshot of the failed page: {shot}", file=sys.stderr)
    context.close()
