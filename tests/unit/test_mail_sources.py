"""Reading mail files: .eml or mbox detected by content, mbox split and unescaped, bad files named."""

from __future__ import annotations

import mailbox
import tempfile
from email import message_from_bytes
from email.message import EmailMessage
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

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


def test_postmarks_without_a_blank_line_before_them_still_split_like_python_mailbox(tmp_path: Path) -> None:
    data = (b"From a@x Tue Jun  3 10:00:00 2025\nFrom: a@x.example\nSubject: one\n\nfirst\n"
            b"From b@x Tue Jun  3 10:01:00 2025\nFrom: b@x.example\nSubject: two\n\nsecond\n"
            b"From MAILER-DAEMON Fri Jul  8 12:08:34 2011 +0000\nFrom: c@x.example\nSubject: three\n\nthird\n")
    (tmp_path / "in.mbox").write_bytes(data)
    expected = [m.as_bytes().split(b"\n\n", 1)[1] for m in mailbox.mbox(tmp_path / "in.mbox")]

    messages = split_mbox(data)

    assert len(messages) == 3 == len(expected)
    assert [m.split(b"\n\n", 1)[1] for m in messages] == expected


def test_a_from_line_inside_a_body_is_not_a_separator_unless_it_is_shaped_like_one() -> None:
    data = (b"From a@x Tue Jun  3 10:00:00 2025\nFrom: a@x.example\n\nWe moved.\n\nFrom Monday on, call us.\n"
            b"From the lobby, turn left.\n")
    [message] = split_mbox(data)
    assert message.endswith(b"From Monday on, call us.\nFrom the lobby, turn left.\n")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(codec="ascii", exclude_characters="\r\x0b\x0c\x1c\x1d\x1e\x85"),
                        max_size=120), min_size=1, max_size=5))
def test_any_mbox_python_writes_is_split_into_the_messages_python_reads(bodies: list[str]) -> None:
    with tempfile.TemporaryDirectory() as directory:
        box = mailbox.mbox(Path(directory) / "out.mbox")
        for i, body in enumerate(bodies):
            message = EmailMessage()
            message["From"] = f"p{i}@x.example"
            message["Subject"] = f"n{i}"
            message.set_content(body)
            box.add(message)
        box.flush()
        python_reads = [m.get_payload() for m in box]
        box.close()
        data = (Path(directory) / "out.mbox").read_bytes()
    ours = [message_from_bytes(m).get_payload() for m in split_mbox(data)]
    # Python's reader keeps '>From ' escaped (mboxo); ours unescapes it (mboxrd), as the rest of Echo Alpha does.
    assert [p.replace("\n>From ", "\nFrom ") for p in python_reads] == [p.replace("\n>From ", "\nFrom ") for p in ours]


def test_an_mbox_saved_with_a_byte_order_mark_is_still_an_mbox() -> None:
    assert is_mbox(b"\xef\xbb\xbf" + MBOX)
    assert len(split_mbox(b"\xef\xbb\xbf" + MBOX)) == 2
