"""The seeker's own words turned into a deferral that names what they asked.

"Can we paint the walls?" becomes "whether you can paint the walls", "Does the building have an
elevator?" becomes "whether the building has an elevator", "Who handles mail?" stays "who handles
mail"; anything the rules cannot turn is quoted as the seeker wrote it. Also: which words of an
ask carry its meaning (for the coverage check), and which asks are only pleasantries.
"""

from __future__ import annotations

import re

_F = re.IGNORECASE
STOPWORDS = frozenset("""
a an the and or but if so as at by for from in into of on onto to up with about over under than then there here
is are was were be been being am do does did done doing have has had having can could will would shall should may
might must it its it's this that these those there's what what's which who whom whose when where why how how's
i me my mine we us our ours you your yours he him his she her they them their i'm we're you're they're i'd we'd
i've we've let know tell please pls thanks thank hi hello hey also just quick question questions one more any
some anything something else really very much many lot able possible wondering wonder curious like want need
get got give see say said ok okay yes no not don't doesn't isn't aren't can't won't would've kindly advise
confirm share send details detail info information regarding re sam dear appreciate grateful keen hear hoping
hope love interested looking think thoughts idea ask asking answer soon well all both each either whether
""".split())
_META = re.compile(
    r"^\W*(any )?(thoughts|update|news|questions)\W*$|does (that|this) (make sense|work)|sound good|"
    r"^\W*(ok|okay|right|yes|no|sure|great|perfect)\W*$|(can|could) you help|how are you|how'?s it going|"
    r"how (is|was) your (week|weekend|day)|what do you think|let me know (what you think|your thoughts)|"
    r"let me know if you (have|need)|^\W*(if|and if) (so|not)\W*$|hope (you|this|all)|"
    r"^\W*(let me know |tell me )?(what|when|which) (time |day )?(works|suits)( for you| best)?\W*$|"
    r"is (this|that) (ok|okay|fine|right|correct)\W*$|"
    r"(answer|respond to|reply to|help with|look at|take) (this|these|that|those|her|his|their|the|[\w-]+'s) "
    r"(question|questions|one|ones|email|message|note)s? (below|underneath|forwarded)|\bsee below\b", _F)
_PRONOUNS = {"we": "you", "our": "your", "ours": "yours", "us": "you", "i": "you", "my": "your", "me": "you",
             "we're": "you're", "we'd": "you'd", "we've": "you've", "i'm": "you're", "i'd": "you'd",
             "i've": "you've", "we'll": "you'll", "i'll": "you'll", "myself": "yourself", "ourselves": "yourselves"}
_DISCOURSE = re.compile(
    r"^(?:(?:also|and|so|but|oh|btw|ps|p\.s\.|one (more|last) thing|quick question|just|please|kindly|hi|hey|"
    r"do you know|would you know|any idea|(i|we) (was|were|am|are) wondering|wondering|(i'?m|we'?re) curious|"
    r"curious|(i|we)(?:'?d| would) like to know|(i|we) (want|need) to know|let (me|us) know|can you (tell|let) "
    r"(me|us)( know)?|could you (tell|let) (me|us)( know)?|tell (me|us)|say (me|us)|confirm|please confirm|"
    r"(could|can|would|will) you( please)?|would you mind|when you (get|have) a (chance|minute|moment)|"
    r"if you (can|could)|at your convenience|any chance( that)?|is there any chance( that)?)"
    r"\b[\s,:;—–-]*)+", _F)
_BE = "is|are|was|were"
_MODAL = "can|could|will|would|should|may|might|must|shall"
# A subject: a pronoun, "the host", "the meeting room" (a second word only when it is a noun), or a name.
_NOUNS = r"(?:room|rooms|space|building|kitchen|area|floor|office|desk|lot|garage|card|cards|system|manager|company|" \
    r"owner|host|team|staff|suite|lobby|bathroom|storage|parking)"
_SUBJECT = (rf"(?:you|they|he|she|it|there|this|that|(?:the|your|any|our) \w+(?: {_NOUNS})?|"
            r"(?-i:[A-Z][\w'&-]*(?: [A-Z0-9][\w'&-]*){0,3}))")


def content_words(text: str) -> set[str]:
    """The words of an ask that carry its meaning (lowercase, stemmed crudely: plural and -ing)."""
    words = re.findall(r"[a-z][a-z0-9'-]+", text.lower())
    return {_stem(w) for w in words if w not in STOPWORDS and len(w) > 2}


def _stem(word: str) -> str:
    for suffix in ("ing", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def is_meta(text: str) -> bool:
    """A pleasantry or a question about the conversation, not about the space ("Does that make sense?")."""
    return bool(_META.search(text.strip()))


def _flip(text: str) -> str:
    return re.sub(r"\b[A-Za-z']+\b", lambda m: _PRONOUNS.get(m.group(0).lower(), m.group(0)), text)


def _inflect(verb: str) -> str:
    """Third person singular of `verb` ('have' → 'has', 'come' → 'comes')."""
    if verb in ("have", "do", "go"):
        return {"have": "has", "do": "does", "go": "goes"}[verb]
    if re.search(r"(s|sh|ch|x|z)$", verb):
        return verb + "es"
    if re.search(r"[^aeiou]y$", verb):
        return verb[:-1] + "ies"
    return verb + "s"


_VERBS = frozenset("have come include allow offer get need take work provide accept charge cost support require let "
                   "run open close handle stay go sit fit mind know want use share keep hold arrive leave start end "
                   "finish lock unlock happen mean look cover"
                   .split())


def _do_question(text: str) -> tuple[str, str, str, str] | None:
    """'does the building have an elevator' → ('does', 'the building', 'have', ' an elevator')."""
    m = re.match(r"^(do|does|did) (.+)$", text, _F)
    if not m:
        return None
    words = m.group(2).split(" ")
    for size in (1, 2, 3):  # the shortest subject whose next word is a verb
        if len(words) > size and re.fullmatch(_SUBJECT, " ".join(words[:size]), _F) and \
                (words[size].lower() in _VERBS or size == 3 or len(words) == size + 1):
            rest = " ".join(words[size + 1:])
            return m.group(1).lower(), " ".join(words[:size]), words[size], (" " + rest if rest else "")
    return None


def embedded(question: str) -> str | None:
    """The ask as an indirect question ("whether you can paint the walls"), or None when no rule fits."""
    text = _DISCOURSE.sub("", question.strip()).strip()
    text = re.sub(r"[?.!\s]+$", "", text)
    text = re.sub(r"\s+(please|thanks|thank you|at all)$", "", text, flags=_F)
    if not text:
        return None
    text = _flip(text[0].lower() + text[1:])
    if re.match(r"^(if|whether)\b", text, _F):
        return re.sub(r"^if\b", "whether", text, flags=_F)
    wh = re.match(r"^(what|how|when|where|who|which|why)(?: (long|much|many|often|soon|big))?( \w+)?", text, _F)
    if wh and wh.group(3) and not re.match(rf" ({_BE}|{_MODAL}|do|does|did|has|have)\b", wh.group(3), _F) \
            and not re.match(rf"^\w+ \w+ ({_BE}|{_MODAL}|do|does|did|has|have)\b", text, _F) and len(text.split()) > 3:
        return text  # already an indirect question: "what the neighborhood is like at night"
    if re.match(r"^(it|there|this|that|you|they|the)\b", text, _F) and len(text.split()) > 2:
        return f"whether {text}"  # "it is possible to have the mail received …?" (a question by its mark)
    m = re.match(rf"^({_BE}) (there) (.+)$", text, _F)
    if m:
        return f"whether there {m.group(1)} {m.group(3)}"
    m = re.match(rf"^({_BE}|{_MODAL}|has|have) ({_SUBJECT}) (.+)$", text, _F)
    if m:
        return f"whether {m.group(2)} {m.group(1)} {m.group(3)}"
    parts = _do_question(text)
    if parts:
        aux, subject, verb, rest = parts
        return f"whether {subject} {_inflect(verb) if aux == 'does' else verb}{rest}"
    m = re.match(r"^(what|how|when|where|who|which|why)((?: \w+)?) ((?:do|does|did) .+)$", text, _F)
    wh_do = _do_question(m.group(3)) if m else None
    if m and wh_do:
        aux, subject, verb, rest = wh_do
        if aux == "does":  # "does the building open and close" → "the building opens and closes"
            verb = _inflect(verb)
            rest = re.sub(r"^ (and|or) (\w+)\b", lambda v: f" {v.group(1)} {_inflect(v.group(2))}", rest)
        return f"{m.group(1)}{m.group(2)} {subject} {verb}{rest}"
    m = re.match(rf"^what(?:'s| {_BE}) (.+)$", text, _F)
    if m:
        return f"about {m.group(1)}"
    m = re.match(rf"^(what|how|when|where|who|which)((?: long| much| many| often| big| soon)?)(?:'s| ({_BE})) (.+)$",
                 text, _F)
    if m and len(m.group(4).split()) <= 8:
        return f"{m.group(1)}{m.group(2)} {m.group(4)} {m.group(3) or 'is'}"
    m = re.match(rf"^(what|how|when|where|who|which)((?: long| much| many| often| soon)?) ({_MODAL}) ({_SUBJECT}) "
                 r"(.+)$", text, _F)
    if m:
        return f"{m.group(1)}{m.group(2)} {m.group(4)} {m.group(3)} {m.group(5)}"
    if re.match(r"^(who|what) (\w+s)\b", text, _F):  # "who handles mail" asks about the subject itself
        return text
    if len(text.split()) <= 4 and not re.search(rf"\b({_BE}|{_MODAL}|do|does|did|has|have)\b", text, _F):
        return f"about {text}"  # "Bike storage?"
    return None


def request_object(question: str) -> str | None:
    """'Could you send me the floor plan?' → 'the floor plan' (a request for something, not a question)."""
    text = _DISCOURSE.sub("", question.strip())
    m = re.match(r"^(send|share|forward|e-?mail|provide)\s+(?:(?:over|me|us|it)\s+)*(.+?)(?:\s+(?:to me|to us|"
                 r"over|when you|so |if you|by )|[?.!]|$)", text, _F)
    if not m or len(m.group(2).split()) > 10:
        return None
    return _flip(m.group(2).strip(" ,"))


def deferral(question: str) -> str:
    """One sentence that defers the ask honestly and by name."""
    request = request_object(question)
    if request:
        return f"I'll follow up on your request for {request}."
    phrase = embedded(question)
    if phrase:
        return f"I'll confirm with the host {phrase} and get back to you."
    quoted = re.sub(r"\s+", " ", question.strip())[:160]
    return f"On your question \"{quoted}\", I'll confirm with the host and get back to you."
