"""The version diff as the broker reads it: one wrapped text, removed words struck through, added ones marked.

Draft text is untrusted (model and broker text): every segment goes through `ui.text.html_text`
(escaped, bidi controls visible) before it is placed between fixed tags written here; the
markup itself is built only from those fixed strings. Streamlit sanitises st.html as well.
"""

from __future__ import annotations

import streamlit as st

from echo_core.textdiff import WordDiff
from ui.text import html_text, md_escape

_STYLE = (
    "<style>.echo-diff{white-space:pre-wrap;overflow-wrap:anywhere;line-height:1.6;font-size:0.95rem;"
    "padding:0.6rem 0.8rem;border:1px solid rgba(49,51,63,0.2);border-radius:0.5rem;max-height:22rem;"
    "overflow-y:auto}"
    ".echo-diff del{background:#ffd7d5;color:#82071e;text-decoration:line-through}"
    ".echo-diff ins{background:#ccffd8;color:#055d20;text-decoration:none}</style>"
)
_TAGS = {"equal": ("", ""), "delete": ('<del title="removed">', "</del>"), "insert": ('<ins title="added">', "</ins>")}


def diff_html(diff: WordDiff) -> str:
    """The diff as one HTML block; only fixed tags, every text escaped."""
    parts = []
    for segment in diff.segments:
        opening, closing = _TAGS[segment.op]
        parts.append(f"{opening}{html_text(segment.text)}{closing}")
    return f'{_STYLE}<div class="echo-diff">{"".join(parts)}</div>'


def show_diff(diff: WordDiff, *, older: str, newer: str) -> None:
    if diff.identical:
        st.caption(f"{md_escape(older)} and {md_escape(newer)} are identical.")
        return
    removed, added = diff.words_removed, diff.words_added
    st.caption(f"From {md_escape(older)} to {md_escape(newer)}: {removed} word{'s' * (removed != 1)} removed "
               f"(struck through), {added} added (green).")
    st.html(diff_html(diff))
