"""Untrusted text (email bodies, model output, names) is shown as data, never as markup.

- `plain` shows text verbatim with `st.text` (no markdown, no HTML).
- Messages (st.error, st.toast, captions, button labels) render markdown, and may quote what
  someone typed or a model wrote: `md_escape` makes every markdown character literal.
- The one place HTML is written from data is the version diff: `html_text` escapes it.
- Everywhere, bidirectional control characters are made visible (`[U+202E]`), so a name or a
  subject cannot reorder the text around it on screen.
"""

from __future__ import annotations

import html
import re

import streamlit as st

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=])")
# Embeddings, overrides, isolates and the invisible marks (LRM, RLM, ALM) of Unicode's bidi algorithm.
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def neutralise_bidi(text: str) -> str:
    """`text` with every bidi control character replaced by a visible `[U+XXXX]`."""
    return _BIDI.sub(lambda m: f"[U+{ord(m.group()):04X}]", text)


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
