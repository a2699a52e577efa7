"""The database banner and the Monitoring page's cached figures.

`database_banner()` runs first on every page (app.py). While PostgreSQL is unreachable it shows
one line saying so and stops the run before anything touches the database, and a fragment probes
every few seconds and reruns the app once the database answers again. Text typed into the page
(a reply being edited) is kept aside when the run stops — the browser forgets widgets it no longer
shows — and put back when the page returns. While the database is reachable the cost is one
`SELECT 1` on a small pool of its own (memoised for a second across sessions) per run.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import psycopg
import streamlit as st
from sqlalchemy import Engine, exc, text
from streamlit import config as st_config
from streamlit.errors import StreamlitAPIException

from echo_core.config import InvalidSetting, get_settings
from echo_core.db.connect_errors import describe, describe_public
from echo_core.db.engine import make_engine
from echo_core.db.server import database_url
from echo_core.errors import EchoError
from echo_core.permissions import Actor, Role
from echo_core.queries.monitoring import Snapshot, monitoring
from ui import text as ui_text

_log = logging.getLogger(__name__)
# Putting typed text back sets widget values through Session State on purpose: no log warning for it.
st_config.set_option("global.disableWidgetStateDuplicationWarning", True)

DOWN_PROBE_SECONDS = 3.0  # how soon the page comes back after the database does
UP_PROBE_SECONDS = 30.0  # how soon an idle page notices the database went away
# How long a run trusts the last probe. Up: every signed-in run reads its session from the database inside
# `database_guard`, so a database that has gone away is found by that query and the guard probes afresh; the probe
# on every click (a round trip, 1-20 ms here on a busy machine) bought nothing. Down: probe again soon, to recover.
UP_MEMO_SECONDS = 10.0
DOWN_MEMO_SECONDS = 1.0
MONITORING_TTL_SECONDS = 15

_memo: dict[str, tuple[float, str | None]] = {}
_memo_lock = threading.Lock()


def _configured() -> str:
    """Which database the settings name (the memo and the probe's pool are per database)."""
    url = get_settings().database_url
    return url.get_secret_value() if url else f"embedded:{get_settings().data_dir}"


@st.cache_resource(show_spinner=False)
def _probe_engine(configured: str) -> Engine:
    """A pool of one connection, apart from the app's, so a probe never waits behind page queries."""
    return make_engine(database_url(get_settings()), kind="dashboard", pool_size=1, max_overflow=1,
                       pool_pre_ping=False, pool_recycle=300)


def _probe(configured: str) -> str | None:
    """None, or why not — shown before sign-in too, so never the database's user or host (issue 15)."""
    try:
        engine = _probe_engine(configured)
    except EchoError as error:
        return str(error)
    except (psycopg.Error, OSError) as error:  # the embedded server's own start-up checks
        return describe(error, "the embedded server")
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except exc.DBAPIError as error:
        return describe_public(getattr(error, "orig", None) or error)
    return None


def database_problem(*, fresh: bool = False) -> str | None:
    """None when the database answers, else one line saying why not (memoised unless `fresh`: UP_MEMO_SECONDS
    after a probe that found it up, DOWN_MEMO_SECONDS after one that did not)."""
    configured = _configured()
    now = time.monotonic()
    with _memo_lock:
        memo = _memo.get(configured)
        if memo is not None and not fresh:
            at, problem = memo
            if now - at < (UP_MEMO_SECONDS if problem is None else DOWN_MEMO_SECONDS):
                return problem
    problem = _probe(configured)
    with _memo_lock:
        _memo[configured] = (time.monotonic(), problem)
    return problem


def _banner(problem: str) -> None:
    ui_text.error(f"The database is unreachable — {problem} Your work on this page is kept; the page comes back "
                  "by itself when the database returns.")


@st.fragment(run_every=DOWN_PROBE_SECONDS)
def _while_down() -> None:
    problem = database_problem()
    if problem is None:
        st.rerun(scope="app")  # back: draw the page again (its widgets kept their values)
    _banner(problem)


@st.fragment(run_every=UP_PROBE_SECONDS)
def _while_up() -> None:
    problem = database_problem()
    if problem is not None:
        _banner(problem)  # shown in place: the page under it stays as it was until the next click


KEPT = "_typed_during_outage"  # a plain session key: it outlives the widgets the stopped run did not draw


def _keep_typed_text() -> None:
    kept: dict[str, str] = st.session_state.get(KEPT, {})
    for key in list(st.session_state.keys()):
        value = st.session_state[key]
        if isinstance(key, str) and not key.startswith("_") and isinstance(value, str) and value:
            kept[key] = value
    st.session_state[KEPT] = kept


def _put_typed_text_back() -> None:
    # Set through the Session State API: the browser forgot these widgets and would draw their defaults.
    for key, value in st.session_state.pop(KEPT, {}).items():
        try:
            st.session_state[key] = value
        except StreamlitAPIException:  # a widget whose value only the browser may set: nothing to give back
            pass


def database_banner() -> None:
    """Show the banner and stop the run while the database is unreachable; otherwise keep watching.

    A setting that does not parse (a DATABASE_URL with a port that is no number, ECHO_REFINE_LIMIT=abc)
    stops the run too, with the one line naming the variable and the form it needs.
    """
    try:
        get_settings()
    except InvalidSetting as error:
        ui_text.error(error)
        st.stop()
    if database_problem() is None:
        if KEPT in st.session_state:
            _put_typed_text_back()
        _while_up()
        return
    _keep_typed_text()
    _while_down()
    st.stop()


@contextmanager
def database_guard() -> Iterator[None]:
    """Around the page's run: the database may go away after `database_banner()` let the run start (its probe is
    up to UP_MEMO_SECONDS old). A database error then gets a fresh probe; with the database down, the run starts over
    and stops at the banner, what was typed kept, instead of ending in a traceback. With the database up, the
    error is the page's own and is raised as before."""
    try:
        yield
    except exc.DBAPIError:
        if database_problem(fresh=True) is None:
            raise
        st.rerun()


CALLBACK_DATABASE_ERROR = "A database error stopped this — nothing was changed; please try again."


@contextmanager
def callback_guard(refused: Callable[[str], None]) -> Iterator[None]:
    """Around a widget's callback, which runs before the run and outside `database_guard`: a database error
    refreshes the probe, so the run that follows shows the banner when the database is down; when it answers,
    the error is one line, handed to `refused` for the run to show, and not a traceback."""
    try:
        yield
    except exc.DBAPIError:
        _log.exception("a database error in a callback")
        if database_problem(fresh=True) is None:
            refused(CALLBACK_DATABASE_ERROR)


@st.cache_data(ttl=MONITORING_TTL_SECONDS, show_spinner="Reading the figures…")
def _monitoring(_engine: Engine, email: str, role: str) -> Snapshot:
    return monitoring(_engine, actor=Actor(email, Role(role)))


def monitoring_snapshot(engine: Engine, actor: Actor) -> Snapshot:
    return _monitoring(engine, actor.email, actor.role.value)


def refresh_monitoring() -> None:
    _monitoring.clear()
