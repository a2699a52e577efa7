"""The version a form on screen was drawn from: what its save compares against (issue 15, lost updates).

A Streamlit click reruns the page, and that rerun may already have reloaded a row someone else saved
meanwhile; a save compared against the reloaded version would silently overwrite their change. So the
version (a lock_version, or a status shown) is recorded when the form's widgets are first drawn and kept
in the session until the save (or its refusal) forgets it.
"""

from __future__ import annotations

from typing import TypeVar

import streamlit as st

V = TypeVar("V", int, str, None)  # a lock_version, or a status shown


def read_version(scope: str, *, probe: str, version: V) -> V:
    """The lock_version a form on screen was drawn from, for its save to compare against.

    Recorded when the form's widgets are first drawn (`probe`, one of its widget keys, is not in the session
    yet) and kept across reruns: the click's own rerun may already have reloaded the row someone else saved,
    and comparing against that would silently overwrite their change. Call it before drawing the widgets.
    """
    key = f"seen_version_{scope}"
    if probe not in st.session_state or key not in st.session_state:
        st.session_state[key] = version
    seen: V = st.session_state[key]
    return seen


def forget_version(scope: str) -> None:
    """After a save (or a refusal): the next draw records the version then read."""
    st.session_state.pop(f"seen_version_{scope}", None)
