"""Who is acting in the dashboard: the ONE place a page gets the signed-in Actor.

`app.py` shows only the sign-in page until someone is signed in, so a page that runs has
an actor; should one run without (a stale link, an account disabled a moment ago), it shows
the sign-in form instead and stops before any data.
"""

from __future__ import annotations

import streamlit as st

from echo_core.permissions import Actor
from ui.auth import sign_in_page, signed_in_actor


def current_actor() -> Actor:
    """The signed-in account's Actor, its role and active flag read from the database on this run."""
    actor = signed_in_actor()
    if actor is None:
        sign_in_page()
        st.stop()
        raise RuntimeError("unreachable: st.stop() raises")
    return actor
