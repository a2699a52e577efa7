"""Reading mail files: .eml or mbox detected by content, mbox split and unescaped, bad files named."""

from __future__ import annotations

from pathlib import Path

from echo_core.mail.sources import is_mbox, messages_in, read_files, split_mbox

MBOX = (
    b"From a@x Tue Jun  3 10:00:00 2025\nFrom: a@x.example\nSubject: one\n\nline\n>From the garden\n\n"
    b"From b@x Tue Jun  3 10:01:00 2025\nFrom: b@x.example\nSubject: two\n\nbody\nFrom here on, unescaped\n"
)


def test_an_mbox_is_told_from_an_eml_by_its_postmark_line() -> None:
    assert is_mbox(MBOX)
    assert not is_mbox(b"From: a@x.example\nSubject: s\n\nbody")


def test_an_mbox_splits_at_postmarks_after_blank_lines_and_unescapes_from_lines() -> None:
    first, second = split_mbox(MBOX)
    assert first == b"From: a@x.example\nSubject: one\n\nline\nFrom the garden\n"
    assert second.endswith(b"From here on, unescaped\n")  # no blank line before it: not a postmark


def test_messages_are_labelled_by_file_and_position() -> None:
    assert [m.label for m in messages_in("in.mbox", MBOX)] == ["in.mbox #1", "in.mbox #2"]
    assert [m.label for m in messages_in("one.eml", b"From: a@x.example\n\nhi")] == ["one.eml"]


def test_an_unreadable_file_is_an_error_and_the_others_are_still_read(tmp_path: Path) -> None:
    good = tmp_path / "good.eml"
    good.write_bytes(b"From: a@x.example\n\nhi")
    (tmp_path / "empty.eml").write_bytes(b"")
    messages, errors = read_files([tmp_path / "missing.eml", good, tmp_path / "empty.eml"])
    assert [m.label for m in messages] == [str(good)]
    assert [str(e) for e in errors] == [f"{tmp_path / 'missing.eml'}: cannot read the file (No such file or directory)",
                                        f"{tmp_path / 'empty.eml'}: the file is empty"]
