"""Where inbound mail comes from: .eml files, mbox files and uploads, each message labelled for errors."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

_ESCAPED_FROM = re.compile(rb"^>(>*From )")


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
    return data.lstrip(b"\r\n").startswith(b"From ")


def split_mbox(data: bytes) -> list[bytes]:
    """The messages of an mbox: split at 'From ' lines that follow a blank line; '>From ' unescaped (mboxrd)."""
    messages: list[list[bytes]] = []
    previous_blank = True
    for line in data.splitlines(keepends=True):
        if line.startswith(b"From ") and previous_blank:
            messages.append([])
        elif messages:
            messages[-1].append(_ESCAPED_FROM.sub(rb"\1", line))
        previous_blank = not line.strip()
    return [_strip_separator(b"".join(lines)) for lines in messages]


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
