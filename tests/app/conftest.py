"""AppTest fixtures shared by every dashboard page test.

The app runs in-process (Streamlit's AppTest), so it reads the same environment and
the same `st.cache_resource` / `st.cache_data` stores as the test. Each fixture below
gives the app a database of the test's own and leaves no cache behind.

Fixtures
- `app_db_url`: a fresh database migrated to head (from `fresh_db_url` in tests/conftest.py),
  EMPTY. The app is pointed at it: `DATABASE_URL` is set, demo seeding and auto-migration are
  off, `echo_core.config.reload_settings()` is called and both Streamlit caches are cleared, so
  `ui.resources.get_engine()` builds a new engine on it. Undone after the test.
- `demo_db_url`: `app_db_url` with the demo brokerage seeded (`echo_core.demo.seed.seed_demo`:
  16 spaces, 9 deals with threads, deal_spaces and drafts).
- `app_engine`: an engine on that database (whichever of the two the test asked for; it asks
  for `app_db_url` if the test asked for neither) to arrange rows and assert what the app wrote:
  `with Session(app_engine) as s: make_deal(s, ...); s.commit()`.
- `open_page`: `open_page("pages/deals.py", state={...}, role="broker")` runs the real router
  (`app.py`, `st.navigation`) through AppTest SIGNED IN, switches to the page and returns the
  AppTest after that run. `role` (broker | lead | analyst) picks the account: `<role>@tandem.space`,
  created in the app's database if missing (the demo seed already has them); `email=` names
  another one. Signing in is what the login form does: a real web session is started
  (echo_core.web_sessions) and its id goes into `st.session_state["web_session_id"]`
  (`signed_in_state(url, email, role)` gives that state for tests that build their own AppTest).
  `state` seeds `st.session_state` before the page's first run.
- `open_app`: the AppTest of `app.py` signed in as nobody (the sign-in page), for login tests.

Typical use:

    def test_deals_page_renders_the_demo_deals(demo_db_url, open_page):
        at = open_page("pages/deals.py")
        assert not at.exception
        assert len(at.dataframe[0].value) == 9

After an action (`at.button(key="…").click().run()`), assert on the database through
`app_engine`, not only on the page: the page may be right for the wrong reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from echo_core.config import reload_settings
from echo_core.db.engine import make_engine
from ui import prefetch

APP = Path(__file__).resolve().parents[2] / "app.py"
TIMEOUT_SECONDS = 60
DEFAULT_ACTOR = "broker@tandem.space"
SESSION_KEY = "web_session_id"  # ui.auth.SESSION_KEY


@dataclass(frozen=True)
class ShownFigure:
    """A figure as a figure row (ui/figures.py) draws it: what a reader sees, and its tooltip."""

    label: str
    value: str
    help: str | None


class _FigureRows(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[ShownFigure] = []
        self._in: str | None = None  # "dt", "dd" or None
        self._hidden = 0  # inside an aria-hidden mark
        self._help: str | None = None
        self._label, self._value, self._dds = "", "", 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "dt":
            self._in, self._label, self._help, self._value, self._dds = "dt", "", dict(attrs).get("title"), "", 0
        elif tag == "dd":
            self._dds += 1
            self._in = "dd" if self._dds == 1 else None  # the second dd is the help again, for screen readers
        elif tag == "span" and dict(attrs).get("aria-hidden") == "true":
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "span" and self._hidden:
            self._hidden -= 1
        elif tag == "dd" and self._in == "dd":
            self.found.append(ShownFigure(self._label, self._value, self._help))
            self._in = None
        elif tag == "dt":
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "dt" and not self._hidden:
            self._label += data
        elif self._in == "dd":
            self._value += data


def html_blocks(at: AppTest, css_class: str) -> list[str]:
    """The markup of every st.html block on the page whose outer element has `css_class` (figure rows, static
    tables, charts)."""
    return [str(element.value) for element in at.main.html if f'class="{css_class}"' in element.value]


def shown_figures(at: AppTest) -> dict[str, ShownFigure]:
    """Every figure the page's figure rows show, by label (read back from their HTML, as a browser would)."""
    parser = _FigureRows()
    for block in html_blocks(at, "echo-figures"):
        parser.feed(block)
    return {figure.label: figure for figure in parser.found}


class _Tables(HTMLParser):
    """ui/static_table.py's tables: name (aria-label) -> header and rows of cell text."""

    def __init__(self) -> None:
        super().__init__()
        self.found: dict[str, tuple[list[str], list[list[str]]]] = {}
        self._name: str | None = None
        self._cell: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._name = dict(attrs).get("aria-label") or ""
            self.found[self._name] = ([], [])
        elif tag == "tr" and self._name is not None:
            self.found[self._name][1].append([])
        elif tag in ("th", "td"):
            self._cell = ""

    def handle_endtag(self, tag: str) -> None:
        if tag in ("th", "td") and self._name is not None and self._cell is not None:
            header, rows = self.found[self._name]
            (header if tag == "th" else rows[-1]).append(self._cell)
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell += data


def static_tables(at: AppTest) -> dict[str, Any]:
    """Every static table the page shows (ui/static_table.py), by name, as a DataFrame of the cells' text."""
    import pandas as pd

    parser = _Tables()
    for block in html_blocks(at, "echo-table"):
        parser.feed(block)
    return {name: pd.DataFrame([row for row in rows if row and len(row) == len(header)], columns=header)
            for name, (header, rows) in parser.found.items()}


def figure_values(at: AppTest) -> dict[str, str]:
    return {label: figure.value for label, figure in shown_figures(at).items()}


def metrics(at: AppTest) -> list[str]:
    """The labels of the page's figures and metrics, without the sign-in page's hidden ones (ui/prefetch.py)."""
    return [*shown_figures(at), *(m.label for m in at.metric if m.label != prefetch.LABEL)]


def frames(at: AppTest) -> list[Any]:
    """The page's tables, without the sign-in page's hidden one (one column named after ui/prefetch.py's label)."""
    return [d for d in at.dataframe if list(d.value.columns) != [prefetch.LABEL]]


def account_id(url: str, email: str, role: str) -> int:
    """The id of the account `email`, created with `role` if missing (no password: tests sign in by id)."""
    from echo_core.db.models import User
    from tests.factories import make_user

    engine = make_engine(url)
    try:
        with Session(engine) as session:
            user = session.query(User).filter_by(email=email).one_or_none() or make_user(session, email=email,
                                                                                         role=role)
            session.commit()
            return user.id
    finally:
        engine.dispose()


def signed_in_state(url: str, email: str, role: str = "broker") -> dict[str, Any]:
    """The session state of a tab signed in as `email` (account created with `role` if missing)."""
    from echo_core import web_sessions

    user_id = account_id(url, email, role)
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            return {SESSION_KEY: web_sessions.start(session=session, user_id=user_id).session_id}
    finally:
        engine.dispose()


def _clear_streamlit_caches() -> None:
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.fixture
def app_db_url(fresh_db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """An empty migrated database the app under test uses."""
    monkeypatch.setenv("DATABASE_URL", fresh_db_url)
    monkeypatch.setenv("ECHO_AUTO_MIGRATE", "false")
    monkeypatch.setenv("ECHO_SEED_DEMO", "false")
    monkeypatch.setenv("ECHO_PROVIDER", "offline")
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    reload_settings()
    _clear_streamlit_caches()
    yield fresh_db_url
    _clear_streamlit_caches()
    monkeypatch.undo()
    reload_settings()


@pytest.fixture
def demo_db_url(app_db_url: str) -> str:
    """The app's database with the demo brokerage seeded."""
    from echo_core.demo.seed import seed_demo

    engine = make_engine(app_db_url)
    try:
        with Session(engine) as session:
            seed_demo(session)
    finally:
        engine.dispose()
    return app_db_url


@pytest.fixture
def app_engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    """An engine on the app's database, for arranging rows and checking what the app wrote."""
    names = request.fixturenames
    url: str = request.getfixturevalue("demo_db_url" if "demo_db_url" in names else "app_db_url")
    engine = make_engine(url)
    yield engine
    engine.dispose()


@pytest.fixture
def open_app(app_db_url: str) -> Callable[[], AppTest]:
    """The app before sign-in: the AppTest after its first run (the sign-in page)."""

    def _open() -> AppTest:
        return AppTest.from_file(str(APP), default_timeout=TIMEOUT_SECONDS).run()

    return _open


@pytest.fixture
def open_page(app_db_url: str) -> Callable[..., AppTest]:
    """Open a page through the real router, signed in; returns the AppTest after the page's first run."""

    def _open(page: str, *, state: dict[str, Any] | None = None, role: str = "broker",
              email: str | None = None) -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_SECONDS)
        for key, value in signed_in_state(app_db_url, email or f"{role}@tandem.space", role).items():
            at.session_state[key] = value
        at.run()
        assert not at.exception, at.exception
        for key, value in (state or {}).items():
            at.session_state[key] = value
        at.switch_page(page)
        return at.run()

    return _open
