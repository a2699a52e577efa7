"""Untrusted text (email bodies, model output, names) is shown as data, never as markup.

- `plain` shows text verbatim with `st.text` (no markdown, no HTML).
- Messages (st.error, st.toast, captions, button labels) render markdown, and may quote what
  someone typed or a model wrote: `md_escape` makes every markdown character literal.
- The one place HTML is written from data is the version diff: `html_text` escapes it.
- Everywhere, bidirectional and invisible control characters are made visible (`[U+202E]`) by
  `echo_core.redact.neutralise_controls` (the exports use the same function), so a name or a subject
  cannot reorder the text around it on screen; `frame` does it for every text cell of a table.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

import streamlit as st

from echo_core.redact import neutralise_controls, neutralise_value

if TYPE_CHECKING:
    import pandas as pd

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=])")


def neutralise_bidi(text: str) -> str:
    """`text` with every bidi or invisible control character replaced by a visible marker (`[U+202E]`)."""
    return neutralise_controls(text)


def frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of a table for display: every text cell (and column name) neutralised; numbers untouched."""
    shown = df.copy()
    for column in shown.columns:
        if shown[column].dtype == object or str(shown[column].dtype) in ("string", "str"):
            shown[column] = shown[column].map(neutralise_value)
    shown.columns = [neutralise_value(c) for c in shown.columns]
    return shown


def clean(value: object) -> str:
    """Any value as display text: None is empty, bidi controls visible."""
    return "" if value is None else neutralise_bidi(str(value))


def plain(text: str | None, *, height: int | None = None) -> None:
    """Show text verbatim: no markdown, no HTML, wrapped."""
    value = clean(text) if text else "(empty)"
    if height:
        with st.container(height=height):
            st.text(value)
    else:
        st.text(value)


def md_escape(text: object) -> str:
    """`text` with every markdown character backslash-escaped (it then renders as itself)."""
    return _MARKDOWN.sub(r"\\\1", clean(text))


def html_text(text: object) -> str:
    """`text` as HTML character data: <, >, &, quotes escaped; bidi controls visible."""
    return html.escape(clean(text), quote=True)


def error(message: object) -> None:
    """st.error of a message that may quote user or model text."""
    st.error(md_escape(message))


def toast(message: object, *, icon: str | None = None) -> None:
    st.toast(md_escape(message), icon=icon)
