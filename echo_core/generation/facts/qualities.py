"""Yes/no, kind and frequency claims: dogs allowed, parking free or charged and where, 24/7 access,
the entry system, what the rent includes, how often cleaning happens, what kind of kitchen,
and amenities the record may not hold at all.
"""

from __future__ import annotations

import re

from echo_core.generation.facts import lexicon as lx
from echo_core.generation.facts.reading import Situation
from echo_core.generation.facts.text import Phrase

_F = re.IGNORECASE
_DOGS_YES = lx.words(r"(?:dog|pet)[- ]friendly", r"welcomes?", r"welcome", r"allowed", r"allows?", r"permitted",
                     r"permits?", r"accepts?", r"accepted", r"ok(?:ay)?", r"fine", r"bring(?:ing)?", r"can come",
                     r"are in", r"love", r"friendly", r"on board")
_DOGS_NO = lx.words(r"pet-free", r"no (?:dogs|pets)", r"(?:dogs|pets) are(?:n't| not) allowed", r"prohibit\w*",
                    r"ban(?:s|ned)?", r"forbid\w*")
_DOGS_ASIDE = lx.words(r"daycare", r"dog run", r"dog park", r"dog walker", r"alternative", r"office dog",
                       r"resident dog", r"leash(?:ed)?", r"walk")
_HAS = lx.words(r"has", r"have", r"offers?", r"comes? with", r"includes?", r"there'?s", r"there is", r"there are",
                r"provides?", r"available", r"features?", r"gets? you", r"you'?ll (?:get|have)", r"with",
                r"access to", r"boasts?")
_INCLUSION_ITEMS = ("utilities", "internet", "janitorial", "hvac", "kitchen")
_NO_PARKING = re.compile(r"\bno (?:\w+ )?parking\b(?!\s+(?:spots?|spaces?|stalls?))|"
                         r"\b(?:doesn'?t|does not|don'?t) (?:come with|have|offer|include)"
                         r" (?:any |dedicated |its own )?parking\b|\bwithout (?:any )?parking\b", _F)


_NO_DEPOSIT = re.compile(r"\bno (?:pet |dog |extra )?deposit\b|"
                         r"\b(?:doesn'?t|does not|don'?t|won'?t) (?:charge|require|ask for|have|take|need) "
                         r"(?:a |any )?(?:pet |dog )?deposit\b|\bdeposit[- ]free\b|\bwithout (?:a |any )?(?:pet |dog )?"
                         r"deposit\b", _F)


_SPEED = re.compile(r"\b\d+(?:\.\d+)?\s*(?:g|m)(?:bps|b/s|bit/s)\b|\bgig(?:abit)?\b", _F)


def extract(s: Situation) -> None:
    for m in _SPEED.finditer(s.text):  # a speed unit is always an internet claim, wherever it stands
        phrase = s.sentence.phrase_at(m.start())
        if not phrase.hedged and not phrase.negated:
            value = m.group(0).lower()
            number = re.match(r"[\d.]+", value)
            giga = value.lstrip("0123456789. ")[:1] == "g"
            mbps = 1000.0 if number is None else float(number.group(0)) * (1000 if giga else 1)
            s.add("rentInclusions.internet:speed", mbps, m.start())
    for phrase in s.phrases():
        _card(s, phrase)
        no_deposit = _NO_DEPOSIT.search(phrase.text)
        if no_deposit and (s.has(lx.CUES["dogs"]) or "pet" in no_deposit.group(0).lower()):
            s.add("dogPolicy.deposit", 0.0, phrase.start + no_deposit.start())
        _dogs(s, phrase)
        _parking(s, phrase)
        _access(s, phrase)
        _inclusions(s, phrase)
        _amenities(s, phrase)
    _booking_system(s)


# "booked through Robin", "reserve them in Envoy": a named booking tool (a capitalised name, not a day or month).
_BOOKED_IN = re.compile(r"\b(?:book(?:ed|able|ing)?|reserv\w*)\b(?:\s+(?:it|them|one|rooms?))?\s+"
                        r"(?:through|via|using|in)\s+(?:the\s+)?(?-i:([A-Z][\w.&-]+))", _F)
_NOT_A_TOOL = re.compile(r"^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|"
                         r"May|June|July|August|September|October|November|December|Advance|Person|Person\.|I|We)$")


def _booking_system(s: Situation) -> None:
    if not s.has(lx.CUES["meeting"]):
        return
    for m in _BOOKED_IN.finditer(s.text):
        name = m.group(1).rstrip(".")
        inside_a_name = any(lo <= m.start(1) < hi for lo, hi, _ in s.mentions)
        if not _NOT_A_TOOL.match(name) and not inside_a_name and not s.sentence.phrase_at(m.start()).hedged:
            s.add("meetingRooms.bookingSystem", name, m.start(1))


def _dogs(s: Situation, p: Phrase) -> None:
    cue = lx.CUES["dogs"].search(p.text)
    if not cue or _DOGS_ASIDE.search(p.text) or re.search(r"\b(?:deposit|fee|size|lbs?|pounds?|kg)\b", p.text, _F):
        return
    if _DOGS_NO.search(p.text):
        s.add("dogPolicy.allowed", False, p.start + cue.start())
    elif _DOGS_YES.search(p.text) or re.search(r"(?:dog|pet)[- ]friendly", p.text, _F):
        s.add("dogPolicy.allowed", not p.negated, p.start + cue.start())


def _card(s: Situation, p: Phrase) -> None:
    """"Key cards are free" is a $0 card-cost claim; "cards cost extra" says they are not free."""
    cue = re.search(r"\b(?:key ?cards?|access cards?|(?:key )?fobs?|badges?|credentials?)\b", p.text, _F)
    if not cue or lx.MONEY.search(p.text) or p.polarity is None:
        return
    if p.polarity == "free":
        s.add("access.cost", 0.0, p.start + cue.start())
    elif re.search(r"\b(?:extra|additional|separately|charged?|paid|fee)\b", p.text, _F):
        s.add("access.free", False, p.start + cue.start())


def _parking(s: Situation, p: Phrase) -> None:
    cue = lx.CUES["parking"].search(p.text)
    if not cue or lx.MONEY.search(p.text) and p.polarity != "free":
        kind = _kind(p.text) if cue else None
        if kind and cue:
            s.add("parking.type", kind, p.start + cue.start())
        return
    at = p.start + cue.start()
    if _NO_PARKING.search(p.text):
        s.add("parking.exists", False, at)
        return
    kind = _kind(p.text)
    if kind and not (p.negated and not re.search(r"\b(?:only|just)\b", p.text, _F)):
        s.add("parking.type", kind, at)
    if p.polarity == "free" and not re.search(r"\bspots?\b.{0,20}\b(?:free|open)\b|\bfree (?:spots?|spaces?)\b",
                                              p.text, _F):
        s.add("parking.free", True, at)
    elif p.polarity == "charged" and re.search(r"\b(?:extra|additional|separately|not included|paid|on top)\b",
                                              p.text, _F):
        s.add("parking.free", False, at)
    elif _HAS.search(p.text) and not kind and re.search(r"\bparking\b", p.text, _F) and \
            not re.search(r"\bspots?\b", p.text, _F) and not _QUOTED_RECORD.search(p.text):
        s.add("parking.exists", not p.negated, at)


# The record's own notes quoted word for word are blanked before reading ("Parking is metered street parking
# only" quotes parking.note); what is left around the blank claims nothing more.
_QUOTED_RECORD = re.compile(r" {5,}")


def _kind(text: str) -> str | None:
    for name, pattern in lx.PARKING_KINDS:
        if pattern.search(text):
            return name
    return None


def _access(s: Situation, p: Phrase) -> None:
    always = lx.ALWAYS_OPEN.search(p.text)
    after = lx.AFTER_HOURS.search(p.text)
    if always and not re.search(r"\b(?:security|hvac|heating|cooling|support|gym|staff(?:ed)?)\b", p.text, _F):
        s.add("access.always", not p.negated, p.start + always.start())
    elif after:
        s.add("access.afterHours", not p.negated, p.start + after.start())
    for name, pattern in lx.ACCESS_SYSTEMS:
        m = pattern.search(p.text)
        if m and (name != "front desk" or (re.search(r"\b(?:entry|access|check[- ]in|sign in|let you in|get in|"
                                                     r"via|through)\b", p.text, _F)
                                           and not re.search(r"\bbook|\breserv", p.text, _F))):
            if not p.negated and not re.search(r"\bfree\b", m.group(0), _F):
                s.add("access.system", name, p.start + m.start())
            break


def _inclusions(s: Situation, p: Phrase) -> None:
    for item in _INCLUSION_ITEMS:
        cue = lx.CUES[item].search(p.text)
        if not cue:
            continue
        at = p.start + cue.start()
        if item == "janitorial":
            for name, pattern in lx.FREQUENCIES:
                if pattern.search(p.text) and not (name == "monthly" and lx.MONEY.search(p.text)):
                    s.add("rentInclusions.janitorial:frequency", name, at)
                    break
        if item == "kitchen":
            _kitchen(s, p, at)
            continue
        if item == "internet" and not s.has(_SPEED):
            speed = re.search(r"(\d+(?:\.\d+)?)\s*(g|m)(?:bps|b/s|bit|b\b|ig\b|igabit|egabit)|\bgig(?:abit)?\b",
                              p.text, _F)
            if speed:
                mbps = 1000.0 if not speed.group(1) else float(speed.group(1)) * (
                    1000 if speed.group(2).lower() == "g" else 1)
                s.add("rentInclusions.internet:speed", mbps, at)
            if re.search(r"\bfib(?:er|re)\b", p.text, _F) and not p.negated:
                s.add("rentInclusions.internet:fiber", True, at)
        if p.polarity is not None and not (item == "internet" and lx.MONEY.search(p.text) is None and
                                           p.polarity == "charged" and "cost" in p.text.lower()):
            s.add(f"rentInclusions.{item}", p.polarity == "free", at)


def _kitchen(s: Situation, p: Phrase, at: int) -> None:
    privacy = next((n for n, pat in lx.KITCHEN_PRIVACY if pat.search(p.text)), None)
    size = next((n for n, pat in lx.KITCHEN_SIZE if pat.search(p.text)), None)
    if p.negated and not p.polarity:
        s.add("rentInclusions.kitchen", False, at)
        return
    if privacy:
        s.add("rentInclusions.kitchen:privacy", privacy, at)
    if size:
        s.add("rentInclusions.kitchen:size", size, at)
    if p.polarity is not None:
        s.add("rentInclusions.kitchen", p.polarity == "free", at)
    elif not privacy and not size and _HAS.search(p.text):
        s.add("rentInclusions.kitchen", True, at)


def _amenities(s: Situation, p: Phrase) -> None:
    """Amenities the seed keeps only as flags (if at all): showers, a gym, bike storage, a rooftop …
    and any other thing a reply says a space has that no attribute of the record holds."""
    found = False
    for name, pattern in s.record.amenity_patterns:  # an amenity word outside a deferral is a claim
        m = pattern.search(p.text)
        if m:
            s.add(f"amenity:{name}", not p.negated, p.start + m.start())
            found = True
    if found or p.negated or not (_HAS.search(p.text) or p.polarity or lx.ASSERT.search(p.text)):
        return
    for m in _OFFERS.finditer(p.text if not _QUOTED_RECORD.search(p.text) else ""):
        if re.search(r"\b(?:i|we|i'd|we'd|i'll|we'll|you)\s+$", p.text[max(0, m.start() - 6):m.start()], _F):
            continue  # "I have openings on Tuesday" is the broker's, not the space's
        thing = _noun_phrase(m.group(1))
        if thing:
            s.add(f"amenity:{thing}", True, p.start + m.start(1))


_OFFERS = re.compile(r"\b(?:(?:also\s+)?(?:has|have|offers?|features?|boasts?|comes with|provides?)|there'?s|there is|"
                     r"there are|(?:tenants|you'?ll|you) (?:get|have)(?: access to)?|access to)\s+"
                     r"(?:(?:a|an|the|some|plenty of|its own|"
                     r"their own|on-site|onsite|shared|private|free)\s+)*([a-z][a-z-]*(?:\s+[a-z][a-z-]*){0,2})", _F)
_KNOWN = re.compile(r"\b(?:meeting|conference|board|huddle|park|garage|spot|stall|kitchen|pantry|internet|wi-?fi|"
                    r"fib(?:er|re)|"
                    r"utilit|hvac|heat|air|clean|janitor|access|entry|key|card|fob|badge|lock|desk|tour|slot|visit|dog|"
                    r"pet|pup|deposit|rent|rate|price|pricing|lease|availab|notice|hours|budget|seat|people|team|space|"
                    r"office|room for|capacity|question|option|detail|idea|time|lot|great|nice|good|few|more|anything|"
                    r"everything|nothing|other|update|chance|problem|worr|fit|view|light|location|vibe|feel|charge|"
                    r"cost|fee|extra|limit|size|policy|system|process|app|front|reception|concierge desk|day|week|"
                    r"month|night|evening|weekend|host|usd|dollar|wait|\$|\d|§)|\b(?:us|you|them|it|that|this|which|what|those|these|yes|no|"
                    r"one|all|both|each|either|any|some|same|several|dozen|team)\b", _F)
_CUT = re.compile(r"\s+(?:at|in|for|and|with|on|to|too|that|which|where|as|of|nearby|available|included|onsite|"
                  r"on-site|if|so|but|or|plus|also)\b.*$", _F)


def _noun_phrase(text: str) -> str | None:
    phrase = _CUT.sub("", text).strip().lower()
    if not phrase or _KNOWN.search(phrase) or len(phrase) < 3:
        return None
    return phrase
