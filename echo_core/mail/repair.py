"""Raw bytes made parseable the way tolerant mail clients read them, before the `email` package sees them.

- a byte-order mark (UTF-8, or a whole message saved as UTF-16) is not the start of the headers;
- NUL bytes and blank lines before the headers are dropped;
- one junk line inside the header block (no colon, a stray postmark, "Name : value") no longer ends the
  headers early — which would push the rest of them and the raw base64/quoted-printable parts into the body.
  A junk line is dropped when real header fields follow it before the blank line; otherwise it is where the
  headers end (a message written without the blank line).
"""

from __future__ import annotations

import re

_FIELD = re.compile(rb"^[\x21-\x39\x3b-\x7e]+:")
_SPACED_FIELD = re.compile(rb"^([\x21-\x39\x3b-\x7e]+)[ \t]+:")
_KNOWN_FIELD = re.compile(
    rb"^(?:content-[\w-]+|mime-version|subject|from|to|cc|bcc|date|message-id|received|return-path|reply-to|"
    rb"in-reply-to|references|sender|x-[\w-]+|list-[\w-]+|dkim-signature|arc-[\w-]+|authentication-results|"
    rb"delivered-to|thread-[\w-]+|importance|priority|user-agent|organization)[ \t]*:",
    re.IGNORECASE,
)
LOOKAHEAD_LINES = 200


def strip_preamble(raw: bytes) -> bytes:
    """No BOM, no NUL bytes, no blank lines before the first header."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raw = raw.decode("utf-16", "replace").encode("utf-8")
    raw = raw.removeprefix(b"\xef\xbb\xbf").replace(b"\x00", b"")
    return raw.lstrip(b"\r\n")


def _headers_follow(lines: list[bytes], start: int) -> bool:
    for line in lines[start : start + LOOKAHEAD_LINES]:
        if not line.strip():
            return False
        if _KNOWN_FIELD.match(line):
            return True
    return False


def repair_headers(raw: bytes) -> bytes:
    """The message with junk lines inside its header block dropped (see the module docstring)."""
    lines = raw.splitlines(keepends=True)
    out: list[bytes] = []
    for i, line in enumerate(lines):
        bare = line.rstrip(b"\r\n")
        if not bare:  # the blank line: the headers end here
            return b"".join(out + lines[i:])
        if _FIELD.match(bare) or (out and bare[:1] in (b" ", b"\t")) or (i == 0 and bare.startswith(b"From ")):
            out.append(line)
            continue
        spaced = _SPACED_FIELD.match(bare)
        if spaced:
            out.append(spaced.group(1) + b":" + line[spaced.end() :])
            continue
        if bare.startswith((b"From ", b">From ")) or _headers_follow(lines, i + 1):
            continue  # junk inside the header block
        eol = b"\r\n" if line.endswith(b"\r\n") else b"\n"
        return b"".join(out) + (eol if out else b"") + b"".join(lines[i:])
    return b"".join(out)


def repair(raw: bytes) -> bytes:
    return repair_headers(strip_preamble(raw))
