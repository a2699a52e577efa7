"""The seeker's own new words in an email, split into sentences.

Quoted history ('>' lines, "On … wrote:"), forwarded and Outlook-style original messages are
context, not asks, so they are cut; so is the signature (after "--", a sign-off line such as
"Best,", the seeker's own name on a line, "Sent from my iPhone"), except a "P.S." line, which
the seeker still wrote. Mail parsing keeps the original; this decides from the text given.
"""

from __future__ import annotations

import re

_F = re.IGNORECASE
_ATTRIBUTION = re.compile(r"^\s*(>\s*)*(On\s.{0,300}\b(wrote|writes)|Am\s.{0,300}schrieb|Le\s.{0,300}a\s+écrit|"
                          r"El\s.{0,300}escribió)\s*:?\s*$", _F)
_ATTRIBUTION_START = re.compile(r"^\s*On\s.{3,}", _F)
_FORWARD = re.compile(r"^\s*(-{2,}\s*(Forwarded message|Original Message|Ursprüngliche Nachricht)\s*-{2,}|"
                      r"Begin forwarded message\s*:|-{5,}\s*$|_{8,}\s*$)", _F)
_HEADER = re.compile(r"^\s*\*?(From|Sent|Date|To|Cc|Subject)\s*:\*?\s", _F)
_SIG_DASHES = re.compile(r"^\s*--\s*$|^\s*—\s*$")
_SENT_FROM = re.compile(r"^\s*(Sent from (my|Outlook|Yahoo|Mail)|Get Outlook for)\b", _F)
_VALEDICTION = re.compile(
    r"^\s*(-\s*)?(thanks|thank you|thanks (again|so much|a lot|in advance)|many thanks|thx|cheers|best|all the best|"
    r"best regards|kind regards|warm regards|warmest regards|regards|warmly|sincerely|yours|yours truly|"
    r"talk soon|speak soon|respectfully|with thanks|have a (nice|good|great) (day|week|weekend))\s*[,!.]?\s*$", _F)
_DISCLAIMER = re.compile(r"^\s*(CONFIDENTIALITY|DISCLAIMER|NOTICE:|This (e-?mail|message) (and any|is intended|may))",
                         _F)
_PS = re.compile(r"^\s*P\.?\s?S\.?\s*[:,-]?\s*", _F)
_LIST_ITEM = re.compile(r"^\s*([-*•·]|\d{1,2}[.)])\s+")
# Sentence ends: ? and ! always, a period unless it closes a common abbreviation or sits inside a number.
_ABBREVIATIONS = ("st", "ave", "dr", "mr", "ms", "mrs", "e.g", "i.e", "a.m", "p.m", "etc", "vs", "no", "approx",
                  "inc", "ltd", "co", "jr", "sr", "blvd", "fl", "ste", "incl", "excl", "esp", "sq", "ft", "apt",
                  "dept", "mo", "mos", "yr", "yrs", "hrs", "wk", "wks")


def new_text(body: str, *, names: tuple[str, ...] = ()) -> str:
    """The part of `body` the seeker wrote now: no quotes, no forwarded/original message, no signature."""
    lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept: list[str] = []
    postscripts: list[str] = []
    signed = False
    own_names = {n.strip().lower() for n in names if n and n.strip()}
    forwarded = ""
    for i, line in enumerate(lines):
        stripped = line.strip()
        if _FORWARD.match(line) or _ATTRIBUTION.match(line) or _outlook_block(lines, i) \
                or _two_line_attribution(lines, i) or _DISCLAIMER.match(line):
            if _FORWARDED.match(line):
                forwarded = _forwarded_body(lines[i + 1:], names=names)
            break
        if stripped.startswith(">"):
            continue
        if _PS.match(line) and kept:
            postscripts.append(_PS.sub("", line))
            signed = True
            continue
        if signed:
            continue
        if _SIG_DASHES.match(line) or _SENT_FROM.match(line):
            signed = True
            continue
        has_content = any(k.strip() for k in kept)
        if has_content and (_VALEDICTION.match(line) or stripped.lower().rstrip(",.") in own_names):
            signed = True
            continue
        kept.append(line)
    text = "\n".join(kept + postscripts)
    own = re.sub(r"\n{3,}", "\n\n", text).strip()
    if forwarded and not _NO_ACTION.search(own) and (
            not re.search(r"\?", own) or (_POINTS_BELOW.search(own) and not _NAMES_ITS_TOPIC.search(own))):
        # "Can you answer Jo's question below?": the forwarded message's asks are the seeker's asks too.
        return (own + "\n\n" + forwarded).strip()
    return own


# A forwarded message (not a reply's quoted original), and the seeker's words that hand its questions to us.
_FORWARDED = re.compile(r"^\s*(-{2,}\s*Forwarded message\s*-{2,}|Begin forwarded message\s*:)", _F)
_POINTS_BELOW = re.compile(r"\b(below|underneath|forwarded|forwarding|fwd|fyi|see (the )?(email|message|note)|"
                           r"(answer|respond to|reply to|help with|take) (this|these|that|those|her|his|their|the|"
                           r"\w+'s) (question|questions|one|ones|email|message))\b", _F)


# "no action needed on his stuff": the forward is context; "her question about bike storage": the seeker
# has named the one thing to answer, which their own words already ask.
_NO_ACTION = re.compile(r"\b(no action|nothing (needed|required|to do)|no need to (reply|respond|answer)|ignore|"
                        r"disregard|don'?t worry about|not needed|just fyi|for (your )?(info|reference) only)\b", _F)
_NAMES_ITS_TOPIC = re.compile(r"\b(question|questions|email|message)\s+(about|on|regarding|re)\b", _F)


def _forwarded_body(lines: list[str], *, names: tuple[str, ...]) -> str:
    """The forwarded message's own text: its header block skipped, its quotes and signature dropped."""
    start = 0
    while start < len(lines) and (_HEADER.match(lines[start]) or not lines[start].strip()):
        start += 1
    return new_text("\n".join(lines[start:]), names=names)


def _outlook_block(lines: list[str], i: int) -> bool:
    """A 'From: … / Sent: …' header block of an included original message."""
    if not re.match(r"^\s*\*?From\s*:", lines[i], _F):
        return False
    return sum(1 for line in lines[i + 1: i + 5] if _HEADER.match(line)) >= 1


def _two_line_attribution(lines: list[str], i: int) -> bool:
    if not _ATTRIBUTION_START.match(lines[i]) or i + 1 >= len(lines):
        return False
    return bool(_ATTRIBUTION.match(lines[i].rstrip() + " " + lines[i + 1].strip()))


def sentences(text: str) -> list[str]:
    """Sentences of `text`; a line break always ends one (lists, greetings), and so does '?' or '!'."""
    out: list[str] = []
    for line in _unwrap(text.split("\n")):
        line = _LIST_ITEM.sub("", line).strip()
        if not line:
            continue
        start = 0
        for match in re.finditer(r"[?!]+(?=[\s\"'”’)]*(\s|$))[\"'”’)]*|\.(?=\s|$)", line):
            end = match.end()
            if match.group(0) == "." and _is_abbreviation(line[:match.start()]):
                continue
            piece = line[start:end].strip()
            if piece:
                out.append(piece)
            start = end
        rest = line[start:].strip()
        if rest:
            out.append(rest)
    return out


def _unwrap(lines: list[str]) -> list[str]:
    """Re-join hard-wrapped lines: a line without an end mark continued by a lowercase line is one sentence."""
    out: list[str] = []
    for line in lines:
        stripped = line.strip()
        if out and out[-1].strip() and stripped[:1].islower() and not _LIST_ITEM.match(line) \
                and not _LIST_ITEM.match(out[-1]) and not re.search(r"[.?!:,;]\s*$", out[-1]):
            out[-1] = out[-1].rstrip() + " " + stripped
        else:
            out.append(line)
    return out


def _is_abbreviation(before: str) -> bool:
    word = re.search(r"([A-Za-z.]+)$", before)
    return bool(word) and word.group(1).lower().rstrip(".") in _ABBREVIATIONS  # type: ignore[union-attr]
