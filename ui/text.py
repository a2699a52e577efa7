"""Untrusted text (email bodies, model output) is shown as plain text only."""

from __future__ import annotations

import streamlit as st


def plain(text: str | None, *, height: int | None = None) -> None:
    """Show text verbatim: no markdown, no HTML, wrapped."""
    value = text if text else "(empty)"
    if height:
        with st.container(height=height):
            st.text(value)
    else:
        st.text(value)
