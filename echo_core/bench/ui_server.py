"""The dashboard under test: a real `streamlit run` of a checkout (this one, or an older one's worktree) on the
bench database, plus a one-button floor page served by the same server process, and the same page served by a
stock Streamlit (its default settings, nothing of the app loaded) in a process of its own.

The checkout's own CLI prepares its database (`bench generate` if it has no data, `db upgrade`, a lead account
to sign in with), so an older checkout runs on its own schema. The server runs a small entry script written
into the checkout: `?bench_floor=1` shows the floor page (one button, one line of text); anything else runs the
checkout's `app.py` unchanged. When the checkout has `serve.py` (the session-cookie route), the entry is wrapped
the same way, so sign-in works as in production.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.pool import NullPool

from echo_core.bench.target import row_counts
from echo_core.db.engine import make_engine
from echo_core.errors import EchoError

ENTRY = "bench_ui_entry.py"
SERVE = "bench_ui_serve.py"
ACCOUNT = "bench-ui@echo-bench.test"
PASSWORD = "bench-ui-password-8d1f"  # a synthetic database's synthetic account
START_TIMEOUT_SECONDS = 120

_ENTRY_SOURCE = '''"""Written by `bench ui` while it runs (then deleted): the floor page, or the app."""
import runpy
from pathlib import Path

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

PagesManager.uses_pages_directory = False  # app.py routes with st.navigation (as serve.py says)
if st.query_params.get("bench_floor") == "1":
    clicks = int(st.session_state.get("bench_floor_clicks", 0))
    if st.button("Click", key="bench_floor_button"):
        clicks += 1
        st.session_state["bench_floor_clicks"] = clicks
    st.text(f"Clicks: {clicks}")
else:
    runpy.run_path(str(Path(__file__).with_name("app.py")), run_name="__main__")
'''


_STOCK_FLOOR_SOURCE = '''"""Written by `bench ui` while it runs (then deleted): stock Streamlit's one-button page, or
(?mirror=draft) a fixed copy of the open draft's elements, as stock Streamlit draws them: nothing of the app, no
database."""
import streamlit as st

BODY = ("Hi, we are a team of 14 looking at the second floor. Is the space dog friendly, and is there parking "
        "for four cars? Could we tour on Tuesday at 2pm? We would also like to know the monthly rate and whether "
        "the lease can start in March.\\n\\nThanks,\\nSam")
REPLY = ("Hi Sam,\\n\\nThanks for your interest in the second floor. Dogs are welcome, and the building has "
         "parking for four cars at $150 a month each. The monthly rate is $18,500, and a lease can start on 1 March. "
         "Tuesday at 2pm is free for a tour: shall I book it?\\n\\nBest,\\nAlex")
TABS = ("Versions & diff", "Reasoning", "Fact check & coverage", "Refine", "History")


def _next() -> None:
    st.session_state["mirror_draft"] = int(st.session_state.get("mirror_draft", 0)) + 1


@st.fragment
def draft_panel() -> None:
    n = int(st.session_state.get("mirror_draft", 0))
    prev, nxt = st.columns(2)
    prev.button("Previous", key="mirror_prev", icon=":material/arrow_upward:", shortcut="K", width="stretch")
    nxt.button("Next", key="mirror_next", icon=":material/arrow_downward:", shortcut="J", width="stretch",
               on_click=_next)
    st.html(f"<style>.st-key-mirror_row_{n} button {{background: #e8f0fe; border: 2px solid #1a73e8}}</style>")
    title, _ = st.columns([5, 1], vertical_alignment="center")
    title.subheader(f"Draft #{1000 + n} · Company {n}", anchor=False)
    st.caption(f"Sam Seeker <sam{n}@example.com> · deal #{500 + n} (owner@example.com) · drafted 3 h ago",
               help="Drafted 1 Dec 2026, 09:14")
    st.markdown(":blue-badge[Pending] :green-badge[82% confident] :green-badge[Facts check out] "
                ":green-badge[Answers 3 of 3 asks] :gray-badge[v1]", help="The fact check and the coverage.")
    talk, answer = st.columns([2, 3], gap="small")
    with talk, st.container(height=440, border=True, key="mirror_thread"):
        st.caption(f"From sam{n}@example.com · received 3 h ago", help="Received 1 Dec 2026, 09:12")
        st.text(f"Subject: Second floor, draft {n}")
        st.text(BODY)
        st.divider()
        st.toggle("Rest of the thread · 9 other emails, newest first", key="mirror_rest")
    with answer:
        with st.container(key="mirror_reply"):
            st.text_area("Reply", value=REPLY, key=f"mirror_body_{n}", height=300, help="Approve and Send act on this.")
        st.button("Approve & send", key=f"mirror_send_{n}", type="primary", icon=":material/send:",
                  shortcut="Ctrl+Enter", width="stretch")
        cols = st.columns(3, gap="small")
        cols[0].button("Approve", key=f"mirror_approve_{n}", shortcut="A", width="stretch")
        cols[1].button("Save", key=f"mirror_save_{n}", shortcut="Ctrl+S", width="stretch")
        cols[2].button("Archive", key=f"mirror_archive_{n}", shortcut="E", width="stretch")
    st.segmented_control("Details", TABS, key="mirror_tabs", label_visibility="collapsed")


if st.query_params.get("mirror") == "draft":
    draft_panel()
else:
    clicks = int(st.session_state.get("bench_floor_clicks", 0))
    if st.button("Click", key="bench_floor_button"):
        clicks += 1
        st.session_state["bench_floor_clicks"] = clicks
    st.text(f"Clicks: {clicks}")
'''


class BenchUiFailed(EchoError):
    """The dashboard under test could not be prepared or started."""


@dataclass(frozen=True)
class Checkout:
    root: Path

    @property
    def flavour(self) -> str:
        """"inbox": today's Draft review (queue list, Next, search); "v1": the table-and-selectbox page."""
        return "inbox" if (self.root / "ui" / "inbox.py").exists() else "v1"

    @property
    def serves_asgi(self) -> bool:
        return (self.root / "serve.py").exists()


def _cli(checkout: Checkout, db_url: str, *args: str, stdin: str | None = None,
         check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": db_url, "PYTHONPATH": str(checkout.root)}
    done = subprocess.run([sys.executable, "-m", "echo_core", *args], cwd=checkout.root, env=env, input=stdin,
                          capture_output=True, text=True, check=False)
    if check and done.returncode != 0:
        last = (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1]
        raise BenchUiFailed(f"`python -m echo_core {' '.join(args)}` in {checkout.root} failed: {last}")
    return done


def prepare(checkout: Checkout, db_url: str, *, scale: str, database: str, say: object = print) -> None:
    """Bench data (generated by the checkout's own code if missing), its schema at the checkout's head, and
    the lead account the browser signs in with."""
    engine = make_engine(db_url, poolclass=NullPool)
    try:
        counts = row_counts(engine)
    finally:
        engine.dispose()
    if not counts["email_drafts"]:
        say(f"generating the {scale} bench data in '{database}' with {checkout.root}'s code …")  # type: ignore[operator]
        _cli(checkout, db_url, "bench", "generate", "--scale", scale, "--database", database)
    _cli(checkout, db_url, "db", "upgrade")
    _cli(checkout, db_url, "users", "add", ACCOUNT, "--role", "lead", check=False)  # fails if it exists: fine
    _cli(checkout, db_url, "users", "enable", ACCOUNT, check=False)
    _cli(checkout, db_url, "users", "set-password", ACCOUNT, "--password-stdin", stdin=PASSWORD + "\n")


def data_layer(checkout: Checkout, db_url: str, *, database: str, runs: int) -> dict[str, float]:
    """The checkout's own `bench run` (no export): median ms per page name."""
    import json

    done = _cli(checkout, db_url, "bench", "run", "--json", "--no-export", "--runs", str(runs),
                "--database", database)
    report = json.loads(done.stdout)
    return {p["page"]: float(p["median_ms"]) for p in report["pages"] if p.get("median_ms") is not None}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _write_entry(checkout: Checkout) -> list[Path]:
    written = [checkout.root / ENTRY]
    written[0].write_text(_ENTRY_SOURCE, encoding="utf-8")
    if checkout.serves_asgi:
        serve = (checkout.root / "serve.py").read_text(encoding="utf-8")
        wrapped = serve.replace('with_name("app.py")', f'with_name("{ENTRY}")')
        if wrapped != serve:
            (checkout.root / SERVE).write_text(wrapped, encoding="utf-8")
            written.append(checkout.root / SERVE)
    return written


def _wait_healthy(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            err = process.stderr.read().decode(errors="replace") if process.stderr else ""
            raise BenchUiFailed(f"streamlit exited with {process.returncode}: {err.strip()[-300:]}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:  # noqa: S310 - localhost
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise BenchUiFailed(f"streamlit did not become healthy within {START_TIMEOUT_SECONDS}s")


@contextmanager
def serving(checkout: Checkout, db_url: str, *, port: int | None = None) -> Iterator[str]:
    """A `streamlit run` of the checkout on `db_url`; yields its base URL and stops it afterwards."""
    written = _write_entry(checkout)
    script = written[-1]
    port = port or _free_port()
    env = {**os.environ, "DATABASE_URL": db_url, "ECHO_AUTO_MIGRATE": "false", "ECHO_SEED_DEMO": "false",
           "ECHO_PROVIDER": "offline", "PYTHONPATH": str(checkout.root)}
    env.pop("OPENAI_API_KEY", None)
    command = [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
               "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
               "--server.fileWatcherType", "none", "--server.runOnSave", "false"]
    try:
        with _running(command, port=port, cwd=checkout.root, env=env) as url:
            yield url
    finally:
        for path in written:
            path.unlink(missing_ok=True)


@contextmanager
def _running(command: list[str], *, port: int, cwd: Path | str, env: dict[str, str] | None = None) -> Iterator[str]:
    """A `streamlit run` subprocess, healthy before it is used and stopped afterwards; yields its base URL."""
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process)
        yield url
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


@contextmanager
def serving_stock_floor() -> Iterator[str]:
    """The one-button page on a stock `streamlit run` (default settings, run from an empty folder so no project's
    .streamlit/config.toml applies): Streamlit's own floor, as the issue measured it."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="echo-bench-floor-") as folder:
        script = Path(folder) / "floor.py"
        script.write_text(_STOCK_FLOOR_SOURCE, encoding="utf-8")
        port = _free_port()
        command = [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
                   "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats",
                   "false"]
        with _running(command, port=port, cwd=folder) as url:
            yield url
