"""A reply's text made ready for reading claims: cleaned, numbers as digits, split into sentences,
clauses and phrases, with the negation, polarity and hedging of each phrase.

Negation binds to its own phrase ("Dog friendly, with no pet deposit" negates only the
deposit). A phrase with no verb of its own ("…, internet or cleaning") continues the
phrase before it, and a contrast ("but not janitorial") turns the polarity it inherits.
Every step is a single regex pass, so the whole check stays linear in the text length.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field

from text_to_num import alpha2digit

from echo_core.generation.facts import lexicon as lx

_F = re.IGNORECASE
_BIDI = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\ufeff"))
_QUOTE_HEADER = re.compile(r"^\s*(on .{4,200}wrote:|-{2,}\s*(original|forwarded) message\s*-{2,}|from:\s.+@.+)\s*$",
                           _F | re.M)
_SENTENCE = re.compile(r"(?<=[.?!])[\"')\]]*\s+|\n+")
# "2120 Mission St. is …": a period after these ends an abbreviation, not a sentence.
_ABBREVIATION = re.compile(r"(?:\b(?:st|ave|blvd|rd|dr|mr|ms|mrs|no|approx|vs|etc|ste|fl|apt|bldg|e\.g|i\.e|incl|"
                           r"est|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)|\b[a-z])\.$", _F)
_CLAUSE = re.compile(r";|:(?!\d)|—|–|\(|\)|\[|\]|\s-{1,2}\s|\b(?:but|however|whereas|while|whilst|although|though|"
                     r"except|unlike|yet|so|because|since|otherwise|instead)\b", _F)
_CONTRAST = re.compile(r"^\W*(?:but|however|whereas|while|whilst|although|though|except|unlike|yet)\b", _F)
_PHRASE = re.compile(r",|\band\b|\bplus\b|\bas well as\b|\bversus\b|\bvs\.?(?=\s)|\bcompared (?:to|with)\b|"
                     r"(?=\bwithout\b)|&(?!\w)|\n|•|(?<=\s)/(?=\s)", _F)
_VERB = lx.words(r"is", r"are", r"was", r"were", r"be", r"being", r"has", r"have", r"had", r"offers?", r"includes?",
                 r"included", r"comes?", r"costs?", r"runs?", r"charges?", r"allows?", r"allowed", r"permits?",
                 r"permitted", r"welcomes?", r"welcome", r"accepts?", r"gets?", r"provides?", r"features?", r"'s",
                 r"'re", r"seats?", r"seating", r"holds?", r"fits?", r"opens?", r"closes?", r"covers?", r"covered",
                 r"goes", r"sits?", r"lists?", r"listed", r"requires?", r"needs?", r"takes?", r"offered", r"boasts?",
                 r"let'?s", r"can", r"will", r"would")
_AMPM = re.compile(r"\b([ap])\.m\.?(?=\W|$)", _F)


@dataclass
class Phrase:
    start: int
    end: int
    text: str
    negated: bool
    polarity: str | None  # "free" / "charged" / None (for included, free or extra claims)
    hedged: bool
    contrast: bool


@dataclass
class Sentence:
    text: str
    phrases: list[Phrase] = field(default_factory=list)
    clause_ids: list[int] = field(default_factory=list)  # per phrase: the index of its clause's first phrase
    _starts: list[int] = field(default_factory=list)
    _clause_ends: dict[int, int] = field(default_factory=dict)

    def index(self) -> None:
        """Precompute lookups so that finding a phrase or its clause stays cheap on long text."""
        self._starts = [p.start for p in self.phrases]
        self._clause_ends = {}
        for i, cid in enumerate(self.clause_ids):
            self._clause_ends[cid] = i + 1

    def phrase_at(self, position: int) -> Phrase:
        i = bisect_right(self._starts, position) - 1
        return self.phrases[max(0, min(i, len(self.phrases) - 1))]

    def clause_of(self, phrase: Phrase) -> list[Phrase]:
        """The phrases of `phrase`'s clause (a clause ends at ';', ':', a dash, a bracket or a contrast word)."""
        i = bisect_right(self._starts, phrase.start) - 1
        cid = self.clause_ids[i]
        return self.phrases[cid:self._clause_ends[cid]]


def clean(body: str) -> str:
    """The reply's own text: no quoted history, control characters or typographic variants; numbers as digits."""
    text = unicodedata.normalize("NFKC", body).translate(_BIDI)
    header = _QUOTE_HEADER.search(text)
    if header:
        text = text[:header.start()]
    lines = [line for line in text.splitlines() if not line.lstrip().startswith(">")]
    text = "\n".join(lines)
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    text = text.replace("\u00a0", " ").replace("\u2011", "-").replace("\u2012", "-").replace("\u2010", "-")
    return _AMPM.sub(lambda m: m.group(1) + "m", text)


def digits(text: str, protected: list[tuple[int, int]]) -> str:
    """Number words as digits ("two rooms" → "2 rooms"), leaving protected spans (space names) untouched."""
    out: list[str] = []
    cursor = 0
    for start, end in sorted(protected):
        if start < cursor:
            continue
        out.append(_convert(text[cursor:start]))
        out.append(text[start:end])
        cursor = end
    out.append(_convert(text[cursor:]))
    return "".join(out)


def _convert(chunk: str) -> str:
    if not re.search(r"[a-z]", chunk, _F) or not re.search(r"\b(zero|one|two|three|four|five|six|seven|eight|nine|"
                                                          r"ten|eleven|twelve|[a-z]{3,5}teen|[a-z]{3,5}ty|hundred|thousand|"
                                                          r"dozen|half)\b", chunk, _F):
        return chunk
    converted = alpha2digit(chunk, "en", threshold=0)
    # "a dozen" is common in replies and alpha2digit keeps it as words
    return re.sub(r"\b(a|one) dozen\b", "12", converted, flags=_F)


def sentences(text: str) -> list[str]:
    out: list[str] = []
    for piece in _SENTENCE.split(text):
        piece = piece.strip()
        if not piece:
            continue
        if out and _ABBREVIATION.search(out[-1]) and not out[-1].endswith("\n"):
            out[-1] = out[-1] + " " + piece
        else:
            out.append(piece)
    return out


def segment(sentence: str, protected: list[tuple[int, int]]) -> Sentence:
    """Split a sentence into phrases and give each its negation, polarity and hedge.

    A phrase without a verb takes its negation and polarity from the clause's verb: the phrase
    before it ("includes A, B and C"), or, at the head of a clause, the one after it ("A and B
    are not included"). A deferral ("I'll confirm whether …") covers its whole clause.
    """
    covered = sorted(protected)

    def inside(position: int) -> bool:
        i = bisect_right(covered, (position, len(sentence) + 1)) - 1
        return i >= 0 and covered[i][0] <= position < covered[i][1]

    cuts = sorted({m.start() for m in _CLAUSE.finditer(sentence) if not inside(m.start())} |
                  {m.start() for m in _PHRASE.finditer(sentence) if not inside(m.start())} | {0})
    bounds = [*cuts, len(sentence)]
    result = Sentence(sentence)
    verbal: list[bool] = []
    for start, end in zip(bounds, bounds[1:], strict=False):
        chunk = sentence[start:end]
        if not chunk.strip(" ,&/"):
            continue
        contrast = bool(_CONTRAST.match(chunk)) or (start > 0 and chunk.lstrip().lower().startswith("not "))
        own = _negated(chunk)
        before = sentence[max(0, start - 1):start + 1]
        opens = not result.phrases or contrast or bool(re.match(r"[;:—–(\[]|\s-", before))
        result.phrases.append(Phrase(start, end, chunk, own, _polarity(chunk, own), bool(lx.HEDGE.search(chunk)),
                                     contrast))
        result.clause_ids.append(len(result.phrases) - 1 if opens else result.clause_ids[-1])
        verbal.append(bool(_VERB.search(_strip_values(chunk))))
    if not result.phrases:
        result.phrases.append(Phrase(0, len(sentence), sentence, False, None, False, False))
        result.clause_ids.append(0)
        verbal.append(False)
    _inherit(result, verbal)
    result.index()
    _spread_hedges(result)
    return result


def _inherit(result: Sentence, verbal: list[bool]) -> None:
    """Give verbless phrases the negation and polarity of their clause's verb (one pass each way)."""
    phrases, ids = result.phrases, result.clause_ids
    head_after: list[int | None] = [None] * len(phrases)  # the next verbal phrase in the same clause
    following: int | None = None
    for i in range(len(phrases) - 1, -1, -1):
        head_after[i] = following
        if verbal[i]:
            following = i
        if ids[i] == i:  # a clause starts here: nothing after it belongs to the clause before
            following = None
    verb_seen: dict[int, bool] = {}
    for i, phrase in enumerate(phrases):
        if verbal[i]:
            verb_seen[ids[i]] = True
            continue
        ahead = head_after[i]
        head = phrases[ahead] if ahead is not None and not verb_seen.get(ids[i]) else None
        source = head or (phrases[i - 1] if i else None)
        if source is None:
            continue
        if head is None and phrase.contrast:
            phrase.negated = phrase.negated or not source.negated
            phrase.polarity = phrase.polarity or _flip(source.polarity)
        else:
            phrase.negated = phrase.negated or source.negated
            phrase.polarity = phrase.polarity or source.polarity


def _spread_hedges(sentence: Sentence) -> None:
    """A deferral covers its whole clause: "I'll confirm with the host whether dogs are allowed"."""
    hedged = {cid for phrase, cid in zip(sentence.phrases, sentence.clause_ids, strict=True) if phrase.hedged}
    for phrase, cid in zip(sentence.phrases, sentence.clause_ids, strict=True):
        if cid in hedged:
            phrase.hedged = True


def _strip_values(chunk: str) -> str:
    """The chunk without the value phrases whose 'no' or 'is' is not the phrase's own verb or negation."""
    for pattern in (lx.FREE, lx.ALWAYS_OPEN):
        chunk = pattern.sub(" ", chunk)
    return chunk


_NO_VALUE = re.compile(r"\bno (?:(?:extra|additional|pet|dog|size|weight|breed|security|setup|hidden|key ?card|card|"
                       r"access|parking|monthly|daily|upfront|up-front)\s)*(?:deposit|limit|restrictions?|fee|charge|"
                       r"cost|minimum)s?\b|\bno problem\b|\bno worries\b|\bno[- ]brainer\b|\bnot (?:only|just)\b|"
                       r"\bno (?:later|earlier|more|less) than\b|\bno sooner\b", _F)


def _negated(chunk: str) -> bool:
    return bool(lx.NEGATION.search(_NO_VALUE.sub(" ", _strip_values(chunk))))


_NOT_INCLUDED = re.compile(r"\b(?:not|isn'?t|aren'?t|never)\s+(?:\w+\s+)?(?:included|covered|part of)|\bexclud|"
                           r"\bbring your own\b|\bbyo\b|\bon top of (?:the |your )?(?:rent|lease|base|price)", _F)


_CONNECTIVE = re.compile(r"^\W*(?:separately|additionally|also|plus|on top of that|in addition|besides)\b,?", _F)


def _polarity(chunk: str, negated: bool) -> str | None:
    """Whether the phrase calls something free/included or charged/extra, after its own negation."""
    chunk = _CONNECTIVE.sub(" ", chunk)  # "Separately, cleaning is weekly" is not "charged separately"
    if _NOT_INCLUDED.search(chunk):
        return "charged"
    if lx.CHARGED.search(lx.FREE.sub(" ", chunk)):
        raw = "charged"
    elif lx.FREE.search(chunk):
        raw = "free"
    else:
        return None
    return _flip(raw) if negated else raw


def _flip(polarity: str | None) -> str | None:
    return {"free": "charged", "charged": "free"}.get(polarity or "")
