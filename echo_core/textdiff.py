"""Word-level differences between two texts (a draft's versions), pure: difflib over word tokens.

A line diff of a reply marks a whole paragraph changed for one word, and a long line is
one "line"; this compares words, punctuation and whitespace runs instead, so the page can
show the paragraph once, wrapped, with exactly the removed and added words marked.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Literal

Op = Literal["equal", "delete", "insert"]
_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")
# An unchanged run this short between two changes reads better folded into them ("a cat" → "the dog").
_FOLD_UP_TO = 1


@dataclass(frozen=True)
class Segment:
    op: Op
    text: str


@dataclass(frozen=True)
class WordDiff:
    segments: tuple[Segment, ...]

    @property
    def identical(self) -> bool:
        return all(s.op == "equal" for s in self.segments)

    @property
    def words_removed(self) -> int:
        return sum(_words(s.text) for s in self.segments if s.op == "delete")

    @property
    def words_added(self) -> int:
        return sum(_words(s.text) for s in self.segments if s.op == "insert")


def _words(text: str) -> int:
    return len(re.findall(r"\w+", text))


def tokens(text: str) -> list[str]:
    """Words, single punctuation marks and whitespace runs; joined they give `text` back exactly."""
    return _TOKEN.findall(text)


def word_diff(old: str, new: str) -> WordDiff:
    """The segments that turn `old` into `new`: equal, deleted and inserted runs, in reading order."""
    a, b = tokens(old), tokens(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    raw: list[tuple[Op, str, str]] = []  # (op, old text, new text)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        old_text, new_text = "".join(a[i1:i2]), "".join(b[j1:j2])
        if tag == "equal":
            raw.append(("equal", old_text, new_text))
        else:  # replace = delete + insert; the page shows the removed words before the added ones
            raw.append(("delete", old_text, ""))
            raw.append(("insert", "", new_text))
    return WordDiff(tuple(_merge(_fold(raw))))


def _fold(raw: list[tuple[Op, str, str]]) -> list[tuple[Op, str, str]]:
    """Fold a tiny unchanged run (a space) between two changes into both, so "a cat" → "the dog" reads whole."""
    out: list[tuple[Op, str, str]] = []
    for index, (op, old_text, new_text) in enumerate(raw):
        between = 0 < index < len(raw) - 1 and raw[index - 1][0] != "equal" and raw[index + 1][0] != "equal"
        if op == "equal" and between and len(tokens(old_text)) <= _FOLD_UP_TO and not old_text.count("\n"):
            out += [("delete", old_text, ""), ("insert", "", new_text)]
        else:
            out.append((op, old_text, new_text))
    return out


def _merge(raw: list[tuple[Op, str, str]]) -> list[Segment]:
    """Adjacent changes grouped: all removed text of a changed stretch, then all added text."""
    segments: list[Segment] = []
    deleted: list[str] = []
    inserted: list[str] = []

    def flush() -> None:
        if deleted and "".join(deleted):
            segments.append(Segment("delete", "".join(deleted)))
        if inserted and "".join(inserted):
            segments.append(Segment("insert", "".join(inserted)))
        deleted.clear()
        inserted.clear()

    for op, old_text, new_text in raw:
        if op == "equal":
            flush()
            if old_text:
                segments.append(Segment("equal", old_text))
        elif op == "delete":
            deleted.append(old_text)
        else:
            inserted.append(new_text)
    flush()
    return segments


def old_text(diff: WordDiff) -> str:
    return "".join(s.text for s in diff.segments if s.op != "insert")


def new_text(diff: WordDiff) -> str:
    return "".join(s.text for s in diff.segments if s.op != "delete")
