"""A figure row is one element of escaped HTML: the label, the value, the help as tooltip and screen-reader text."""

from __future__ import annotations

from ui.figures import APPROVED, Shown, defined, row_html


def test_each_figure_is_a_term_and_its_value_with_the_help_as_a_tooltip_and_for_screen_readers() -> None:
    html = row_html([Shown("Queued", 3, "2 due now"), Shown("Sent", "1,204")])
    assert html.startswith('<dl class="echo-figures"') and html.count('class="echo-figure"') == 2
    assert 'title="2 due now">Queued<span aria-hidden="true"' in html
    assert '>3</dd><dd style="position:absolute' in html and ">2 due now</dd>" in html
    assert ">Sent</dt>" in html and ">1,204</dd>" in html and html.count("<dd") == 3  # no help, no second dd


def test_text_from_the_data_is_escaped_and_its_bidi_controls_are_made_visible() -> None:
    html = row_html([Shown('<img src=x onerror="alert(1)">', "a\u202eb", 'say "hi" & <b>')])
    assert "<img" not in html and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
    assert "\u202e" not in html and "a[U+202E]b" in html
    assert 'title="say &quot;hi&quot; &amp; &lt;b&gt;"' in html


def test_a_missing_value_shows_a_dash_and_a_border_is_drawn_only_when_asked() -> None:
    assert ">—</dd>" in row_html([Shown("Index hit ratio", None)])
    assert "border:1px" not in row_html([Shown("a", 1)]) and "border:1px" in row_html([Shown("a", 1)], border=True)


def test_a_registry_figure_carries_its_definition_and_the_period() -> None:
    shown = defined(APPROVED, "12", period="drafts created 1 Nov – 30 Nov")
    assert shown.label == "Approved" and shown.value == "12"
    assert shown.help == APPROVED.definition + " Period: drafts created 1 Nov – 30 Nov."
