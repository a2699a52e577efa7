"""Mail text made readable: HTML to plain text, quoted history trimmed, unstorable characters removed.

Pure functions, no database: the parser and the tests share them.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCK_TAGS = {
    "address", "article", "blockquote", "br", "dd", "div", "dl", "dt", "footer", "h1", "h2", "h3", "h4", "h5",
    "h6", "header", "hr", "li", "ol", "p", "pre", "section", "table", "tr", "ul",
}  # fmt: skip
_SKIP_TAGS = {"head", "script", "style", "title", "template"}


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


class _TextExtractor(HTMLParser):
    """Collects visible text; lines inside <blockquote> are marked with '>' so quote trimming sees them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[tuple[int, str]] = []  # (quote depth, text)
        self._line: list[str] = []
        self._line_depth = 0
        self._depth = 0
        self._skip = 0
        self._pre = 0
        self._href: str | None = None

    def _break(self) -> None:
        self.lines.append((self._line_depth, "".join(self._line).strip()))
        self._line = []
        self._line_depth = self._depth

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self._break()
        if tag == "blockquote":
            self._depth += 1
            self._line_depth = self._depth
        elif tag == "pre":
            self._pre += 1
        elif tag == "li":
            self._line.append("- ")
        elif tag in ("td", "th"):
            self._line.append(" ")
        elif tag == "a":
            self._href = dict(attrs).get("href")
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt:
                self._line.append(f"[{alt}]")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skip = max(0, self._skip - 1)
        elif tag == "a" and self._href and self._href.startswith(("http://", "https://")):
            text = "".join(self._line)
            if self._href not in text:
                self._line.append(f" ({self._href})")
            self._href = None
        if tag == "blockquote":
            self._break()
            self._depth = max(0, self._depth - 1)
            self._line_depth = self._depth
        elif tag == "pre":
            self._pre = max(0, self._pre - 1)
        elif tag in _BLOCK_TAGS and tag != "li":  # the next <li> breaks the line: no blank between items
            self._break()

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._pre:
            parts = data.split("\n")
            for i, part in enumerate(parts):
                if i:
                    self._break()
                self._line.append(part)
            return
        text = re.sub(r"\s+", " ", data)
        if not "".join(self._line).strip():
            text = text.lstrip()
            self._line_depth = self._depth
        self._line.append(text)

    def text(self) -> str:
        self._break()
        out: list[str] = []
        for depth, line in self.lines:
            if not line:
                if out and out[-1] != "":
                    out.append("")
                continue
            out.append(("> " * depth) + line)
        return "\n".join(out).strip()


def html_to_text(html: str) -> str:
    """Readable plain text of an HTML mail body (links kept in brackets, quotes marked with '>')."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    return parser.text()


# "On Tue, 3 Jun 2025 at 10:00, Ann <ann@x.com> wrote:" and its common translations.
_ATTRIBUTION = re.compile(
    r"^(On\s.{0,400}\swrote|Am\s.{0,400}\sschrieb(\s.{0,300})?|Le\s.{0,400}\sa\s+écrit|"
    r"El\s.{0,400}\sescribió|Op\s.{0,400}\sschreef(\s.{0,300})?)\s*:\s*$",
    re.IGNORECASE,
)
_ORIGINAL_MESSAGE = re.compile(r"^\s*-{2,}\s*(Original Message|Forwarded message|Ursprüngliche Nachricht)\s*-{2,}",
                               re.IGNORECASE)
_OUTLOOK_FROM = re.compile(r"^\s*\*?(From|De|Von)\s*:\*?\s+\S", re.IGNORECASE)
_OUTLOOK_NEXT = re.compile(r"^\s*\*?(Sent|Date|Envoyé|Gesendet|To|Subject)\s*:\*?\s", re.IGNORECASE)


def _attribution_at(lines: list[str], i: int) -> int:
    """How many lines (1 or 2) form an "On … wrote:" attribution starting at line i; 0 if none."""
    if _ATTRIBUTION.match(lines[i].strip()):
        return 1
    if i + 1 < len(lines) and re.match(r"^(On|Am|Le|El|Op)\s", lines[i].strip()):
        if _ATTRIBUTION.match(f"{lines[i].strip()} {lines[i + 1].strip()}"):
            return 2
    return 0


def _outlook_header_at(lines: list[str], i: int) -> bool:
    if _ORIGINAL_MESSAGE.match(lines[i]):
        return True
    if re.match(r"^\s*_{8,}\s*$", lines[i]):
        return any(_OUTLOOK_FROM.match(line) for line in lines[i + 1 : i + 3])
    if _OUTLOOK_FROM.match(lines[i]):
        return any(_OUTLOOK_NEXT.match(line) for line in lines[i + 1 : i + 5])
    return False


def trim_quoted(text: str) -> str:
    """The new part of a reply: '>' lines dropped, history after an attribution or an Outlook header cut.

    An attribution followed by '>' lines is only removed (the reply may continue below the
    quote); one followed by unquoted text, and every Outlook "From:/Sent:" block, ends the reply.
    Returns the whole text when trimming would leave nothing.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept: list[str] = []
    i = 0
    while i < len(lines):
        if _outlook_header_at(lines, i):
            break
        span = _attribution_at(lines, i)
        if span:
            following = next((line for line in lines[i + span :] if line.strip()), "")
            if not following.lstrip().startswith(">"):
                break
            i += span
            continue
        if not lines[i].lstrip().startswith(">"):
            kept.append(lines[i].rstrip())
        i += 1
    trimmed = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()
    return trimmed or text.strip()
