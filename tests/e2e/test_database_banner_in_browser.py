"""The database goes away under a signed-in lead and comes back: the page says so in a banner, keeps what was
typed, and recovers by itself — no click, no reload. The app reaches PostgreSQL through a Unix-socket relay the
test can cut."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from echo_core.db.engine import make_engine
from tests import dbutil
from tests.e2e.conftest import ROOT, LiveApp, _wait_healthy, free_port, require_chromium
from tests.e2e.test_review_in_browser import LEAD, go_to, open_heading, reply, settle, sign_in

pytestmark = pytest.mark.e2e


class Relay:
    """A Unix socket that forwards to the real server's; `cut()` drops it and every connection through it."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self.folder = Path(tempfile.mkdtemp(prefix="echo-rl-"))
        self.path = self.folder / Path(upstream).name
        self._listener: socket.socket | None = None
        self._open: list[socket.socket] = []

    def start(self) -> Relay:
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(str(self.path))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()
        return self

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            server.connect(self.upstream)
            self._open += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def cut(self) -> None:
        assert self._listener is not None
        self._listener.close()
        self.path.unlink(missing_ok=True)
        for s in self._open:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self._open.clear()


@pytest.fixture(scope="module")
def relayed_app(server_url: str, template_db: str) -> Iterator[tuple[LiveApp, Relay]]:
    require_chromium()
    from echo_core.demo.seed import seed_demo

    with dbutil.database_copy(server_url, template_db, prefix="echo_e2e_relay") as db_url:
        engine = make_engine(db_url)
        with Session(engine) as session:
            seed_demo(session)
        socket_dir = parse_qs(urlsplit(db_url).query)["host"][0]
        relay = Relay(str(Path(socket_dir) / ".s.PGSQL.5432")).start()
        relayed = make_url(db_url).update_query_dict({"host": str(relay.folder)}).render_as_string(
            hide_password=False)
        port = free_port()
        env = {**os.environ, "DATABASE_URL": relayed, "ECHO_AUTO_MIGRATE": "false", "ECHO_SEED_DEMO": "false",
               "ECHO_PROVIDER": "offline", "PYTHONPATH": str(ROOT)}
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "serve.py"), "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_healthy(url, process)
            yield LiveApp(url=url, db_url=db_url, engine=engine, drafts={}, outbox=Path()), relay
        finally:
            process.terminate()
            process.wait(timeout=30)
            relay.cut()
            engine.dispose()


@pytest.fixture(scope="module")
def live_app(relayed_app: tuple[LiveApp, Relay]) -> LiveApp:  # the `browser` fixture's dependency
    return relayed_app[0]


def test_the_banner_appears_while_the_database_is_away_and_goes_by_itself(
    relayed_app: tuple[LiveApp, Relay], page: Any
) -> None:
    app, relay = relayed_app
    sign_in(page, app, *LEAD)
    go_to(page, "Monitoring")
    assert page.get_by_role("heading", name="Connections").count() == 1

    relay.cut()
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Home").click()
    banner = page.get_by_text("The database is unreachable")
    banner.wait_for(timeout=30_000)
    assert page.get_by_text("comes back by itself").count() == 1
    assert "Traceback" not in page.content()

    relay.start()  # no click, no reload from here on
    banner.wait_for(state="detached", timeout=30_000)
    page.get_by_role("heading", name="Waiting for review").wait_for(timeout=30_000)  # the Home page, redrawn
    settle(page)
    assert page.get_by_text("The database is unreachable").count() == 0


def test_text_typed_when_the_database_went_away_is_still_there_when_it_returns(
    relayed_app: tuple[LiveApp, Relay], page: Any
) -> None:
    from sqlalchemy import text

    app, relay = relayed_app
    with app.engine.connect() as conn:
        draft_id, body = conn.execute(text("SELECT id, final_body FROM email_drafts WHERE status = 'pending' "
                                           "ORDER BY created_at, id LIMIT 1")).one()
    page.set_viewport_size({"width": 1440, "height": 900})
    sign_in(page, app, *LEAD, path=f"/drafts?draft={draft_id}")
    open_heading(page, draft_id)
    typed = "Half-way through a careful reply about parking and the Tuesday tour…"
    reply(page).fill(typed)

    relay.cut()
    page.locator(f".st-key-save_{draft_id}_1 button, [class*='st-key-save_{draft_id}_'] button").first.click()
    banner = page.get_by_text("The database is unreachable")
    banner.wait_for(timeout=30_000)

    relay.start()
    banner.wait_for(state="detached", timeout=30_000)
    reply(page).wait_for(timeout=30_000)
    settle(page)
    assert reply(page).input_value() == typed  # kept, ready to save again
    with app.engine.connect() as conn:
        assert conn.scalar(text("SELECT final_body FROM email_drafts WHERE id = :i"), {"i": draft_id}) == body
