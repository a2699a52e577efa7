"""The word diff of two draft versions: exact round trips, changed words only, readable grouping."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from echo_core.textdiff import new_text, old_text, tokens, word_diff

TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=200)


@given(TEXT)
def test_tokens_join_back_to_the_text(text: str) -> None:
    assert "".join(tokens(text)) == text


@given(TEXT, TEXT)
def test_the_diff_rebuilds_both_texts_exactly(old: str, new: str) -> None:
    diff = word_diff(old, new)
    assert old_text(diff) == old and new_text(diff) == new


@given(TEXT)
def test_a_text_against_itself_is_identical(text: str) -> None:
    diff = word_diff(text, text)
    assert diff.identical and diff.words_added == diff.words_removed == 0


def test_one_changed_figure_marks_only_that_word() -> None:
    diff = word_diff("Parking is $250 a month.\nSee you Tuesday.", "Parking is $300 a month.\nSee you Tuesday.")
    changed = [(s.op, s.text) for s in diff.segments if s.op != "equal"]
    assert changed == [("delete", "250"), ("insert", "300")]
    assert (diff.words_removed, diff.words_added) == (1, 1)


def test_a_replaced_phrase_reads_as_one_removal_then_one_addition() -> None:
    diff = word_diff("a cat sat", "the dog sat")
    assert [(s.op, s.text) for s in diff.segments] == [("delete", "a cat"), ("insert", "the dog"), ("equal", " sat")]


def test_a_long_line_is_one_segment_stream_not_a_clipped_line() -> None:
    long_line = " ".join(f"word{i}" for i in range(400))
    diff = word_diff(long_line, long_line.replace("word399", "end"))
    assert [(s.op, s.text) for s in diff.segments if s.op != "equal"] == [("delete", "word399"), ("insert", "end")]
