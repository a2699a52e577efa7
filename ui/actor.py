"""Who is acting in the dashboard: the ONE place a page gets the signed-in Actor.

`app.py` shows only the sign-in page until someone is signed in, so a page that runs has
an actor; should one run without (a stale link, an account disabled a moment ago), it shows
the sign-in form instead and stops before any data.

The session and the account are read from the database once per run: app.py resolves them
(`resolve_for_run`) and the page's `current_actor()` reuses that answer instead of a second
transaction. The answer is tied to the run itself (an object Streamlit creates afresh for each run,
held weakly), so a later run — a fragment's own rerun, a page run without app.py — reads the database again.
"""

from __future__ import annotations

import weakref

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from echo_core.permissions import Actor
from ui.auth import sign_in_page, signed_in_actor

_resolved: weakref.WeakKeyDictionary[object, Actor] = weakref.WeakKeyDictionary()


def _this_run() -> object | None:
    """An object that lives exactly as long as the current script run (None outside a run)."""
    ctx = get_script_run_ctx(suppress_warning=True)
    return None if ctx is None else ctx.parallel_coordinator


def resolve_for_run() -> Actor | None:
    """The signed-in actor, read from the database now and kept for the rest of this run (app.py)."""
    actor = signed_in_actor()
    run = _this_run()
    if run is not None and actor is not None:
        _resolved[run] = actor
    return actor


def current_actor() -> Actor:
    """The signed-in account's Actor, its role and active flag read from the database on this run."""
    run = _this_run()
    actor = _resolved.get(run) if run is not None else None
    if actor is None:
        actor = signed_in_actor()
        if run is not None and actor is not None:
            _resolved[run] = actor
    if actor is None:
        sign_in_page()
        st.stop()
        raise RuntimeError("unreachable: st.stop() raises")
    return actor
