"""Header values as a mail client shows them: raw 8-bit bytes and RFC 2047 encoded words decoded.

The stdlib's `policy.default` puts spaces inside names split over adjacent encoded words ("C arol Ada ms")
and `decode_header` loses folding whitespace, so the joining rule of RFC 2047 §6.2 lives here; the
decoding of each word is the stdlib's (`quoprimime`, `base64`) and the charset is read as in bodies.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable
from email import quoprimime
from email.message import Message
from email.utils import getaddresses

from echo_core.mail.charsets import decode_declared, decode_undeclared

_FOLD = re.compile(r"\r?\n(?=[ \t])")
# RFC 2047 §2, as loose as the stdlib's `email.header.ecre` (spaces inside the encoded text are tolerated).
ENCODED_WORD = re.compile(r"=\?(?P<charset>[^?]*?)\?(?P<encoding>[qQbB])\?(?P<encoded>.*?)\?=")


def raw_text(value: str, hints: Iterable[str] = ()) -> str:
    """An undecoded header value (8-bit bytes kept as surrogates by the parser) as text, unfolded."""
    data = value.encode("utf-8", "surrogateescape")
    text = decode_undeclared(data, hints) if not data.isascii() else data.decode("ascii")
    return _FOLD.sub("", text).replace("\r", "").replace("\n", " ")


def _word_bytes(encoding: str, payload: str) -> bytes:
    if encoding.lower() == "q":
        return quoprimime.header_decode(payload).encode("latin-1", "replace")
    data = re.sub(r"[^A-Za-z0-9+/]", "", payload)
    try:
        return base64.b64decode(data + "=" * (-len(data) % 4))
    except (binascii.Error, ValueError):
        return payload.encode("ascii", "replace")


def decode_words(text: str, hints: Iterable[str] = ()) -> str:
    """Decode RFC 2047 words; whitespace between adjacent words is dropped and their bytes joined first,
    so a character split across two words survives."""
    hints = list(hints)
    out: list[str] = []
    pending: tuple[str, bytearray] | None = None

    def flush() -> None:
        nonlocal pending
        if pending is not None:
            out.append(decode_declared(bytes(pending[1]), pending[0], hints))
            pending = None

    position = 0
    for match in ENCODED_WORD.finditer(text):
        between = text[position : match.start()]
        if between and not (pending is not None and between.isspace()):
            flush()
            out.append(between)
        charset = match.group("charset").split("*", 1)[0].lower()
        data = _word_bytes(match.group("encoding"), match.group("encoded"))
        if pending is not None and pending[0] == charset:
            pending[1].extend(data)
        else:
            flush()
            pending = (charset, bytearray(data))
        position = match.end()
    flush()
    out.append(text[position:])
    return "".join(out)


def raw_values(message: Message, name: str) -> list[str]:
    """The header's values exactly as parsed: `get` would wrap 8-bit ones in a Header that garbles them."""
    wanted = name.lower()
    return [str(value) for key, value in message.raw_items() if key.lower() == wanted]


def header_text(message: Message, name: str, hints: Iterable[str] = ()) -> str:
    """The first `name` header, decoded and on one line ('' when absent)."""
    values = raw_values(message, name)
    if not values:
        return ""
    return re.sub(r"\s+", " ", decode_words(raw_text(values[0], hints), hints)).strip()


def addresses(message: Message, name: str, hints: Iterable[str] = ()) -> list[tuple[str, str]]:
    """(display name, address) pairs; names are decoded after splitting, so an encoded comma stays in a name."""
    hints = list(hints)
    values = [raw_text(v, hints) for v in raw_values(message, name)]
    found: list[tuple[str, str]] = []
    for display, address in getaddresses(values):
        display = re.sub(r"\s+", " ", decode_words(display, hints)).strip().strip('"').strip()
        found.append((display, address.strip()))
    return found
