"""Keep secrets out of messages (URLs with passwords, API keys), and hidden controls out of what is shown.

`neutralise_controls` is the one function every display and export uses for untrusted text (names,
subjects, addresses, bodies): bidirectional embeddings, overrides and isolates (U+202A–U+202E,
U+2066–U+2069), the invisible marks and zero-widths (U+200B–U+200F, U+061C) and the BOM (U+FEFF) are
REPLACED by a visible marker such as `[U+202E]` — not stripped, so a reader sees that the text carried
one, and nothing can reorder the address or date shown beside it. The line and paragraph separators
(U+2028, U+2029) become ordinary line breaks. A zero-width joiner between two emoji is an emoji
sequence (🐕‍🦺) and is kept. The stored text is never changed.
"""

from __future__ import annotations

import re

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError


def password_of_url(url: str) -> str | None:
    try:
        return make_url(url).password
    except ArgumentError:
        return None


def safe_url(url: str) -> str:
    """The URL with its password masked, for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparseable database URL>"


def redact(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "***")
    return text


# Shown as `[U+202E]`-style markers: bidi marks, embeddings, overrides and isolates, zero-widths and the BOM
# (not ZWJ: below).
HIDDEN_CONTROLS = "\u061c\u200b\u200c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
LINE_SEPARATORS = "\u2028\u2029"  # shown as line breaks
ZWJ = "\u200d"
# A zero-width joiner is shown as a marker unless it joins two emoji (🐕‍🦺); the same pattern runs in PostgreSQL
# (echo_core.export_sql), so both export paths write the same cells.
EMOJI_CLASS = "[\u2600-\u27bf\u2b00-\u2bff\ufe0f\U0001f000-\U0001faff]"
LONE_ZWJ = f"(?<!{EMOJI_CLASS}){ZWJ}|{ZWJ}(?!{EMOJI_CLASS})"
ANY_CONTROL = f"[{HIDDEN_CONTROLS}{LINE_SEPARATORS}{ZWJ}]"
_ANY = re.compile(ANY_CONTROL)
_HIDDEN = re.compile(f"[{HIDDEN_CONTROLS}]")
_LINES = re.compile(f"[{LINE_SEPARATORS}]")
_LONE_ZWJ = re.compile(LONE_ZWJ)


def marker(char: str) -> str:
    return f"[U+{ord(char):04X}]"


def neutralise_controls(text: str) -> str:
    """`text` with every hidden or reordering control shown as a marker like `[U+202E]` (see the module's docstring)."""
    if not _ANY.search(text):
        return text
    text = _HIDDEN.sub(lambda m: marker(m.group()), text)
    text = _LONE_ZWJ.sub(marker(ZWJ), text)
    return _LINES.sub("\n", text)


def neutralise_value(value: object) -> object:
    """`neutralise_controls` for strings; any other value as it is (for DataFrame cells and JSON)."""
    return neutralise_controls(value) if isinstance(value, str) else value


def neutralise_json(value: object) -> object:
    """Every string (keys too) of a JSON-like value neutralised, for JSON output read on a terminal."""
    if isinstance(value, str):
        return neutralise_controls(value)
    if isinstance(value, dict):
        return {neutralise_value(k): neutralise_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [neutralise_json(v) for v in value]
    return value
