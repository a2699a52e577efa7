"""Where inbound mail comes from: .eml files, mbox files and uploads, each message labelled for errors."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

_ESCAPED_FROM = re.compile(rb"^>(>*From )")
_FIELD = re.compile(rb"^[\x21-\x39\x3b-\x7e]+:")
_MONTH = rb"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
# asctime ("Tue Jun  3 10:00:00 2025", optionally with a zone) or RFC 5322 ("3 Jun 2025 10:00:00 +0000").
_POSTMARK_DATE = re.compile(
    rb"(?:" + _MONTH + rb"\s+\d{1,2}\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s+[A-Z]{1,5}|\s+[+-]\d{4})*\s+\d{4}"
    rb"|\d{1,2}\s+" + _MONTH + rb"\s+\d{4}\s+\d{1,2}:\d{2})",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class RawMessage:
    """One message's bytes and a label naming it in errors: the file, plus '#N' inside an mbox."""

    label: str
    data: bytes


@dataclass(frozen=True)
class SourceError:
    label: str
    reason: str

    def __str__(self) -> str:
        return f"{self.label}: {self.reason}"


def is_mbox(data: bytes) -> bool:
    """An mbox starts with a 'From ' postmark line; an .eml starts with headers ('From:' has a colon)."""
    return data.removeprefix(b"\xef\xbb\xbf").lstrip(b"\r\n").startswith(b"From ")


def is_postmark(line: bytes) -> bool:
    """A 'From ' separator as mbox writers write it: 'From sender Tue Jun  3 10:00:00 2025' (date-shaped)."""
    return line.startswith(b"From ") and bool(_POSTMARK_DATE.search(line, 5))


def split_mbox(data: bytes) -> list[bytes]:
    """The messages of an mbox, split where Python's `mailbox` splits: at 'From ' lines, blank line before or not.

    Unlike `mailbox`, a 'From ' line in a body that an mboxo writer left unescaped is only a separator when it
    is date-shaped, or follows a blank line and is followed by a header field. '>From ' is unescaped (mboxrd).
    """
    lines = data.removeprefix(b"\xef\xbb\xbf").splitlines(keepends=True)
    messages: list[list[bytes]] = []
    previous_blank = True
    for i, line in enumerate(lines):
        if line.startswith(b"From ") and (not messages or is_postmark(line) or (
            previous_blank and i + 1 < len(lines) and _FIELD.match(lines[i + 1]) is not None
        )):
            messages.append([])
        elif messages:
            messages[-1].append(_ESCAPED_FROM.sub(rb"\1", line))
        previous_blank = not line.strip()
    return [_strip_separator(b"".join(message)) for message in messages]


def _strip_separator(message: bytes) -> bytes:
    # The blank line before the next postmark belongs to the mbox, not to the message.
    if message.endswith(b"\r\n\r\n"):
        return message[:-2]
    if message.endswith(b"\n\n"):
        return message[:-1]
    return message


def messages_in(name: str, data: bytes) -> list[RawMessage]:
    """The messages of one file's bytes: every message of an mbox, or the one .eml."""
    if is_mbox(data):
        return [RawMessage(f"{name} #{i}", message) for i, message in enumerate(split_mbox(data), start=1)]
    return [RawMessage(name, data)]


def read_files(paths: Iterable[Path]) -> tuple[list[RawMessage], list[SourceError]]:
    """All messages of the files; a file that cannot be read is an error, the others are still read."""
    messages: list[RawMessage] = []
    errors: list[SourceError] = []
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError as error:
            errors.append(SourceError(str(path), f"cannot read the file ({error.strerror or type(error).__name__})"))
            continue
        if not data.strip():
            errors.append(SourceError(str(path), "the file is empty"))
            continue
        messages.extend(messages_in(str(path), data))
    return messages, errors
