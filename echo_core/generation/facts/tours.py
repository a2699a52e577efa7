"""Tour days and times: each time belongs to the weekday before it ("Tuesday at 2pm or 4pm"),
a weekday alone in a tour sentence claims that day has slots, and a refused or requested
slot ("Tuesday at 1pm isn't open", "you asked for …") claims nothing.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from datetime import timedelta

from echo_core.generation.facts import lexicon as lx
from echo_core.generation.facts import record as rec
from echo_core.generation.facts.reading import Situation

_F = re.IGNORECASE
_REFUSED = lx.words(r"isn'?t (?:open|available|free)", r"not (?:open|available|free)", r"(?:is|are) (?:booked|taken)",
                    r"already (?:booked|taken)", r"doesn'?t work", r"won'?t work", r"unavailable",
                    r"no (?:tour )?slots?", r"no availability", r"fully booked", r"instead of", r"requested",
                    r"you (?:asked|mentioned|suggested|proposed|wanted)", r"your (?:request|suggestion|proposed)")
_HOURS_TALK = lx.words(r"building", r"doors?", r"hours", r"opens", r"open (?:from|until|till|between|daily)",
                       r"closes?", r"closed", r"lobby", r"front desk",
                       r"access", r"until", r"weekdays", r"cleaning", r"cleaners", r"janitorial", r"move[- ]in",
                       r"available from", r"notice", r"business days?")
# "Friday morning at 9am", "Tue 2pm": a weekday with a time a few words on is a slot, tour word or not.
_DAY_THEN_TIME = re.compile(r"\b(?:mon|tue|wed|thu|fri|sat|sun)\w*\.?,?(?:\s+[a-z]+){0,3}?\s+(?:at\s+|@\s*)?"
                            r"\d{1,2}(?::\d\d)?\s*(?:am|pm)?\b", _F)
_RELATIVE = re.compile(r"\b(today|tomorrow)\b", _F)


def _weekdays(text: str, s: Situation) -> list[tuple[int, str]]:
    found = []
    for m in lx.WEEKDAY.finditer(text):
        token = m.group(1)
        if len(token) <= 3 and not token[0].isupper():
            continue  # 'sun', 'sat', 'wed' in running prose are rarely weekdays
        day = next(d for d in lx.DAY_NAMES if d.startswith(token[:3].lower()))
        found.append((m.start(), day))
    sent = s.record.context.inbound.sent_at
    for m in _RELATIVE.finditer(text):
        when = sent + timedelta(days=1 if m.group(1).lower() == "tomorrow" else 0)
        found.append((m.start(), lx.DAY_NAMES[when.weekday()]))
    return sorted(found)


def _times(text: str) -> list[tuple[int, int]]:
    out = []
    for m in lx.TIME.finditer(text):
        if m.group(1):
            minutes = rec.clock(f"{m.group(1)}:{m.group(2) or '00'}{m.group(3).replace('.', '').lower()}")
        elif m.group(4):
            minutes = rec.clock(f"{m.group(4)}:{m.group(5)}")
            if minutes is not None and minutes < 7 * 60:
                minutes += 12 * 60  # "at 2:30" for a tour means the afternoon
        else:
            minutes = rec.clock(m.group(6).lower())
        if minutes is not None:
            out.append((m.start(), minutes))
    return out


def extract(s: Situation) -> None:
    text = s.text
    days = _weekdays(text, s)
    times = _times(text)
    if not days and not times:
        return
    tourish = bool(lx.CUES["tour"].search(text)) or bool(_DAY_THEN_TIME.search(text))
    if not tourish:
        return
    used_days: set[int] = set()
    day_positions = [d[0] for d in days]
    clause_talk: dict[int, tuple[bool, bool]] = {}
    for position, minutes in times:
        phrase = s.sentence.phrase_at(position)
        if phrase.hedged or phrase.negated or _REFUSED.search(phrase.text) or _HOURS_TALK.search(phrase.text) or \
                _is_range_end(text, position):
            continue
        i = bisect_right(day_positions, position)
        anchor = days[i - 1] if i else (days[0] if days and days[0][0] - position < 25 else None)
        if anchor is not None:
            used_days.add(anchor[0])
        s.add("availability", (anchor[1] if anchor else None, minutes), position)
    for position, day in days:
        if position in used_days:
            continue
        phrase = s.sentence.phrase_at(position)
        clause = s.sentence.clause_of(phrase)
        if clause[0].start not in clause_talk:
            clause_text = s.text[clause[0].start:clause[-1].end]
            clause_talk[clause[0].start] = (bool(_HOURS_TALK.search(clause_text)),
                                            bool(lx.CUES["tour"].search(clause_text)))
        hours_talk, tour_talk = clause_talk[clause[0].start]
        if phrase.hedged or hours_talk or not tour_talk:
            continue
        if _REFUSED.search(phrase.text) or phrase.negated:
            if re.search(r"\bslots?\b|\bavailab|\btours?\b|\bopenings?\b", phrase.text, _F) and \
                    not re.search(r"\b(?:at|@)\s*\d", phrase.text):
                s.add("availability:none", day, position)
            continue
        s.add("availability", (day, None), position)


def _is_range_end(text: str, position: int) -> bool:
    """The second time of "between 2pm and 4pm" is a window's end, not a slot."""
    return bool(re.search(r"(?:-|–|to|until|till)\s*$", text[max(0, position - 8):position], _F))
