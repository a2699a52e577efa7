"""One raw message (bytes) → the fields Echo Alpha stores, read as a tolerant mail client reads it.

The bytes are repaired first (`repair`: BOM, junk header lines), parsed with the stdlib `email` package
(`compat32`, which keeps raw header values so they can be decoded as clients do: `headers`), and the text is
every inline part in order (`mime`), decoded as browsers do (`charsets`). Never crashes on hostile input:
anything that cannot be read as an email raises `MalformedMessage` with the reason, and the caller names it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.message import Message
from email.parser import BytesParser
from email.utils import parsedate_to_datetime
from typing import Any

from echo_core.errors import MalformedMessage
from echo_core.mail import mime
from echo_core.mail.headers import addresses, header_text, raw_values
from echo_core.mail.quotes import trim_quoted
from echo_core.mail.repair import repair
from echo_core.mail.text import clean

# Stand-in Message-IDs for mail without one: a hash of the normalised header block (as Thunderbird keys such
# mail) and of the normalised body, so the same message from an .eml, an mbox or IMAP is stored once, while
# messages that share every header but not their text (CPython's msg_08 … msg_12) are all kept.
SYNTHETIC_ID_DOMAIN = "no-message-id.echo-alpha.invalid"
_MSGID = re.compile(r"<[^<>\s]{1,994}>")
MAX_REFERENCES = 30
# Headers a mailbox adds or rewrites on its copy (mbox status lines, client flags), left out of the key.
MAILBOX_STATE_HEADERS = frozenset({
    "status", "x-status", "x-keywords", "x-uid", "x-mozilla-status", "x-mozilla-status2", "x-mozilla-keys",
    "content-length", "lines", "x-imap", "x-imapbase", "x-evolution", "x-evolution-source", "x-gmail-labels",
    "x-gm-thrid", "x-apple-mail-remote-attachments",
})  # fmt: skip
SENDER_HEADERS = ("From", "Sender", "Reply-To", "Return-Path")


@dataclass(frozen=True)
class ParsedMessage:
    message_id: str
    in_reply_to: str | None
    references: tuple[str, ...]
    from_addr: str
    from_name: str
    to_addr: str | None
    subject: str
    sent_at: datetime | None
    body: str
    original_body: str
    attachments: tuple[dict[str, Any], ...]

    @property
    def has_real_message_id(self) -> bool:
        return is_real_message_id(self.message_id)


def is_real_message_id(message_id: str | None) -> bool:
    return bool(message_id) and not str(message_id).endswith(f"@{SYNTHETIC_ID_DOMAIN}>")


def message_ids(value: str | None) -> list[str]:
    """Every <id> token of a Message-ID / In-Reply-To / References header, in order, without repeats."""
    seen: dict[str, None] = {}
    for token in _MSGID.findall(value or ""):
        seen.setdefault(token, None)
    return list(seen)


def parse_message(raw: bytes) -> ParsedMessage:
    """Parse one message; MalformedMessage says why it cannot be stored."""
    raw = repair(raw)
    if not raw.strip():
        raise MalformedMessage("the message is empty")
    try:
        message = BytesParser(policy=policy.compat32).parsebytes(raw)
        return _fields(message, raw)
    except MalformedMessage:
        raise
    except RecursionError as error:
        raise MalformedMessage("the message nests parts too deeply to read") from error
    except Exception as error:  # noqa: BLE001 - hostile input may trip any corner of the parser
        raise MalformedMessage(f"unreadable message structure ({type(error).__name__})") from error


_ESCAPED_FROM = re.compile(rb"^>+(?=From )", re.MULTILINE)


def header_key(message: Message, raw: bytes) -> str:
    """The stand-in Message-ID: a hash of the header block (unfolded, whitespace collapsed, mailbox state left
    out) and of the body as bytes (line endings, trailing blanks and mbox 'From ' escaping normalised)."""
    digest = hashlib.sha256()
    for name, value in message.raw_items():  # raw: 8-bit bytes count as they are
        name = name.strip().lower()
        if name in MAILBOX_STATE_HEADERS or name.startswith("x-mozilla-"):
            continue
        normalised = " ".join(str(value).split())
        digest.update(f"{name}:{normalised}\n".encode("utf-8", "surrogateescape"))
    body = raw.replace(b"\r\n", b"\n").replace(b"\r", b"\n").partition(b"\n\n")[2]
    body = _ESCAPED_FROM.sub(b"", b"\n".join(line.rstrip() for line in body.split(b"\n")).strip())
    digest.update(b"\n" + body)
    return f"<{digest.hexdigest()[:40]}@{SYNTHETIC_ID_DOMAIN}>"


def _fields(message: Message, raw: bytes) -> ParsedMessage:
    if not message.keys():
        raise MalformedMessage("no mail headers: this is not an email message")
    hints = mime.charset_hints(message)
    from_name, from_addr = "", ""
    for name in SENDER_HEADERS:  # like a mail client, show who sent it even without a From line
        from_name, from_addr = _first_address(message, name, hints)
        if from_addr:
            break
    if not from_addr:
        raise MalformedMessage("no sender address: the From header is missing or unreadable — add a From: line")
    if len(from_addr) > 255:
        raise MalformedMessage("the sender address is longer than 255 characters")
    _, to_addr = _first_address(message, "To", hints)
    if not to_addr or len(to_addr) > 255:
        _, to_addr = _first_address(message, "Delivered-To", hints)
    ids = message_ids(_raw(message, "Message-ID"))
    replied = message_ids(_raw(message, "In-Reply-To"))
    references = tuple(message_ids(_raw(message, "References"))[-MAX_REFERENCES:])
    original = "\n\n".join(mime.texts(message, hints)).strip()
    return ParsedMessage(
        message_id=ids[0] if ids else header_key(message, raw),
        in_reply_to=replied[0] if replied else None,
        references=references,
        from_addr=from_addr,
        from_name=clean(from_name),
        to_addr=to_addr if to_addr and len(to_addr) <= 255 else None,
        subject=clean(header_text(message, "Subject", hints)) or "(no subject)",
        sent_at=_date(message),
        body=clean(trim_quoted(original)),
        original_body=clean(original),
        attachments=tuple(mime.attachments(message, hints)),
    )


def _raw(message: Message, name: str) -> str:
    values = raw_values(message, name)
    return clean(" ".join(values[0].split())) if values else ""


def _first_address(message: Message, name: str, hints: list[str]) -> tuple[str, str]:
    """(display name, lower-cased address) of the first address with an '@' in the header, or ('', '')."""
    for display, address in addresses(message, name, hints):
        address = clean(address).strip().lower()
        if "@" in address and " " not in address:
            return display, address
    return "", ""


def _date(message: Message) -> datetime | None:
    value = _raw(message, "Date")
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
