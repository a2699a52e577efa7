"""Every corpus message reads as a tolerant mail client shows it (the expected file beside it), never crashes,
and is read the same way twice; plus Hypothesis mutations of the corpus (headers, boundaries, charsets)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from echo_core.errors import MalformedMessage
from echo_core.mail.parse import parse_message
from tests.mail_corpus import CORPUS, corpus_files, expected_path, render

FILES = corpus_files()


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(CORPUS)) for p in FILES])
def test_each_corpus_message_reads_as_its_expected_text(path: Path) -> None:
    shown = render(path)
    expected = expected_path(path)
    if os.environ.get("ECHO_REGEN_CORPUS"):
        expected.write_text(shown, encoding="utf-8")
    assert expected.exists(), f"{expected.name} is missing: regenerate with ECHO_REGEN_CORPUS=1 and review it"
    assert shown == expected.read_text(encoding="utf-8")
    assert render(path) == shown  # deterministic: the same bytes read the same way (and key the same way)


def test_the_corpus_covers_every_source() -> None:
    folders = {p.parent.name for p in FILES}
    assert folders == {"cpython", "clients", "defects", "mbox"}
    assert len(FILES) >= 80


CHARSETS = ["utf-8", "iso-8859-1", "windows-1252", "koi8-r", "gb2312", "shift_jis", "iso-2022-jp", "ks_c_5601-1987",
            "x-unknown", "utf-7", "", "\"utf-8", "utf-8*en", "unknown-8bit"]
EMAILS = [p for p in FILES if p.suffix != ".mbox"]


def _mutate(raw: bytes, data: st.DataObject) -> bytes:
    kind = data.draw(st.sampled_from(["charset", "boundary", "header", "junk", "truncate", "bytes"]))
    if kind == "charset":
        label = data.draw(st.sampled_from(CHARSETS)).encode()
        return re.sub(rb"charset=\"?[^\s;\"]*\"?", lambda _: b"charset=" + label, raw, flags=re.IGNORECASE)
    if kind == "boundary":
        boundary = b"boundary=\"" + data.draw(st.binary(max_size=12)) + b"\""
        return re.sub(rb"boundary=\"?([^\s;\"]+)\"?", lambda _: boundary, raw, count=1, flags=re.IGNORECASE)
    if kind == "header":
        head, _, body = raw.partition(b"\n\n") if b"\r\n\r\n" not in raw else raw.partition(b"\r\n\r\n")
        line = data.draw(st.binary(max_size=80)).replace(b"\n", b" ").replace(b"\r", b" ")
        at = data.draw(st.integers(0, max(0, head.count(b"\n"))))
        lines = head.split(b"\n")
        lines.insert(at, line)
        return b"\n".join(lines) + b"\n\n" + body
    if kind == "junk":
        at = data.draw(st.integers(0, len(raw)))
        return raw[:at] + data.draw(st.binary(min_size=1, max_size=40)) + raw[at:]
    if kind == "truncate":
        return raw[: data.draw(st.integers(0, len(raw)))]
    at = data.draw(st.integers(0, max(0, len(raw) - 1)))
    return raw[:at] + bytes([data.draw(st.integers(0, 255))]) + raw[at + 1 :]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(EMAILS), st.data())
def test_mutated_corpus_messages_never_crash_and_always_store_clean_text(path: Path, data: st.DataObject) -> None:
    raw = path.read_bytes()
    for _ in range(data.draw(st.integers(1, 3))):
        raw = _mutate(raw, data)
    try:
        first = parse_message(raw)
    except MalformedMessage as error:
        assert str(error) and "\n" not in str(error)
        return
    for text in (first.body, first.original_body, first.subject, first.from_name, first.from_addr):
        assert "\x00" not in text
        text.encode("utf-8")  # storable: no lone surrogates
    assert parse_message(raw).message_id == first.message_id  # the dedup key is stable
