"""The record side: each linked space's values normalised to what a claim can be compared with.

The seed keeps some values as free text ("1 Gbps fiber", "under 60 lbs", "8am-7pm
weekdays", "2 business days"); they are read here once per check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from echo_core.generation.context import ReplyContext, SpaceFacts
from echo_core.generation.facts import lexicon as lx
from echo_core.generation.facts.text import digits

_F = re.IGNORECASE
_NOT_PROVIDED = re.compile(r"bring your own|not included|none|n/?a\b|tenant|byo|no\b", _F)


@lru_cache(maxsize=4096)
def _compiled(pattern: str) -> re.Pattern[str]:
    """A pattern compiled once per process: the re module's own cache (512 entries) is full during a check, so the
    same lexicon and space-name patterns were compiled again at every approval (about 18 a check)."""
    return re.compile(pattern, _F)


def speed_mbps(text: str) -> float | None:
    """'1 Gbps fiber' → 1000, '500 Mbps shared' → 500, 'gigabit' → 1000."""
    m = re.search(r"(\d+(?:\.\d+)?)\s*(g|m)(?:bps|b/s|bit|b\b|ig\b|egabit|igabit)", text, _F)
    if m:
        return float(m.group(1)) * (1000 if m.group(2).lower() == "g" else 1)
    if re.search(r"\bgig(?:abit)?\b", text, _F):
        return 1000.0
    return None


def weight_limit(text: str) -> float | None:
    """'under 60 lbs' → 60; 'any size' / 'no size limit' → infinity; unreadable → None."""
    if re.search(r"any size|no (?:size |weight )?limit|all sizes|no restrictions?", text, _F):
        return float("inf")
    m = re.search(r"(\d+(?:\.\d+)?)\s*(lbs?|pounds?|kg|kilos?)", text, _F)
    if not m:
        return None
    value = float(m.group(1))
    return round(value * 2.2046) if m.group(2).lower().startswith("k") else value


def notice_days(text: str) -> float | None:
    """'2 business days' → 2; '48 hours' → 2; 'same day' → 0; 'a week' → 7."""
    if re.search(r"same[- ]day|no (?:advance )?notice|immediate|instant", text, _F):
        return 0.0
    if re.search(r"next[- ]day|overnight", text, _F):
        return 1.0
    m = re.search(r"(\d+(?:\.\d+)?)\s*(?:business |working |calendar )?(hours?|hrs?|days?|weeks?)", text, _F)
    if not m:
        m2 = re.search(r"\ba (day|week)\b", text, _F)
        return (1.0 if m2.group(1).lower() == "day" else 7.0) if m2 else None
    value, unit = float(m.group(1)), m.group(2).lower()
    return value / 24 if unit.startswith("h") else value * 7 if unit.startswith("w") else value


def clock(token: str) -> int | None:
    """'7pm' / '10:30am' / 'noon' / 'midnight' / '19:00' → minutes after midnight."""
    token = token.strip().lower().replace(".", ":") if ":" not in token else token.strip().lower()
    if token in ("noon", "midday"):
        return 720
    if token == "midnight":
        return 1440
    m = re.fullmatch(r"(\d{1,2})(?::(\d{2}))?\s*(am|pm)?", token)
    if not m:
        return None
    hour, minute = int(m.group(1)), int(m.group(2) or 0)
    if hour > 23 or minute > 59:
        return None
    if m.group(3) == "pm" and hour < 12:
        hour += 12
    elif m.group(3) == "am" and hour == 12:
        hour = 0
    return hour * 60 + minute


@dataclass(frozen=True)
class Hours:
    always: bool
    opens: int | None = None
    closes: int | None = None


def hours(text: str | None) -> Hours | None:
    if not text:
        return None
    if lx.ALWAYS_OPEN.search(text):
        return Hours(True)
    m = re.search(r"(\d{1,2}(?::\d{2})?\s*(?:am|pm)?|noon)\s*(?:-|–|to|until)\s*(\d{1,2}(?::\d{2})?\s*(?:am|pm)?|"
                  r"midnight|noon)", text, _F)
    if not m:
        return None
    return Hours(False, clock(m.group(1)), clock(m.group(2)))


def kind_of(text: str | None, families: tuple[tuple[str, re.Pattern[str]], ...]) -> str | None:
    if not text:
        return None
    return next((name for name, pattern in families if pattern.search(text.replace("-", " ").replace("_", " ")) or
                 pattern.search(text)), None)


def parking_kind(value: str | None) -> str | None:
    if not value:
        return None
    v = value.lower()
    if "street" in v:
        return "street"
    if re.search(r"off|lot|nearby|remote", v):
        return "off-site"
    if re.search(r"garage|building|on[- ]?site|underground|basement|in-building", v):
        return "building"
    return None


def provided(value: object) -> bool | None:
    """Whether a rent-inclusion value means the thing is included."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    return not _NOT_PROVIDED.search(str(value))


@dataclass
class Record:
    """What one check needs to know about the context, computed once."""

    context: ReplyContext
    aliases: list[tuple[re.Pattern[str], SpaceFacts]] = field(default_factory=list)
    free_text: list[str] = field(default_factory=list)
    amenity_patterns: list[tuple[str, re.Pattern[str]]] = field(default_factory=list)

    @classmethod
    def of(cls, context: ReplyContext) -> Record:
        record = cls(context)
        names = [s.name for s in context.spaces]
        for space in context.spaces:
            for alias in _aliases(space, names):
                pattern = _compiled(r"(?<![\w])" + re.escape(alias).replace(r"\ ", r"\s+") + r"(?:'s|s'|')?(?![\w])")
                record.aliases.append((pattern, space))
            record.free_text += [digits(t, []) for t in _free_text(space)]
        record.aliases.sort(key=lambda item: -len(item[0].pattern))
        core = {"dogFriendly", "parking", "afterHours", "meetingRooms", "kitchen"}
        flags = {re.sub(r"(?<!^)(?=[A-Z])", " ", k).lower() for s in context.spaces for k in s.amenities
                 if k not in core}
        patterns = {words: re.escape(words).replace(r"\ ", r"[\s-]?") for words in sorted(flags)}
        patterns.update({k: v for k, v in lx.AMENITIES.items() if k not in flags})
        record.amenity_patterns = [(name, _compiled(rf"(?<![\w-])(?:{pattern})(?![\w-])"))
                                   for name, pattern in patterns.items()]
        return record

    def mentions(self, text: str) -> list[tuple[int, int, SpaceFacts]]:
        """Linked spaces named in `text` (by name, a distinctive part of it, or street address), in order."""
        found: list[tuple[int, int, SpaceFacts]] = []
        taken = bytearray(len(text) + 1)
        for pattern, space in self.aliases:  # longest alias first; a shorter one inside it doesn't count again
            for m in pattern.finditer(text):
                if not any(taken[m.start():m.end()]):
                    found.append((m.start(), m.end(), space))
                    taken[m.start():m.end()] = b"\x01" * (m.end() - m.start())
        return sorted(found, key=lambda f: f[0])


def _aliases(space: SpaceFacts, names: list[str]) -> list[str]:
    out = [space.name, re.sub(r"^the\s+", "", space.name, flags=_F)]
    street = space.address.split(",")[0].strip()
    if re.match(r"^\d+\s+\w+", street):
        out += [street, " ".join(street.split()[:2])]
    words = space.name.split()
    if len(words) >= 3:  # "Montgomery Tower" for "Montgomery Tower 18", when no other space shares it
        prefix = " ".join(words[:-1])
        if sum(1 for n in names if n.lower().startswith(prefix.lower())) == 1:
            out.append(prefix)
    return [a for a in dict.fromkeys(out) if len(a) >= 4]


def _free_text(space: SpaceFacts) -> list[str]:
    """The record's descriptive text (notes, reasons, processes): a reply may quote it word for word."""
    d = space.detailed
    parts: list[str | None] = [space.host_context, space.address, space.neighborhood]
    if d.dog_policy:
        parts += [d.dog_policy.reason, d.dog_policy.flexibility, d.dog_policy.alternative, d.dog_policy.note]
    if d.parking:
        parts += [d.parking.note, d.parking.provider]  # not the location: "the 22nd St lot" names the topic
    if d.access:
        parts += [d.access.process, d.access.security_contact]
    if d.meeting_rooms:
        parts += [d.meeting_rooms.note]
    for value in space.extras.values():
        if isinstance(value, str):
            parts.append(value)
    return [p.strip().rstrip(".").lower() for p in parts if p and len(p.strip()) >= 10]
