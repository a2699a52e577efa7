"""A broker's refinement request ("shorter", "more formal", "mention the parking waitlist") as a style."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from echo_core.generation.context import ReplyContext, SpaceFacts
from echo_core.generation.kinds import LABELS
from echo_core.generation.questions import kinds_of, normalised
from echo_core.generation.spaces import mentioned

_F = re.IGNORECASE
_REMOVE = re.compile(r"\b(remove|drop|don'?t (mention|talk about|bring up|include)|do not (mention|include)|"
                     r"leave out|skip|without|no more|cut|omit|take out)\b(?P<rest>.*)", _F)
_PLEASANTRIES = re.compile(r"\b(pleasantries|niceties|small talk|chit-?chat|fluff|filler|get (straight )?to the point|"
                           r"no (greeting|intro|preamble)|skip the (intro|greeting|preamble)|less chatty)\b", _F)
_ADD = re.compile(r"\b(mention|add|include|talk about|bring up|cover|say something about|note|explain|"
                  r"tell (them|her|him) about)\b(?P<rest>.*)", _F)


@dataclass
class Style:
    length: str | None = None  # "short" | "long"
    tone: str | None = None  # "formal" | "casual"
    pleasantries: bool = True  # False: no opening or closing lines; every answer stays whole
    add: list[str] = field(default_factory=list)
    remove: list[str] = field(default_factory=list)
    focus: SpaceFacts | None = None
    bullets: bool = False  # each answer as a "- " line
    offer_call: bool = False  # a closing line offering a call
    signature: str | None = None  # the broker's name above the team line ("sign it as Sam")
    applied: list[str] = field(default_factory=list)
    not_applied: list[str] = field(default_factory=list)


def _kinds(text: str) -> list[str]:
    """The kinds a broker's words name ("drop the parking", "mention the waitlist")."""
    kinds = kinds_of(normalised(text))
    if re.search(r"\bwaitlist|spots?\b", text, _F) and "parking" not in kinds:
        kinds.append("parking")
    if "price" in kinds and len(kinds) > 1 and not re.search(r"\b(price|rent|rate)\b", text, _F):
        kinds.remove("price")
    return kinds


def parse(instruction: str | None, context: ReplyContext) -> Style:
    style = Style()
    if not instruction or not instruction.strip():
        return style
    text = instruction.strip()
    understood = False
    if re.search(r"\b(short(er)?|brief(er)?|concise|trim|tighten|less wordy|cut it down|tl;?dr)\b", text, _F):
        style.length, understood = "short", True
        style.applied.append("Shortened: kept the key facts of each answer and dropped the pleasantries.")
    elif re.search(r"\b(long(er)?|more detail(ed)?|expand|elaborate|fuller|more context)\b", text, _F):
        style.length, understood = "long", True
        style.applied.append("Lengthened: added the neighborhood and host background.")
    if re.search(r"\b(formal|professional|polite|stiff)\b", text, _F) and not re.search(r"\bless formal\b", text, _F):
        style.tone, understood = "formal", True
        style.applied.append("Formal tone: 'Dear …' greeting and 'Kind regards' sign-off.")
    elif re.search(r"\b(casual|friendl(y|ier)|warm(er)?|relaxed|less formal|informal|chatty|enthusiastic|upbeat|"
                   r"excited|cheerful|energetic|positive|peppier)\b", text, _F):
        style.tone, understood = "casual", True
        style.applied.append("Casual tone: lighter greeting and sign-off.")
    if _PLEASANTRIES.search(text):
        style.pleasantries, understood = False, True
        style.applied.append("Dropped the pleasantries: no opening or closing lines; every answer kept whole.")
    removal = _REMOVE.search(text)
    if removal:
        kinds = _kinds(removal.group("rest"))
        if kinds:
            style.remove, understood = kinds, True
            style.applied.append("Removed: " + ", ".join(LABELS[k] for k in kinds) + ".")
    claim = _CLAIM.search(text)
    addition = _ADD.search(text)
    if addition and not removal and not claim:
        kinds = _kinds(addition.group("rest"))
        if kinds:
            style.add, understood = kinds, True
            style.applied.append("Added: " + ", ".join(LABELS[k] for k in kinds) + ".")
    understood = _layout(text, style) or understood
    if claim and not style.offer_call:
        style.not_applied.append(f"Not added: \"{claim.group('claim')[:100].rstrip('.')}\" — a draft only states what "
                                 "the records hold; write it in by hand if it's true.")
        understood = True
    named = mentioned(text, context)
    if named and re.search(r"\b(focus|only|just|about|stick to|concentrate)\b", text, _F):
        style.focus, understood = named[0], True
        style.applied.append(f"Focused the answers on {named[0].name}.")
    if not understood:
        style.not_applied.append(f"Could not apply the instruction \"{text[:120]}\" automatically — edit the "
                                 "draft by hand.")
    return style


# "add that the landlord is flexible": a claim of the broker's own, which the records can't back.
_CLAIM = re.compile(r"\b(?:mention|add|say|include|tell (?:them|her|him)|note|explain)\s+that\s+(?P<claim>.+)$", _F)
_CALL = re.compile(r"\b(call|phone|zoom|video ?chat|hop on|jump on|chat live)\b", _F)
_SIGN = re.compile(r"\bsign(?:ed)?(?:\s+(?:it|off|this|the (?:email|reply)))?(?:\s+(?:as|with|from))?\s+"
                   r"(?P<name>[A-Z][A-Za-z'-]{1,30}(?:\s[A-Z][A-Za-z'-]{1,30})?)\b")


def _layout(text: str, style: Style) -> bool:
    """Bullet points, an offer of a call, the broker's own name on the sign-off."""
    understood = False
    if re.search(r"\b(bullet(s| points?)?|a list|list form|dot points)\b", text, _F):
        style.bullets, understood = True, True
        style.applied.append("Bullet points: one line per answer.")
    if _ADD.search(text) and _CALL.search(text) or re.search(r"\boffer (a|to) (call|chat|hop)", text, _F):
        style.offer_call, understood = True, True
        style.applied.append("Added: an offer of a call (pick the time with the seeker).")
    signed = _SIGN.search(text)
    if signed:
        style.signature, understood = signed.group("name"), True
        style.applied.append(f"Signed as {signed.group('name')}.")
    return understood
