"""The mail corpus: real messages (CPython's email test data, mail-client re-creations, issue 14's defects, mbox
files), each with `NAME.expected` beside it — the fields a tolerant mail client shows for it.

`render` is what the tests compare with the expected files. After a deliberate change to parsing, regenerate
with `ECHO_REGEN_CORPUS=1 pytest tests/unit/test_mail_corpus.py` and read every diff before committing it.
"""

from __future__ import annotations

from pathlib import Path

from echo_core.errors import MalformedMessage
from echo_core.mail.parse import parse_message
from echo_core.mail.sources import messages_in

CORPUS = Path(__file__).parent
SUFFIXES = (".eml", ".txt", ".mbox")


def corpus_files() -> list[Path]:
    return sorted(p for p in CORPUS.rglob("*") if p.suffix in SUFFIXES and p.name != "LICENSE-PSF.txt")


def expected_path(path: Path) -> Path:
    return path.with_name(path.name + ".expected")


def render_message(raw: bytes) -> str:
    try:
        parsed = parse_message(raw)
    except MalformedMessage as error:
        return f"error: {error}\n"
    sender = f"{parsed.from_name} <{parsed.from_addr}>" if parsed.from_name else parsed.from_addr
    lines = [f"from: {sender}", f"subject: {parsed.subject}",
             f"message-id: {parsed.message_id if parsed.has_real_message_id else '(none: keyed on its headers)'}"]
    if parsed.attachments:
        listed = ", ".join(f"{a['filename']} ({a['contentType']})" for a in parsed.attachments)
        lines.append(f"attachments: {listed}")
    lines += ["--- body (quoted history trimmed) ---", parsed.body]
    if parsed.original_body != parsed.body:
        lines += ["--- original ---", parsed.original_body]
    return "\n".join(lines) + "\n"


def render(path: Path) -> str:
    """Every message of the file (one for an .eml, each of an mbox), as the expected file holds it."""
    messages = messages_in(path.name, path.read_bytes())
    if path.suffix != ".mbox":
        return render_message(messages[0].data)
    return "".join(f"=== {m.label} ===\n{render_message(m.data)}" for m in messages)
