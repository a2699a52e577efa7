"""Untrusted text (email bodies, model output) is shown as plain text only.

Messages (st.error, st.toast, …) render markdown, and an error may quote what someone typed
or what a model wrote; `md_escape` makes every markdown character literal, so a quoted
`![x](http://…)` or `:red[…]` shows as those characters and never loads or styles anything.
"""

from __future__ import annotations

import re

import streamlit as st

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=])")


def plain(text: str | None, *, height: int | None = None) -> None:
    """Show text verbatim: no markdown, no HTML, wrapped."""
    value = text if text else "(empty)"
    if height:
        with st.container(height=height):
            st.text(value)
    else:
        st.text(value)


def md_escape(text: object) -> str:
    """`text` with every markdown character backslash-escaped (it then renders as itself)."""
    return _MARKDOWN.sub(r"\\\1", str(text))


def error(message: object) -> None:
    """st.error of a message that may quote user or model text."""
    st.error(md_escape(message))


def toast(message: object) -> None:
    st.toast(md_escape(message))
