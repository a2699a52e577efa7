"""Spot emails that try to steer the reply. They are flagged for a human, never obeyed.

Flagged (each category once, with the words that triggered it):
- a request to copy, cc, bcc, forward or send anything to an address other than the deal's seeker,
  or to "my personal / other address";
- a request for other clients' or the host's contact details, the broker's notes or lists;
- "SYSTEM:" lines, role-play and "ignore your instructions";
- text imitating prompt data markers (<<<…>>>, [INST], <|im_start|>, "### System", BEGIN … DATA);
- pressure tactics and concession demands (discounts, free months, "or we walk", "final offer").

Decided and documented: asking to copy a colleague at the seeker's own company domain (not a free-mail
domain such as gmail.com) is ordinary mail, not a flag; it becomes a `notes` line for the broker, since
replies only ever go to the seeker. "We need to decide by Friday" is an ordinary deadline, not pressure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_F = re.IGNORECASE
_M = re.IGNORECASE | re.MULTILINE
_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
FREE_MAIL = frozenset({"gmail.com", "googlemail.com", "yahoo.com", "hotmail.com", "outlook.com", "live.com",
                       "icloud.com", "me.com", "aol.com", "protonmail.com", "proton.me", "gmx.com", "gmx.net",
                       "mail.com", "yandex.com", "zoho.com", "fastmail.com", "hey.com"})


@dataclass(frozen=True)
class Flag:
    category: str
    label: str
    snippet: str
    start: int
    end: int
    block: bool = False  # True: only the matched span is steering text; else its whole sentence is


# Marker imitations: (pattern, block). A block pattern spans the injected text itself.
_MARKERS = (
    re.compile(r"\[INST\].*?(\[/INST\]|$)", re.IGNORECASE | re.DOTALL),
    re.compile(r"<\|im_start\|>.*?(<\|im_end\|>|$)", re.IGNORECASE | re.DOTALL),
    re.compile(r"<<<\s*(?!END\b)([A-Z][A-Z ]{0,30})[^>]{0,40}>>>.*?<<<\s*/?\s*END\s+\1\s*>>>", re.DOTALL),
    re.compile(r"^[ \t]*(BEGIN|START)[ _]+((?:\w+[ _]+){0,3}?)(DATA|FACTS|EMAIL|INSTRUCTIONS?|PROMPT|CONTEXT|"
               r"SYSTEM)\b.*?(^[ \t]*END[ _]+\2\3\b[^\n]*|\Z)", re.MULTILINE | re.DOTALL),
    re.compile(r"<\s*(system|user|human|assistant|instructions?|prompt|context|data)\s*>.*?(<\s*/\s*\1\s*>|$)",
               re.IGNORECASE | re.DOTALL),
    re.compile(r"^[ \t]*#{2,}[ \t]*(system|instructions?|assistant|developer|prompt|context)\b.*?(?=^[ \t]*#{2,}|\Z)",
               re.IGNORECASE | re.MULTILINE | re.DOTALL),
    re.compile(r"<<<[^<>\n]{0,60}>>>|<<\s*/?\s*SYS\s*>>|\[/?INST\]|<\|[a-z_]{2,20}\|>|<\s*/?\s*(system|instructions?|"
               r"prompt|assistant|user|human)\s*>|^[ \t]*#{2,}[ \t]*(user|human|assistant)\b[^\n]*|```\s*system", _M),
)
_ROLE_LINE = re.compile(r"^[ \t]*(system|assistant|developer)\s*:[^\n]*", _M)
_SENTENCE_RULES: tuple[tuple[str, str, re.Pattern[str]], ...] = (
    ("override", "tries to override the assistant's instructions",
     re.compile(r"\b(ignore|disregard|forget|override|bypass)\b.{0,40}\b(previous|prior|above|earlier|all|your|the)"
                r"\b.{0,20}\b(instructions?|rules|prompts?|guidelines|directions|facts|data|policy)\b", _F)),
    ("role", "talks to the assistant about its prompt or role (role-play)",
     re.compile(r"\b(system prompt|developer (message|mode)|jailbreak|you are now|act as (an?|the|if)|"
                r"(let'?s )?pretend (to be|you|that you|we)|role-?play|as an ai|language model|reveal your "
                r"(prompt|instructions)|new instructions|as the assistant|dear (ai|assistant|bot)|admin mode|"
                r"god mode)\b", _F)),
    ("contacts", "asks for other clients' or the host's contact details, notes or lists",
     re.compile(r"\b(other|another|previous|your)\s+(clients?|tenants?|customers?|seekers?|companies|prospects|deals|"
                r"leads)'?s?\b.{0,40}\b(details?|contacts?|e-?mails?|names?|info(rmation)?|phone|numbers?|budgets?|"
                r"lists?|data|notes)\b|\bwho else (is|are|has|have)\b.{0,20}\b(looking|interested|touring|bidding|"
                r"considering|applying|competing|offered|seen|viewed)\b|\bwhich other (companies|clients|tenants|teams|"
                r"startups)\b|"
                r"\blist of (the )?(other )?(companies|clients|tenants|prospects|seekers|bidders)\b|"
                r"\b(host|landlord|owner|property manager|building manager)'?s?\s+(direct\s+|personal\s+)?(contact|"
                r"phone|number|e-?mail|cell|mobile|details|info)|\b(contact|phone|number|e-?mail)s?\s+(details\s+)?"
                r"(of|for) the (host|landlord|owner)\b|"
                r"\b(send|forward|share|give|show|copy|e-?mail|attach|provide|include|pass)\w*\b.{0,30}"
                r"\b(your|the broker'?s?|crm)\s+notes\b|\b(internal|private) notes\b|"
                r"\byour (crm|database|pipeline|client list|contact list)\b", _F)),
    ("pressure", "uses pressure tactics or demands a concession (discount, free months, ultimatum)",
     re.compile(r"\bor (else )?we('ll| will)? (walk|go elsewhere|look elsewhere|sign (with|elsewhere)|take our "
                r"business|move on|pass)\b|\bor we('re| are) (out|gone|walking|signing)\b|take it or leave it|"
                r"\b(final|last|best and final) offer\b|\bor the deal is off\b|\botherwise we('ll| will) (walk|sign|"
                r"go)\b|\bwe('re| are| will be) signing with (the other|another|a different)\b|"
                r"\b(give|want|demand|need|insist on|expect|require)\b.{0,30}\b(\d{1,2}\s?%|discount|free months?|"
                r"months? free|rent[- ]free|concessions?)\b|\b\d{1,2}\s?% (off|discount)\b|"
                r"\b(knock|take)\s+(\$?[\d,.]+k?|\d{1,2}\s?%)\s+off\b|\bwaive\b.{0,30}\b(deposit|fee|rent)\b|"
                r"\b(cut|reduce|lower|drop)\w* the (rent|price)\b|\b(\d+|one|two|three|four|six|first|last) months? "
                r"(free|rent[- ]free|at no (cost|charge))\b|\bfree (first )?months?\b", _F)),
    ("no-review", "asks the assistant to approve or send without review",
     re.compile(r"\b(auto-?approve|skip (the )?review|send (it )?(immediately|without)|without (a )?human)\b", _F)),
)
_REDIRECT_VERB = re.compile(r"\b(please\s+)?(cc|bcc|copy|forward|send|e-?mail|reply|respond|loop in|include|add)\b"
                            r"(?!'d|ed\b)", _F)
_ELSEWHERE = re.compile(r"\b(to|at) (my|our) (personal|private|other|home|new|different|second|alternate|gmail|"
                        r"yahoo|hotmail)\s+(e-?mail\s+)?(address|e-?mail|account|inbox)\b|\binstead of (this|my work)\b"
                        r".{0,20}\b(address|e-?mail)\b", _F)
_LABELS = {"redirect": "asks to send or copy the reply or data to another address",
           "markers": "imitates the prompt's data markers"}


_END = re.compile(r"[.!?](?=\s|$)|\n")


def _sentence_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around [start, end): a period ends a sentence only before a space ("dana.w@x.com" doesn't)."""
    left = max((m.end() for m in _END.finditer(text, 0, start)), default=0)
    right = _END.search(text, end)
    return left, (right.end() if right else len(text))


def _domain(address: str) -> str:
    return address.rsplit("@", 1)[-1].lower()


def _redirects(text: str, seeker_email: str | None) -> tuple[list[Flag], list[str]]:
    flags: list[Flag] = []
    notes: list[str] = []
    seeker = (seeker_email or "").lower()
    for verb in _REDIRECT_VERB.finditer(text):
        window = text[verb.start(): verb.start() + 90]
        elsewhere = _ELSEWHERE.search(window)
        address = _ADDRESS.search(window)
        if address and address.group(0).lower().rstrip(".") == seeker:
            address = None
        if not (address or elsewhere):
            continue
        start, end = _sentence_span(text, verb.start(), verb.start() + (address or elsewhere).end())  # type: ignore
        if address and not elsewhere and seeker and _domain(address.group(0)) == _domain(seeker) \
                and _domain(seeker) not in FREE_MAIL:
            notes.append(f"The seeker asks to copy {address.group(0)} (their own company's domain). Replies go to "
                         "the seeker only — add the copy by hand if you agree.")
            continue
        flags.append(Flag("redirect", _LABELS["redirect"], text[start:end].strip(), start, end))
    return flags, notes


def scan(text: str, *, seeker_email: str | None = None) -> list[Flag]:
    """Every steering attempt in `text`, in order of position."""
    found: list[Flag] = []
    for pattern in _MARKERS:
        for m in pattern.finditer(text):
            found.append(Flag("markers", _LABELS["markers"], m.group(0), m.start(), m.end(), block=True))
    for m in _ROLE_LINE.finditer(text):
        found.append(Flag("role", "contains a 'SYSTEM:'-style role line", m.group(0), m.start(), m.end(), block=True))
    for category, label, pattern in _SENTENCE_RULES:
        for m in pattern.finditer(text):
            start, end = _sentence_span(text, m.start(), m.end())
            found.append(Flag(category, label, m.group(0), start, end))
    found += _redirects(text, seeker_email)[0]
    return sorted(found, key=lambda f: (f.start, f.category))


def flags(text: str, *, seeker_email: str | None = None) -> list[str]:
    """One human-review line per kind of steering attempt found in the email."""
    lines: dict[str, str] = {}
    for flag in scan(text, seeker_email=seeker_email):
        snippet = " ".join(flag.snippet.split())[:80]
        lines.setdefault(flag.category, f"The email {flag.label} (\"{snippet}\") — not acted on; a broker should "
                                        "review.")
    return list(lines.values())


def notes(text: str, *, seeker_email: str | None = None) -> list[str]:
    """Ordinary requests a broker should see but that are not steering (a colleague to copy)."""
    return list(dict.fromkeys(_redirects(text, seeker_email)[1]))


def _blank(text: str, flags: list[Flag]) -> str:
    chars = list(text)
    for flag in flags:
        for i in range(flag.start, min(flag.end, len(chars))):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


def mask(text: str, *, seeker_email: str | None = None) -> str:
    """`text` with every steering span blanked (line breaks kept), so its words are never read as asks.

    Injected blocks go first, so a sentence rule matching inside "[INST] … [/INST]" never blanks the
    seeker's real question that follows the block on the same line.
    """
    blocks = [f for f in scan(text, seeker_email=seeker_email) if f.block]
    text = _blank(text, blocks)
    return _blank(text, [f for f in scan(text, seeker_email=seeker_email) if not f.block])
