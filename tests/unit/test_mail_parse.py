"""Parsing raw mail with the stdlib `email` package: structure, charsets, HTML, attachments, hostile bytes."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from echo_core.errors import MalformedMessage
from echo_core.mail.parse import SYNTHETIC_ID_DOMAIN, parse_message

HEAD = b"From: Lee Park <Lee@Park-Labs.example>\r\nTo: Agent <agent@tandem.space>\r\nMessage-ID: <p1@park.example>\r\n"


def test_multipart_alternative_prefers_the_plain_text_part() -> None:
    raw = HEAD + (
        b"Subject: Hello\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=XX\r\n\r\n"
        b"--XX\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nPlain words\r\n"
        b"--XX\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>HTML words</p>\r\n--XX--\r\n"
    )
    parsed = parse_message(raw)
    assert parsed.body == "Plain words"
    assert (parsed.from_addr, parsed.from_name, parsed.to_addr) == ("lee@park-labs.example", "Lee Park",
                                                                     "agent@tandem.space")
    assert parsed.attachments == ()


def test_html_only_mail_becomes_readable_text() -> None:
    html = (b"<html><head><style>p{color:red}</style></head><body><p>Hi &amp; welcome,</p>"
            b"<ul><li>Parking?</li><li>Dogs?</li></ul><p>See <a href='https://x.example/floor'>the plan</a>"
            b"<br>Thanks</p><script>alert(1)</script></body></html>")
    raw = HEAD + b"Subject: HTML\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html
    assert parse_message(raw).body == (
        "Hi & welcome,\n\n  * Parking?\n  * Dogs?\n\nSee the plan (https://x.example/floor)\nThanks"
    )


@pytest.mark.parametrize(
    ("headers", "payload", "expected"),
    [
        (b"Content-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n",
         b"Caf=E9 near the park", "Café near the park"),
        (b"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n",
         base64.b64encode("Grüße aus Köln".encode()), "Grüße aus Köln"),
        (b"Content-Type: text/plain; charset=x-unknown-charset\r\n", "naïve".encode(), "naïve"),
        (b"Content-Type: text/plain; charset=utf-8\r\n", b"bad \xff byte", "bad \ufffd byte"),
    ],
)
def test_charsets_and_transfer_encodings_are_decoded(headers: bytes, payload: bytes, expected: str) -> None:
    assert parse_message(HEAD + b"Subject: x\r\n" + headers + b"\r\n" + payload).body == expected


def test_encoded_word_subjects_are_decoded() -> None:
    raw = HEAD + b"Subject: =?utf-8?b?QsO8cm8gZsO8ciA4?=\r\n\r\nbody"
    assert parse_message(raw).subject == "Büro für 8"


def test_attachments_are_listed_with_name_type_and_size_not_stored() -> None:
    pdf = base64.b64encode(b"%PDF-1.4 " + b"x" * 91)
    raw = HEAD + (
        b"Subject: Plan\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n"
        b"--B\r\nContent-Type: text/plain\r\n\r\nSee attached\r\n"
        b"--B\r\nContent-Type: application/pdf; name=plan.pdf\r\nContent-Disposition: attachment; filename=plan.pdf\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\n" + pdf + b"\r\n--B--\r\n"
    )
    parsed = parse_message(raw)
    assert parsed.body == "See attached"
    assert parsed.attachments == ({"filename": "plan.pdf", "contentType": "application/pdf", "size": 100},)


def test_threading_headers_are_read_in_order() -> None:
    raw = HEAD + b"Subject: Re: x\r\nIn-Reply-To: <b@x>\r\nReferences: <a@x>\r\n <b@x> <a@x>\r\n\r\nok"
    parsed = parse_message(raw)
    assert (parsed.message_id, parsed.in_reply_to, parsed.references) == ("<p1@park.example>", "<b@x>",
                                                                          ("<a@x>", "<b@x>"))


def test_mail_without_a_message_id_gets_a_stable_stand_in() -> None:
    raw = b"From: a@b.example\r\nSubject: s\r\n\r\nbody"
    first, second = parse_message(raw), parse_message(raw)
    assert first.message_id == second.message_id and first.message_id.endswith(f"@{SYNTHETIC_ID_DOMAIN}>")
    assert not first.has_real_message_id


def test_the_body_keeps_the_original_with_its_quoted_history() -> None:
    raw = HEAD + b"Subject: Re\r\n\r\nSounds good.\r\n\r\nOn Mon, Jun 2, 2025 at 9:00 AM Ann wrote:\r\n> earlier\r\n"
    parsed = parse_message(raw)
    assert parsed.body == "Sounds good."
    assert parsed.original_body.endswith("> earlier")


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"", "empty"),
        (b"   \r\n\r\n", "empty"),
        (b"just a line of text\n", "no mail headers"),
        (b"Subject: no sender\r\n\r\nbody", "no sender address"),
        (b"From: not an address\r\n\r\nbody", "no sender address"),
    ],
)
def test_unreadable_messages_raise_a_reason(raw: bytes, reason: str) -> None:
    with pytest.raises(MalformedMessage, match=reason):
        parse_message(raw)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=600))
def test_arbitrary_bytes_never_crash_the_parser(data: bytes) -> None:
    try:
        parsed = parse_message(b"From: f@x.example\r\nSubject: \xff\r\n" + data)
    except MalformedMessage:
        return
    for text in (parsed.body, parsed.original_body, parsed.subject, parsed.from_addr):
        assert "\x00" not in text
        text.encode("utf-8")  # storable: no lone surrogates


def test_the_stand_in_key_ignores_line_endings_mailbox_status_lines_and_from_escaping() -> None:
    eml = b"From: a@b.example\r\nSubject: s\r\nDate: Wed, 4 Jun 2025 10:00:00 +0000\r\n\r\nFrom here on\r\nbody\r\n"
    mbox_copy = (b"From: a@b.example\nSubject: s\nStatus: RO\nX-Mozilla-Status: 0001\n"
                 b"Date: Wed, 4 Jun 2025 10:00:00 +0000\n\n>From here on\nbody")
    other_text = eml.replace(b"body", b"another body")
    assert parse_message(eml).message_id == parse_message(mbox_copy).message_id
    assert parse_message(eml).message_id != parse_message(other_text).message_id
