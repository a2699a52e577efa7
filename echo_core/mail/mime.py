"""The readable text of a MIME tree, as a tolerant mail client shows it.

- every inline text part, in order (an iPhone's text / photo / text keeps both texts);
- of alternatives, the plain text unless it is empty, else the richest part that has text (HTML → text);
- forwarded and enclosed messages (message/rfc822) as '>'-quoted text under their From/Date/Subject/To;
- a multipart whose boundary is missing or wrong is re-split at the boundary its body actually uses.
Attachments (named or `attachment` parts, and every non-text part) are listed, never read as text.
"""

from __future__ import annotations

import re
from email import policy
from email.message import Message
from email.parser import BytesParser
from typing import Any

from echo_core.mail.charsets import decode_declared, html_meta_charset
from echo_core.mail.headers import decode_words, header_text, raw_text
from echo_core.mail.text import clean, enriched_to_text, html_to_text, unflow

READABLE_SUBTYPES = frozenset({"plain", "html", "enriched", "richtext", "markdown", "x-markdown"})
ENCLOSED_TYPES = frozenset({"message/rfc822", "message/global"})
ENCLOSED_HEADERS = ("From", "Date", "Subject", "To")
MAX_DEPTH = 12  # nested messages and multiparts deeper than this are listed, not read
_BOUNDARY_LINE = re.compile(rb"^--([^\s]{1,200}?)\s*$", re.MULTILINE)


def charset_hints(message: Message) -> list[str]:
    """Every charset the message declares anywhere: the fallback for its undeclared 8-bit bytes."""
    found: dict[str, None] = {}
    for part in message.walk():
        charset = part.get_content_charset()  # RFC 2231 values decoded, non-ASCII labels dropped
        if charset and charset.strip():
            found.setdefault(charset.strip(), None)
    return [c for c in found if c not in ("us-ascii", "ascii")]


def is_attachment(part: Message) -> bool:
    disposition = (part.get_content_disposition() or "").lower()
    if disposition == "attachment":
        return True
    return bool(part.get_filename()) and disposition != "inline"


def _payload_bytes(part: Message) -> bytes:
    try:
        payload = part.get_payload(decode=True)
    except Exception:  # noqa: BLE001 - a corrupt transfer encoding: read what is there
        raw = part.get_payload()
        payload = raw.encode("utf-8", "surrogateescape") if isinstance(raw, str) else b""
    return payload if isinstance(payload, bytes) else b""


def part_text(part: Message, hints: list[str]) -> str:
    """One text part decoded (declared charset, HTML meta, else detected) and made plain."""
    data = _payload_bytes(part)
    subtype = part.get_content_subtype()
    label = part.get_content_charset()
    if not label or not label.strip():
        label = html_meta_charset(data) if subtype == "html" else None
    text = clean(decode_declared(data, label, hints))
    if subtype == "html":
        text = html_to_text(text)
    elif subtype in ("enriched", "richtext"):
        text = enriched_to_text(text)
    elif str(part.get_param("format") or "").lower() == "flowed":
        text = unflow(text.replace("\r\n", "\n"), delsp=str(part.get_param("delsp") or "").lower() == "yes")
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def _children(part: Message) -> list[Message]:
    if not part.is_multipart():  # get_payload() of an 8-bit leaf can trip over an RFC 2231 charset
        return []
    payload = part.get_payload()
    return [child for child in payload if isinstance(child, Message)] if isinstance(payload, list) else []


def _resplit(part: Message) -> Message | None:
    """A multipart whose declared boundary never occurs, re-read with the boundary its body uses."""
    data = _payload_bytes(part)
    found = _BOUNDARY_LINE.search(data)
    if found is None:
        return None
    boundary = found.group(1).removesuffix(b"--").decode("ascii", "replace")
    head = f'Content-Type: {part.get_content_type()}; boundary="{boundary}"\n\n'.encode()
    reparsed = BytesParser(policy=policy.compat32).parsebytes(head + data)
    return reparsed if _children(reparsed) else None


def _alternative(children: list[Message], hints: list[str], depth: int) -> list[str]:
    readable = [(child, texts(child, hints, depth + 1)) for child in children if not is_attachment(child)]
    for child, found in readable:
        if child.get_content_type() == "text/plain" and any(found):
            return found
    for _, found in reversed(readable):  # the last alternative is the richest
        if any(found):
            return found
    return []


def enclosed_text(message: Message, hints: list[str], depth: int = 0) -> str:
    """A forwarded or enclosed message: its headers and text, every line quoted with '>'."""
    inner_hints = charset_hints(message) or hints
    lines = [f"{name}: {value}" for name in ENCLOSED_HEADERS if (value := header_text(message, name, inner_hints))]
    body = "\n\n".join(texts(message, inner_hints, depth + 1))
    block = "\n".join(lines) + ("\n\n" + body if body else "")
    return "\n".join(f"> {line}" if line else ">" for line in block.strip().split("\n"))


def texts(part: Message, hints: list[str], depth: int = 0) -> list[str]:
    """The readable texts of a part and its children, in order; empty texts are dropped."""
    if depth > MAX_DEPTH:
        return []
    content_type = part.get_content_type()
    if content_type in ENCLOSED_TYPES:
        inner = _children(part)
        return [enclosed_text(inner[0], hints, depth)] if inner and not is_attachment(part) else []
    if part.get_content_maintype() == "multipart":
        children = _children(part)
        if not children:
            repaired = _resplit(part)
            if repaired is None:
                text = part_text(part, hints)
                return [text] if text else []
            children = _children(repaired)
        subtype = part.get_content_subtype()
        if subtype == "alternative":
            return _alternative(children, hints, depth)
        if subtype in ("signed", "encrypted"):
            children = children[:1]  # the signature or the key exchange is not text
        return [text for child in children for text in texts(child, hints, depth + 1)]
    if part.get_content_maintype() != "text" or part.get_content_subtype() not in READABLE_SUBTYPES:
        return []
    if is_attachment(part) and depth > 0:
        return []
    text = part_text(part, hints)
    return [text] if text else []


def attachments(message: Message, hints: list[str]) -> list[dict[str, Any]]:
    """Attachments are listed (name, type, size), never stored."""
    found: list[dict[str, Any]] = []

    def visit(part: Message, depth: int) -> None:
        content_type = part.get_content_type()
        children = _children(part)
        if part.get_content_maintype() == "multipart" and children and depth <= MAX_DEPTH:
            for child in children:
                visit(child, depth + 1)
            return
        if content_type in ENCLOSED_TYPES and not is_attachment(part):
            return  # shown as quoted text
        readable = part.get_content_maintype() == "multipart" or (
            part.get_content_maintype() == "text" and part.get_content_subtype() in READABLE_SUBTYPES
        )
        if readable and (depth == 0 or not is_attachment(part)):
            return
        name = decode_words(raw_text(part.get_filename() or "", hints), hints).strip()
        found.append({"filename": clean(name)[:255] or "(unnamed)", "contentType": content_type,
                      "size": _size(part)})

    visit(message, 0)
    return found


def _size(part: Message) -> int:
    if part.get_content_type() not in ENCLOSED_TYPES:
        return len(_payload_bytes(part))
    try:
        return len(part.as_bytes())
    except Exception:  # noqa: BLE001 - a broken enclosed message still gets listed
        return 0
