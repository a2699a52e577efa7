"""Mail text made readable: HTML to plain text (inscriptis), unstorable characters removed.

Pure functions, no database: the parser and the tests share them. Quote trimming is in `quotes.py`.
"""

from __future__ import annotations

import re

from inscriptis import get_annotated_text
from inscriptis.css_profiles import CSS_PROFILES
from inscriptis.model.config import ParserConfig

# Lines inside <blockquote> are annotated so they can be marked with '>' for quote trimming.
_HTML_CONFIG = ParserConfig(css=CSS_PROFILES["strict"], display_links=True, annotation_rules={"blockquote": ["quote"]})
_LINK = re.compile(r"\[([^\[\]\n]{0,500})\]\(([^()\s]{0,2000})\)")
_CONTROL = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(value: str) -> str:
    """Text PostgreSQL can store: no NUL, no lone surrogates (the email package keeps undecodable bytes so)."""
    value = value.replace("\x00", "")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        try:
            value = value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        except UnicodeEncodeError:
            value = value.encode("utf-8", "replace").decode("utf-8")
    return value


def _link(match: re.Match[str]) -> str:
    text, url = match.group(1).strip(), match.group(2)
    if not url.lower().startswith(("http://", "https://")) or url.rstrip("/") in (text.rstrip("/"), ""):
        return text  # mailto:, anchors and links that show their own address
    return f"{text} ({url})" if text else url


def html_to_text(html: str) -> str:
    """Readable plain text of an HTML mail body: layout kept, links in brackets, <blockquote> lines '> '."""
    html = re.sub(r"^\s*<\?xml[^>]*>", "", html)  # lxml refuses an encoding declaration in a str
    if not html.strip():
        return ""
    try:
        result = get_annotated_text(html, _HTML_CONFIG)
    except (ValueError, TypeError):  # lxml finds no document (comments only, control characters)
        return _CONTROL.sub("", re.sub(r"<[^>]*>", " ", html)).strip()
    text: str = result.get("text", "")
    spans: list[tuple[int, int, str]] = result.get("label", [])
    return _quote_lines(text, spans)


def _quote_lines(text: str, spans: list[tuple[int, int, str]]) -> str:
    out: list[str] = []
    offset = 0
    for raw in text.split("\n"):
        # The quote depth of a line: how many <blockquote> spans cover its start.
        depth = sum(1 for start, end, _ in spans if start <= offset < end)
        offset += len(raw) + 1
        line = _CONTROL.sub("", _LINK.sub(_link, raw)).rstrip()
        if not line.strip():
            if out and out[-1] != "":
                out.append("")
            continue
        out.append("> " * depth + line)
    return "\n".join(out).strip()


def enriched_to_text(text: str) -> str:
    """text/enriched (RFC 1896): formatting commands dropped, '<<' is a literal '<'."""
    text = re.sub(r"<param>.*?</param>", "", text, flags=re.IGNORECASE | re.DOTALL)
    text = re.sub(r"</?[A-Za-z0-9-]{1,60}>", "", text).replace("<<", "<")
    # In text/enriched a single newline is a space and n+1 newlines are n line breaks.
    return re.sub(r"\n(\n*)", lambda m: m.group(1) or " ", text)


def unflow(text: str, *, delsp: bool = False) -> str:
    """RFC 3676 format=flowed as a mail client shows it: soft breaks (a trailing space) joined into one line,
    space-stuffing removed, quote depth kept; the signature separator '-- ' stays a line of its own."""
    out: list[str] = []
    paragraph: list[str] = []
    depth_of_paragraph = -1

    def flush() -> None:
        nonlocal paragraph, depth_of_paragraph
        if depth_of_paragraph >= 0:
            joined = "".join(paragraph)
            out.append(">" * depth_of_paragraph + (" " + joined if depth_of_paragraph and joined else joined))
        paragraph, depth_of_paragraph = [], -1

    for line in text.split("\n"):
        depth = len(line) - len(line.lstrip(">"))
        content = line[depth:].removeprefix(" ")
        if content == "-- ":
            flush()
            out.append(">" * depth + (" -- " if depth else "-- "))
            continue
        if depth != depth_of_paragraph:
            flush()
            depth_of_paragraph = depth
        soft = content.endswith(" ")
        paragraph.append(content[:-1] if soft and delsp else content)
        if not soft:
            flush()
    flush()
    return "\n".join(out)
