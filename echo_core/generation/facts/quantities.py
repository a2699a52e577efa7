"""Numbers with units: meeting rooms and their seats, parking spots, the dog size limit, notice,
booking length, opening hours, capacity, and lease terms the record does not hold.
"""

from __future__ import annotations

import re

from echo_core.generation.facts import lexicon as lx
from echo_core.generation.facts import record as rec
from echo_core.generation.facts.reading import Situation

_F = re.IGNORECASE
_N = r"(\d+)"
_LIST = r"(\d+(?:\s*(?:,|and|or|&|/)\s*(?:and\s+)?\d+)*)"
_ROOMS = re.compile(rf"\b{_N}\s+(?:\w+\s+){{0,2}}?(?:meeting|conference|board|huddle)?[- ]?rooms?\b", _F)
_NO_ROOMS = re.compile(r"\bno (?:\w+ )?(?:meeting|conference|board)[- ]?rooms?\b|\b(?:doesn'?t|does not|don'?t) "
                       r"(?:have|offer|include|come with) (?:a |any )?(?:\w+ )?(?:meeting|conference|board)[- ]?rooms?",
                       _F)
_A_ROOM = re.compile(r"\b(?:has|have|offers?|comes with|there'?s|there is|includes?|with|features?)\s+(?:a|an|one)\s+"
                     r"(?:\w+\s+)?(?:meeting|conference|board)[- ]?room\b", _F)
_SEATS = re.compile(rf"(?:\bseat(?:s|ing)?|\bfits?|\bholds?|\bsizes?(?: of)?|\bcapacity(?: of)?)\s+(?:up to\s+)?"
                    rf"{_LIST}(?!\s*(?:hours?|hrs?|minutes?|days?|weeks?|months?|%|\$|lbs?|pounds?))"
                    rf"(?:\s*(?:people|persons?|seats?|guests?|each))?|"
                    rf"\b(?:for|up to)\s+(?:up to\s+)?{_LIST}\s*(?:people|persons?|seats?|guests?)\b|"
                    rf"{_LIST}[- ](?:person|people|seat(?:er)?s?)\b|\b{_LIST}\s+(?:people|persons|seats)\b", _F)
_LARGEST = re.compile(r"\b(?:largest|biggest)\b[^.;\d]{0,60}?\b(\d+)\b|"
                      r"\b(\d+)\b.{0,20}\b(?:at most|max(?:imum)?)\b", _F)
_HOURS_WORDS = re.compile(r"\b(?:open|opens|closes?|closed|hours|until|till|access|building|doors?|lobby|front desk|"
                          r"reception|locks?|shuts?)\b", _F)
_MEETING_TALK = re.compile(r"\b(?:meeting|conference|board|huddle)[- ]?rooms?\b", _F)
_SPOTS = re.compile(rf"\b{_N}\s+(?:\w+\s+)?(?:parking\s+)?(?:spots?|spaces?|stalls?)\b(?=[^.;]{{0,30}}?\b(?:available|"
                    rf"open|left|free|remaining|vacant|unclaimed)\b)|\b(?:has|have|there (?:are|is)|with) {_N}\s+"
                    rf"(?:\w+\s+)?(?:parking\s+)?(?:spots?|spaces?|stalls?) (?:available|open|left|free|remaining)",
                    _F)
_SOME_SPOTS = re.compile(r"\b(?:open|available|free|vacant)\s+(?:\w+\s+)?(?:parking\s+)?(?:spots?|spaces?|stalls?)\b",
                         _F)
_NO_SPOTS = re.compile(r"\bno (?:\w+ )?(?:spots?|spaces?|stalls?)\b|\b(?:fully booked|sold out|waitlist(?:ed)?|"
                       r"full right now|is full|are full|none (?:left|available|open))\b", _F)
_WEIGHT = re.compile(r"(?:(?:size|weight) limit\b[^.;\d]{0,40}?|under|up to|below|less than|max(?:imum)?|at most|"
                     r"no more than|<|limit(?: is| of| at)?|of up to)\s*"
                     r"(\d+)\s*-?\s*(lbs?|pounds?|kg|kilos?)\b|"
                     r"(\d+)\s*-?\s*(lbs?|pounds?|kg|kilos?)\s*(?:or (?:less|under|"
                     r"lighter)|max(?:imum)?|limit|and under|cap)\b", _F)
_ANY_SIZE = re.compile(r"\b(?:any size|all sizes|no (?:size|weight|breed) (?:limit|restrictions?)|(?:dogs|pets) of "
                       r"(?:any|all) sizes?|big or small|no matter (?:the|their|what) size)\b", _F)
_NOTICE = re.compile(r"(\d+(?:\.\d+)?)\s*(?:business |working |calendar )?(hours?|hrs?|days?|weeks?)'?\s*(?:of\s+)?"
                     r"(?:advance\s+)?(?:notice|in advance|ahead|lead time|turnaround|to (?:set up|activate|issue))|"
                     r"\b(same[- ]day|next[- ]day)\b\s*(?:notice|setup|activation|turnaround|access)?", _F)
# "5 business days to get key cards", "takes about a week": a lead time said without the word "notice".
_LEAD_TIME = (re.compile(r"\b(\d+|an?|one|two|three|four|five)\s*(?:business |working |calendar )?(days?|weeks?)\s+"
                         r"(?:to|for|before)\s+(?:get|getting|receive|issue|set up|activate|process)\b", _F),
              re.compile(r"\btakes?\s+(?:about\s+|around\s+|roughly\s+|up to\s+)?(\d+|an?|one|two|three|four|five)\s*"
                         r"(?:business |working |calendar )?(days?|weeks?)\b", _F))
_SMALL = {"a": "1", "an": "1", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5"}
_BOOKING = re.compile(r"(?:capped at|up to|max(?:imum)?(?: of)?|limit(?: of)?|no more than|at most)\s*(\d+(?:\.\d+)?)"
                      r"\s*(?:hours?|hrs?)|(\d+(?:\.\d+)?)[- ]hours?\s*(?:max(?:imum)?|limit|cap|per booking)", _F)
_OPEN_CLOSE = re.compile(r"\b(opens?|open from|from|closes?|closed? at|until|till|open until|(?:locks?|shuts?|closes?)"
                         r"\b[^.;\d]{0,20}?\bat)\s*(?:at\s+)?"
                         r"(\d{1,2}(?::\d{2})?\s*(?:am|pm)|noon|midnight)", _F)
_RANGE = re.compile(r"(\d{1,2}(?::\d{2})?\s*(?:am|pm)?)\s*(?:-|–|to|until|through)\s*(\d{1,2}(?::\d{2})?\s*(?:am|pm)|"
                    r"midnight)", _F)
_LEASE = re.compile(r"\b(\d+)[- ](month|year|yr)s?\b[- ]?(?:lease|term|minimum|commitment|contract|agreement)|"
                    r"\b(?:lease|term|commitment|minimum)s? (?:of|is|runs?|for) (\d+) (months?|years?)\b|"
                    r"\bmonth[- ]to[- ]month\b|\b(\d+) months? (?:free|rent[- ]free)\b|\bsub-?leas\w*|\bsublet\w*", _F)
_CAPACITY = re.compile(r"\b(?:holds?|fits?|accommodates?|capacity (?:of|for)|room for|seats?|up to)\s+(?:up to\s+)?"
                       r"(\d+)\s+(?:people|persons|desks|employees|staff|seats|workstations)\b", _F)
_OFFER = re.compile(r"\b\d{1,2}\s?% (?:off|discount)|\bdiscount(?:ed|s)?\b|"
                    r"\b(?:\d+|a|first) months? (?:free|rent[- ]free|on (?:us|the house))\b|\brent[- ]free\b|"
                    r"\bfree months?\b|\bwaive[ds]?\b|\bprice (?:cut|drop)\b", _F)
_MOVE_NOW = re.compile(r"\b(?:move[- ]in|moving in|occupancy|ready for (?:you|your team)|available to (?:move|start))\b"
                       r"[^.;]{0,25}?\b(right away|immediately|"
                       r"right now|now|today|asap|tomorrow)\b", _F)
_MOVE_IN = re.compile(r"\b(?:available|move[- ]in|moving in|start|occupancy|ready)\b.{0,30}?\b(?:from|on|by|as of|"
                      r"starting)\s+((?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*\.?\s+\d{1,2}(?:st|nd|rd|th)?"
                      r"(?:,?\s+\d{4})?|\d{1,2}/\d{1,2}(?:/\d{2,4})?|immediately|now|today)", _F)


def extract(s: Situation) -> None:
    if s.has(_MEETING_TALK):  # seat lists run across phrases: "seat 6, 8 and 14"
        _seats(s)
    for p in s.phrases():
        text, at = p.text, p.start
        meeting = lx.CUES["meeting"].search(text) and re.search(r"meeting|conference|board|huddle|rooms?", text, _F)
        if meeting:
            clause = s.sentence.clause_of(p)
            _meeting_rooms(s, text, at, s.text[clause[0].start:clause[-1].end] if len(clause) < 12 else text)
        elif _CAPACITY.search(text) and not lx.SEEKER.search(text):
            m = _CAPACITY.search(text)
            assert m is not None
            s.add("capacity", int(m.group(1)), at + m.start())
        if s.has(lx.CUES["parking"]) or re.search(r"\bspots?\b", text, _F):
            if _NO_SPOTS.search(text) and not p.hedged:
                s.add("parking.spotsAvailable", 0, at + _NO_SPOTS.search(text).start())  # type: ignore[union-attr]
            elif _SOME_SPOTS.search(text) and not p.negated and not _SPOTS.search(text):
                s.add("parking.spotsAvailable", "1+", at + _SOME_SPOTS.search(text).start())  # type: ignore[union-attr]
            else:
                for m in _SPOTS.finditer(text):
                    if not re.search(r"\b(?:meeting|conference)\b", m.group(0), _F):
                        s.add("parking.spotsAvailable", int(m.group(1) or m.group(2)), at + m.start())
        if s.has(lx.CUES["dogs"]):
            w = _WEIGHT.search(text)
            if w and not lx.SEEKER.search(text):
                value = float(w.group(1) or w.group(3))
                unit = (w.group(2) or w.group(4)).lower()
                s.add("dogPolicy.sizeLimit", round(value * 2.2046) if unit.startswith("k") else value, at + w.start())
            elif _ANY_SIZE.search(text):
                s.add("dogPolicy.sizeLimit", float("inf"), at + _ANY_SIZE.search(text).start())  # type: ignore[union-attr]
        _notice_and_hours(s, text, at)
        for m in _LEASE.finditer(text):
            s.add("term:lease", m.group(0), at + m.start())
        offer = _OFFER.search(text)
        if offer and not p.negated:
            s.add("offer:discount", offer.group(0), at + offer.start())
        move = _MOVE_IN.search(text) or _MOVE_NOW.search(text)
        if move:
            s.add("availableFrom", move.group(1), at + move.start())


def _meeting_rooms(s: Situation, text: str, at: int, clause: str) -> None:
    if _NO_ROOMS.search(text):
        s.add("meetingRooms.count", 0, at)
        return
    counted = False
    for m in _ROOMS.finditer(text):
        if re.search(r"meeting|conference|board|huddle", m.group(0) + clause, _F) and \
                not re.search(r"[- ](?:person|people|seat)", m.group(0), _F):
            s.add("meetingRooms.count", int(m.group(1)), at + m.start())
            counted = True
    if not counted and _A_ROOM.search(text):
        s.add("meetingRooms.count", "1+", at)
    largest = _LARGEST.search(text)
    if largest:
        s.add("meetingRooms.sizes:max", int(largest.group(1) or largest.group(2)), at + largest.start())
    booking = _BOOKING.search(text)
    if booking:
        s.add("meetingRooms.maxHoursPerBooking", float(booking.group(1) or booking.group(2)), at + booking.start())


def _seats(s: Situation) -> None:
    text = s.text
    for m in _SEATS.finditer(text):
        numbers = [int(n) for n in re.findall(r"\d+", next(g for g in m.groups() if g))]
        if numbers and not s.sentence.phrase_at(m.start()).hedged and \
                not lx.SEEKER.search(text[max(0, m.start() - 15):m.start()]):
            s.add("meetingRooms.sizes", tuple(numbers), m.start())


def _notice_and_hours(s: Situation, text: str, at: int) -> None:
    notice = _NOTICE.search(text)
    if notice and re.search(r"notice|advance|ahead|set ?up|activat|issue|access|card|fob|turnaround|lead", text, _F):
        if notice.group(3):
            days = 0.0 if notice.group(3).lower().startswith("same") else 1.0
        else:
            days = rec.notice_days(notice.group(1) + " " + notice.group(2)) or 0.0
        s.add("access.advanceNotice", days, at + notice.start())
    elif re.search(r"key ?cards?|fobs?|badges?|access|credentials", text, _F):
        lead = next((m for m in (r.search(text) for r in _LEAD_TIME) if m), None)
        if lead:
            count = _SMALL.get(lead.group(1).lower(), lead.group(1))
            lead_days = rec.notice_days(f"{count} {lead.group(2)}")
            if lead_days is not None:
                s.add("access.advanceNotice", lead_days, at + lead.start())
    if lx.CUES["tour"].search(text) and s.has(lx.WEEKDAY) and not re.search(
            r"\b(?:building|doors?|office|access|front desk|reception|lobby|hours|opens?|closes?)\b", text, _F):
        return  # tour times, not opening hours
    if not _HOURS_WORDS.search(text) and not (s.has(_HOURS_WORDS) and _RANGE.search(text)):
        return
    for m in _RANGE.finditer(text):
        opens, closes = rec.clock(m.group(1)), rec.clock(m.group(2))
        if opens is not None and closes is not None:
            s.add("access.hours", (opens, closes), at + m.start())
            return
    for m in _OPEN_CLOSE.finditer(text):
        minutes = rec.clock(m.group(2))
        verb = m.group(1).lower()
        side = "opens" if verb.startswith("open") and "until" not in verb or verb == "from" else "closes"
        if minutes is not None:
            s.add(f"access.hours:{side}", minutes, at + m.start())
