"""Reading a reply into claims: (space, attribute, value), each bound to the space it belongs to.

A value belongs to the space named in its own phrase, else in its clause, else the
nearest one named earlier in the sentence, else the space the reply was last talking
about. "Both A and B …" binds a claim to each; a space after "unlike" or "than" is a
comparison, not the subject.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from echo_core.generation.context import SpaceFacts
from echo_core.generation.facts import text as tx
from echo_core.generation.facts.record import Record

_F = re.IGNORECASE
_GROUP_GAP = re.compile(r"^\s*(?:,|,?\s*and|&|,?\s*or|,?\s*as well as|/|\+)\s*(?:both\s+)?$", _F)
_CONTRASTED = re.compile(r"(?:unlike|than|compared (?:to|with)|versus|vs\.?|instead of|rather than|over|from|like)\s*"
                         r"(?:at\s+|with\s+)?$", _F)
_AT_NAME = re.compile(r"^[$\w.,/-]*(?:\s+[\w/-]+){0,3}?\s+(?:at|for|in|over at|with)\s+$", _F)
_ALL_OF_THEM = re.compile(r"\b(?:both|each|either|all (?:of )?(?:them|these|those|three|four|the spaces)|"
                          r"every one)\b", _F)


@dataclass(frozen=True)
class Claim:
    """One thing the reply states: `attribute` is a catalogue name, `term:<what>` (a term the record
    doesn't hold) or `derived:<what>` (budget, gap, total)."""

    attribute: str
    value: Any
    spaces: tuple[SpaceFacts, ...]
    snippet: str
    period: str | None = None
    approx: bool = False
    every: bool = True  # the claim holds for every space in `spaces` (False: the reply leaves which one open)


@dataclass
class Situation:
    """One sentence with its phrases, the spaces it names and the space the reply was talking about."""

    sentence: tx.Sentence
    mentions: list[tuple[int, int, SpaceFacts]]
    current: tuple[SpaceFacts, ...]
    current_every: bool
    record: Record
    shown: str = ""  # the sentence as written (numbers as digits), for quoting in an issue
    claims: list[Claim] = field(default_factory=list)
    _seen: dict[re.Pattern[str], bool] = field(default_factory=dict)
    _hits: dict[re.Pattern[str], list[tuple[int, int, str]]] = field(default_factory=dict)
    _starts: list[int] = field(default_factory=list)
    _contrast: list[bool] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.sentence.text

    def hits(self, pattern: re.Pattern[str], lo: int, hi: int) -> list[tuple[int, int, str]]:
        """Matches of `pattern` starting in [lo, hi) and ending by hi (the sentence is searched once)."""
        if pattern not in self._hits:
            self._hits[pattern] = [(m.start(), m.end(), m.group(0)) for m in pattern.finditer(self.text)]
        found = self._hits[pattern]
        i = bisect_left(found, (lo, -1, ""))
        out = []
        while i < len(found) and found[i][0] < hi:
            if found[i][1] <= hi:
                out.append(found[i])
            i += 1
        return out

    def has(self, pattern: re.Pattern[str]) -> bool:
        """Whether the sentence matches `pattern` (searched once per sentence, so long text stays linear)."""
        if pattern not in self._seen:
            self._seen[pattern] = bool(pattern.search(self.text))
        return self._seen[pattern]

    def add(self, attribute: str, value: Any, position: int, *, period: str | None = None, approx: bool = False,
            spaces: tuple[SpaceFacts, ...] | None = None, every: bool | None = None) -> None:
        bound, bound_every = self.spaces_at(position) if spaces is None else (spaces, True)
        self.claims.append(Claim(attribute, value, bound, self.snippet(position), period, approx,
                                 bound_every if every is None else every))

    def snippet(self, position: int) -> str:
        phrase = self.sentence.phrase_at(position)
        clause = self.sentence.clause_of(phrase)
        start, end = clause[0].start, clause[-1].end
        if end - start > 160:
            start, end = phrase.start, phrase.end
        return " ".join((self.shown or self.text)[start:end].strip(" ,;:—(").split())[:160]

    def spaces_at(self, position: int) -> tuple[tuple[SpaceFacts, ...], bool]:
        if not self.mentions:
            return (self.current, True) if len(self.current) > 1 and self.has(_ALL_OF_THEM) else \
                (self.current, self.current_every)
        if not self._starts:
            self._starts = [m[0] for m in self.mentions]
            self._contrast = [self._contrasted(m) for m in self.mentions]
        k = bisect_right(self._starts, position)
        nxt = self.mentions[k] if k < len(self.mentions) else None
        if nxt is not None and nxt[0] <= position + 40 and _AT_NAME.match(self.text[position:nxt[0]]):
            return self._group(k), True  # "$13,900 monthly at Dogpatch Yard": the value's own "at <space>"
        phrase = self.sentence.phrase_at(position)
        clause = self.sentence.clause_of(phrase)
        for lo, hi, allow_contrast in ((phrase.start, phrase.end, True), (clause[0].start, clause[-1].end, False),
                                       (0, len(self.text), False)):
            before = next((i for i in range(k - 1, -1, -1) if self._starts[i] < lo or allow_contrast or
                           not self._contrast[i]), None)
            if before is not None and self._starts[before] >= lo:
                return self._group(before), True
            after = next((i for i in range(k, len(self.mentions)) if self._starts[i] >= hi or allow_contrast or
                          not self._contrast[i]), None)
            if after is not None and self._starts[after] < hi:
                return self._group(after), True
        if len(self.current) > 1 and self.has(_ALL_OF_THEM):
            return self.current, True
        return self.current, self.current_every

    def _contrasted(self, mention: tuple[int, int, SpaceFacts]) -> bool:
        return bool(_CONTRASTED.search(self.text[max(0, mention[0] - 20):mention[0]]))

    def _group(self, index: int) -> tuple[SpaceFacts, ...]:
        lo = hi = index
        while lo > 0 and _GROUP_GAP.match(self.text[self.mentions[lo - 1][1]:self.mentions[lo][0]]):
            lo -= 1
        while hi + 1 < len(self.mentions) and \
                _GROUP_GAP.match(self.text[self.mentions[hi][1]:self.mentions[hi + 1][0]]):
            hi += 1
        return unique(m[2] for m in self.mentions[lo:hi + 1])

    def phrases(self) -> Iterable[tx.Phrase]:
        return (p for p in self.sentence.phrases if not p.hedged)


Extractor = Callable[[Situation], None]


def unique(spaces: Iterable[SpaceFacts]) -> tuple[SpaceFacts, ...]:
    """Spaces in first-seen order without repeats (SpaceFacts holds dicts, so it is not hashable)."""
    seen: dict[int, SpaceFacts] = {}
    for space in spaces:
        seen.setdefault(space.id, space)
    return tuple(seen.values())


def read(body: str, record: Record, default: tuple[SpaceFacts, ...], extractors: Iterable[Extractor]
         ) -> list[Claim]:
    """Every claim in `body`, each bound to its space(s)."""
    steps = tuple(extractors)
    text = tx.clean(body)
    current, every = default, len(default) <= 1
    claims: list[Claim] = []
    for raw in tx.sentences(text):
        converted = tx.digits(raw, [(a, b) for a, b, _ in record.mentions(raw)])
        mentions = record.mentions(converted)
        work = list(_mask(converted, record, mentions))
        for start, end, _ in mentions:  # a name's words ("Second Street", "Building") are not claims
            work[start:end] = "§" * (end - start)
        sentence = tx.segment("".join(work), [(a, b) for a, b, _ in mentions])
        situation = Situation(sentence, mentions, current, every, record, converted)
        for step in steps:
            step(situation)
        claims += situation.claims
        if mentions:
            subjects = [i for i, m in enumerate(mentions) if not situation._contrasted(m)] or [len(mentions) - 1]
            current, every = situation._group(subjects[-1]), True
            if len(current) > 1:
                every = False
    return claims


def _mask(sentence: str, record: Record, mentions: list[tuple[int, int, SpaceFacts]]) -> str:
    """Blank out the record's own descriptive text quoted word for word, and the seeker's words quoted back."""
    lowered = sentence.lower()
    spans: list[tuple[int, int]] = []
    for phrase in record.free_text:
        start = lowered.find(phrase)
        while start >= 0:
            spans.append((start, start + len(phrase)))
            start = lowered.find(phrase, start + 1)
    inbound = record.context.inbound.body.lower()
    for m in re.finditer(r"\"([^\"]{6,300})\"|'([^']{12,300})'", sentence):
        quoted = (m.group(1) or m.group(2)).lower().strip()
        if quoted in inbound or re.search(r"\?\s*$", quoted):
            spans.append((m.start(), m.end()))
    if not spans:
        return sentence
    chars = list(sentence)
    for start, end in spans:
        if any(a < end and start < b for a, b, _ in mentions):
            continue  # never blank a space's name: binding needs it
        for i in range(start, end):
            chars[i] = " " if not chars[i].isspace() else chars[i]
    return "".join(chars)
