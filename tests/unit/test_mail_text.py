"""Quoted history trimmed from replies (the original is kept elsewhere); HTML quotes marked."""

from __future__ import annotations

import pytest

from echo_core.mail.quotes import trim_quoted
from echo_core.mail.text import clean, html_to_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Yes, Tuesday works.\n\nOn Mon, Jun 2, 2025 at 9:00 AM Ann <ann@x.com> wrote:\n> Can you tour?\n> Thanks",
         "Yes, Tuesday works."),
        ("Yes.\n\nOn Mon, Jun 2, 2025 at 9:00 AM Ann Lee <ann@x.com>\nwrote:\n> quoted", "Yes."),
        ("> Is parking included?\nYes, $250 a month.\n> And dogs?\nUnder 50 lbs.",
         "Yes, $250 a month.\nUnder 50 lbs."),
        ("On Mon, Ann wrote:\n> question\n\nMy answer below the quote.", "My answer below the quote."),
        ("Thanks!\n\nFrom: Agent <agent@tandem.space>\nSent: Monday, June 2, 2025 9:00 AM\nTo: Ann\n"
         "Subject: Tour\n\nOld text without quote marks", "Thanks!"),
        ("Thanks!\n\n-----Original Message-----\nFrom: someone\nold", "Thanks!"),
        ("Danke!\n\nAm 02.06.2025 um 09:00 schrieb Ann <ann@x.de>:\nalter Text", "Danke!"),
        ("From: the start of my own line is fine\nno header block follows",
         "From: the start of my own line is fine\nno header block follows"),
        ("> only quoted\n> nothing new", "> only quoted\n> nothing new"),
    ],
)
def test_quoted_history_is_trimmed(text: str, expected: str) -> None:
    assert trim_quoted(text) == expected


def test_html_blockquotes_become_quote_lines_that_trimming_removes() -> None:
    html = ("<div>Sounds great</div><div class='gmail_quote'>On Mon, Ann wrote:<br>"
            "<blockquote>Old question<br>More old</blockquote></div>")
    text = html_to_text(html)
    assert "> Old question" in text
    assert trim_quoted(text) == "Sounds great"


def test_clean_removes_nul_and_lone_surrogates() -> None:
    assert clean("a\x00b\udcffc") == "ab\ufffdc"
