"""One raw message (bytes) → the fields Echo Alpha stores, with the standard `email` package.

Never crashes on hostile input: anything that cannot be read as an email raises
`MalformedMessage` with the reason, and the caller names the message.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from typing import Any

from echo_core.errors import MalformedMessage
from echo_core.mail.text import clean, html_to_text, trim_quoted

# Stand-in Message-IDs for mail without one: a content hash, so re-ingesting the same bytes still dedups.
SYNTHETIC_ID_DOMAIN = "no-message-id.echo-alpha.invalid"
_MSGID = re.compile(r"<[^<>\s]{1,994}>")
MAX_REFERENCES = 30


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
    raw = raw.replace(b"\x00", b"")
    if not raw.strip():
        raise MalformedMessage("the message is empty")
    try:
        message = BytesParser(policy=policy.default).parsebytes(raw)
        return _fields(message, raw)
    except MalformedMessage:
        raise
    except Exception as error:  # noqa: BLE001 - hostile input may trip any corner of the parser
        raise MalformedMessage(f"unreadable message structure ({type(error).__name__})") from error


def _header(message: Message, name: str) -> str:
    value = message.get(name)
    return clean(re.sub(r"\s+", " ", str(value))).strip() if value is not None else ""


def _fields(message: EmailMessage, raw: bytes) -> ParsedMessage:
    if not message.keys():
        raise MalformedMessage("no mail headers: this is not an email message")
    from_name, from_addr = _first_address(message, "From")
    if not from_addr:
        raise MalformedMessage("no sender address: the From header is missing or unreadable")
    if len(from_addr) > 255:
        raise MalformedMessage("the sender address is longer than 255 characters")
    _, to_addr = _first_address(message, "To")
    if not to_addr or len(to_addr) > 255:
        _, to_addr = _first_address(message, "Delivered-To")
    ids = message_ids(_header(message, "Message-ID"))
    message_id = ids[0] if ids else f"<{hashlib.sha256(raw).hexdigest()[:40]}@{SYNTHETIC_ID_DOMAIN}>"
    replied = message_ids(_header(message, "In-Reply-To"))
    references = tuple(message_ids(_header(message, "References"))[-MAX_REFERENCES:])
    original = _body_text(message)
    return ParsedMessage(
        message_id=message_id,
        in_reply_to=replied[0] if replied else None,
        references=references,
        from_addr=from_addr,
        from_name=from_name,
        to_addr=to_addr if to_addr and len(to_addr) <= 255 else None,
        subject=_header(message, "Subject") or "(no subject)",
        sent_at=_date(message),
        body=trim_quoted(original),
        original_body=original,
        attachments=tuple(_attachments(message)),
    )


def _first_address(message: Message, name: str) -> tuple[str, str]:
    """(display name, lower-cased address) of the first address with an '@' in the header, or ('', '')."""
    values = [clean(str(v)) for v in message.get_all(name) or []]
    for display, address in getaddresses(values):
        address = address.strip().lower()
        if "@" in address and " " not in address:
            return display.strip(), address
    return "", ""


def _date(message: Message) -> datetime | None:
    value = message.get("Date")
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(str(value))
    except (TypeError, ValueError, IndexError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _decode(part: Message) -> str:
    """The part's text in its declared charset, falling back to UTF-8; invalid bytes become U+FFFD."""
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    charset = part.get_content_charset() or "utf-8"
    try:
        codecs.lookup(charset)
    except LookupError:
        charset = "utf-8"
    return clean(payload.decode(charset, errors="replace"))


def _body_text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    text = _decode(part)
    if part.get_content_subtype() == "html":
        text = html_to_text(text)
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def _attachments(message: EmailMessage) -> list[dict[str, Any]]:
    """Attachments are listed (name, type, size), never stored."""
    body = message.get_body(preferencelist=("plain", "html"))
    found: list[dict[str, Any]] = []

    def visit(part: Message) -> None:
        if part is body:
            return
        content_type = part.get_content_type()
        if part.is_multipart() and content_type != "message/rfc822":
            for child in part.get_payload():
                if isinstance(child, Message):
                    visit(child)
            return
        filename = part.get_filename()
        disposition = part.get_content_disposition()
        if filename or disposition == "attachment" or part.get_content_maintype() not in ("text", "multipart"):
            payload = part.get_payload(decode=True) if content_type != "message/rfc822" else part.as_bytes()
            found.append(
                {
                    "filename": clean(filename or "")[:255] or "(unnamed)",
                    "contentType": content_type,
                    "size": len(payload) if isinstance(payload, bytes) else 0,
                }
            )

    if message.is_multipart():
        visit(message)
    return found
