"""Dollar figures: which attribute each is about (by the nearest attribute word) and over which period.

"$160 a day" for parking is a per-day claim even when $160 is the monthly figure; a
figure next to "budget", "over" or "total" is a reply-level figure checked against the
deal and the sums and differences of the record's figures.
"""

from __future__ import annotations

import re

from echo_core.generation.facts import lexicon as lx
from echo_core.generation.facts.reading import Situation

_F = re.IGNORECASE
_UNIT = re.compile(r"^\s*(?:per|a|an|for (?:a|each|one|every))\s+(?:parking\s+)?(?:spot|space|stall|car|vehicle|person|"
                   r"desk|seat|dog|pet|head|employee|member)s?\b", _F)
_PER_HEAD = re.compile(r"^\s*(?:per|a|an)\s+(?:person|desk|seat|head|employee|member)\b", _F)
_TERM_DEPOSIT = lx.words(r"security deposit", r"damage deposit", r"lease deposit", r"rental deposit",
                         r"first and last", r"last month'?s rent", r"deposit of \d+ months?", r"\d+ months?'? deposit")
_TERM_MONEY = lx.words(r"setup fee", r"set-up fee", r"admin(?:istration)? fee", r"cam", r"nnn", r"triple net",
                       r"operating expenses", r"opex", r"tax(?:es)?", r"insurance", r"broker(?:age)? fee",
                       r"commission", r"service charge", r"move-in fee", r"cleaning fee", r"late fee",
                       r"per square foot",
                       r"/\s?sq\.? ?ft", r"psf", r"escalat\w*", r"discount(?:ed)?", r"off the rent", r"concession")
_ATTRIBUTE_CUES = ("parking", "card", "deposit", "rent")
_DERIVED_CUES = ("budget", "gap", "total")
_LABEL = re.compile(r"^\W*([a-z][\w /&'-]{1,30}?)\s*:\s", _F)  # "Parking: …" heads everything after it
_NEAR = 28  # a reply-level word ("over", "total") only claims a figure it stands next to
_LOOKBACK = 160  # how far back a figure without its own attribute word looks for one


def amount(m: re.Match[str]) -> float:
    digits, cents, scale = (m.group(1), m.group(2), m.group(3)) if m.group(1) else (m.group(4), m.group(5), m.group(6))
    value = float(digits.replace(",", "") + (cents or ""))
    scale = (scale or "").lower()
    return value * (1000 if scale in ("k", "thousand") else 1_000_000 if scale in ("m", "million") else 1)


def _period(text: str, after: int, phrase_text: str) -> tuple[str | None, bool]:
    """The period written after the figure ("a month", "/day", "each"), else one stated in its phrase."""
    tail = text[after:after + 60]
    per_head = bool(_PER_HEAD.match(tail))
    for _ in range(2):
        for name, pattern in lx.PERIODS:
            if pattern.match(tail):
                return name, per_head
        unit = _UNIT.match(tail)
        if not unit:
            break
        tail = tail[unit.end():]
    for name, pattern in lx.PERIOD_WORDS:
        if pattern.search(phrase_text):
            return name, per_head
    return None, per_head


def _cue(s: Situation, position: int, end: int) -> str | None:
    phrase = s.sentence.phrase_at(position)
    text = s.text
    best: tuple[int, str] | None = None
    for topic in _ATTRIBUTE_CUES + _DERIVED_CUES:
        for start, stop, word in s.hits(lx.CUES[topic], phrase.start, phrase.end):
            gap = start - end if start >= end else position - stop
            if topic in _DERIVED_CUES and gap > _NEAR:
                continue
            if topic == "rent" and word.lower().startswith("rate") and gap > _NEAR:
                continue
            if best is None or gap < best[0]:
                best = (gap, topic)
    if best:
        return best[1]
    label = _LABEL.match(text)
    labelled = next((t for t in _ATTRIBUTE_CUES if label and lx.CUES[t].search(label.group(1))), None)
    if labelled and label and position > label.end():
        return labelled  # "Parking: Mission Loft $275/mo, SoMa Works $350/mo"
    if any(phrase.start <= a < position for a, _, _ in s.mentions):
        # A phrase with its own subject ("… and Mission Loft is $14,500") borrows a topic only from a parallel
        # figure before it ("Mission Loft's parking is $275; SoMa Works charges $350").
        earlier = list(lx.MONEY.finditer(text, max(0, phrase.start - _LOOKBACK), phrase.start))
        return _cue(s, earlier[-1].start(), earlier[-1].end()) if earlier else None
    clause = s.sentence.clause_of(phrase)
    for lo in dict.fromkeys((clause[0].start, 0)):
        hits = [(position - stop, topic) for topic in _ATTRIBUTE_CUES
                for _, stop, _ in s.hits(lx.CUES[topic], max(lo, position - _LOOKBACK), position)]
        if hits:
            return min(hits)[1]
    return None


def extract(s: Situation) -> None:
    text = s.text
    for m in lx.MONEY.finditer(text):
        phrase = s.sentence.phrase_at(m.start())
        if phrase.hedged:
            continue
        value = amount(m)
        period, per_head = _period(text, m.end(), phrase.text)
        window = text[max(phrase.start, m.start() - 40):min(phrase.end, m.end() + 40)]
        approx = bool(lx.APPROX.search(text[max(0, m.start() - 22):m.start()]))
        if lx.SEEKER.search(phrase.text) and _in_inbound(s, value):
            if lx.CUES["budget"].search(phrase.text):
                s.add("derived:budget", value, m.start(), period=period)
            continue  # the seeker's own figure quoted back
        if _TERM_DEPOSIT.search(window):
            s.add("term:security deposit", value, m.start(), period=period)
            continue
        term = _TERM_MONEY.search(window)
        if term:
            s.add(f"term:{term.group(0).lower()}", value, m.start(), period=period)
            continue
        if per_head:
            s.add("term:price per person", value, m.start(), period=period)
            continue
        topic = _cue(s, m.start(), m.end())
        name = {"parking": "parking.cost", "card": "access.cost", "deposit": "dogPolicy.deposit",
                "rent": "monthlyRate", "budget": "derived:budget", "gap": "derived:gap",
                "total": "derived:total"}.get(topic or "")
        if name is None:  # a space's own figure with a period ("X comes in at $N a year") is its price
            name = "monthlyRate" if period in ("month", "year", "week", "day", "hour") else "money"
            if _dog_context(phrase.text):
                name = "dogPolicy.deposit"
        s.add(name, value, m.start(), period=period, approx=approx)


def _dog_context(text: str) -> bool:
    return bool(lx.CUES["dogs"].search(text))


def _in_inbound(s: Situation, value: float) -> bool:
    inbound = s.record.context.inbound.body
    return any(amount(m) == value for m in lx.MONEY.finditer(inbound)) or \
        bool(re.search(rf"(?<![\d,]){int(value):,}(?![\d])|(?<![\d,]){int(value)}(?![\d])", inbound))
