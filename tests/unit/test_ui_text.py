"""Untrusted text shown safely: markdown escaped, HTML escaped, bidi controls made visible."""

from __future__ import annotations

import re

import pytest

from echo_core.textdiff import word_diff
from ui.diff_view import diff_html
from ui.text import html_text, md_escape, neutralise_bidi

PAYLOADS = ["<script>alert(1)</script>", "![x](http://evil.example/p.png)", "**bold** :red[x] [link](http://e.x)",
            "<img src=x onerror=alert(1)>", "a & b \"quoted\" 'single'"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_html_text_leaves_no_tag_or_attribute_to_interpret(payload: str) -> None:
    escaped = html_text(payload)
    assert "<" not in escaped and ">" not in escaped and '"' not in escaped


@pytest.mark.parametrize("payload", PAYLOADS)
def test_md_escape_makes_every_markdown_character_literal(payload: str) -> None:
    escaped = md_escape(payload)
    for char in "[]()*<>!:":
        assert char not in escaped.replace(f"\\{char}", "")


@pytest.mark.parametrize("control", ["\u202e", "\u202a", "\u2066", "\u2069", "\u200f", "\u061c"])
def test_bidi_controls_become_visible_everywhere(control: str) -> None:
    text = f"invoice{control}fdp.exe"
    assert control not in neutralise_bidi(text)
    assert f"[U+{ord(control):04X}]" in neutralise_bidi(text)
    assert control not in md_escape(text) and control not in html_text(text)


def test_the_diff_html_has_only_its_own_tags() -> None:
    html = diff_html(word_diff("Hello <b>there</b>", "Hello <script>alert(1)</script>"))
    body = html.split("</style>", 1)[1]
    assert {m.lower() for m in re.findall(r"</?([a-zA-Z]+)", body)} <= {"div", "del", "ins"}
    assert "&lt;" in body and "script&gt;" in body
