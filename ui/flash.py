"""Confirmations that outlive the rerun an action ends with: queued now, shown as toasts on the next run."""

from __future__ import annotations

import streamlit as st

from ui.text import md_escape

KEY = "flash_toasts"


def later(message: str, *, icon: str = ":material/check_circle:") -> None:
    """Queue a toast for the next run (an action reruns the page right after it succeeds)."""
    st.session_state.setdefault(KEY, []).append((message, icon))


def show() -> None:
    """Show (and forget) the queued toasts; every page calls this near its top."""
    for message, icon in st.session_state.pop(KEY, []):
        st.toast(md_escape(message), icon=icon)
