"""Amenity claims in one sentence of a draft, checked against one space's data.

Each check returns `(failures, warnings)`: a claim that contradicts the data
fails; a claim the data cannot confirm warns.
"""

from __future__ import annotations

import re

from echo_core.generation.context import SpaceFacts
from echo_core.generation.questions import TOPIC_PATTERNS

_F = re.IGNORECASE
NEGATION = re.compile(r"\b(no|not|isn'?t|aren'?t|doesn'?t|don'?t|won'?t|can'?t|cannot|without|never|nor|"
                      r"unfortunately|prohibit(s|ed)?|lacks?|none|only street|street parking only)\b|n't\b", _F)
Result = tuple[list[str], list[str]]


def _negated(clause: str) -> bool:
    return bool(NEGATION.search(clause))


_HEDGE = re.compile(r"\b(confirm|whether|check(ing)? with|ask(ing)? the host|find out|look into)\b", _F)


def clauses(sentence: str) -> list[str]:
    """The sentence's clauses that state something (hedged ones like "I'll confirm whether…" claim nothing)."""
    return [c for c in _split(sentence) if not _HEDGE.search(c)]


def _split(sentence: str) -> list[str]:
    return [c for c in re.split(r"\s*(?:;|,?\s*\bbut\b|,?\s*\bhowever\b|,?\s*\bthough\b|—|\(|\))\s*", sentence,
                                 flags=_F) if c and c.strip()]


def dogs(sentence: str, space: SpaceFacts) -> Result:
    fails: list[str] = []
    warns: list[str] = []
    policy = space.detailed.dog_policy
    allowed = policy.allowed if policy else space.amenities.get("dogFriendly")
    for clause in clauses(sentence):
        if not TOPIC_PATTERNS["dogs"].search(clause) or re.search(r"daycare|alternative|option", clause, _F):
            continue
        positive = re.search(r"(dog|pet)[- ]friendly|allows? (dogs|pets)|(dogs?|pets?|pups?) (are |is )?"
                             r"(welcome|allowed|permitted|ok|okay|fine)|bring (your|the|a) (dog|pup|pet)", clause, _F)
        if positive is None:
            continue
        claim = not _negated(clause)
        if allowed is None:
            warns.append(f"The draft says dogs are {'allowed' if claim else 'not allowed'} at {space.name}, "
                         "but the data has no dog policy.")
        elif claim != allowed:
            fails.append(f"The draft says dogs are {'allowed' if claim else 'not allowed'} at {space.name}, but "
                         f"the data says they are {'allowed' if allowed else 'not allowed'}.")
    return fails, warns


def parking(sentence: str, space: SpaceFacts) -> Result:
    fails: list[str] = []
    warns: list[str] = []
    p = space.detailed.parking
    known = p is not None and p.type is not None
    available = (p.type != "street-only") if known and p else space.amenities.get("parking")
    for clause in clauses(sentence):
        if not re.search(r"\bparking\b|\bgarage\b", clause, _F):
            continue
        if re.search(r"\b(no|doesn'?t (come with|have|offer|include)|without|lacks?) (any |dedicated )?parking\b",
                     clause, _F):
            if available:
                fails.append(f"The draft says {space.name} has no parking, but the data lists {p.type if p else ''} "
                             "parking.".replace("  ", " "))
            continue
        if re.search(r"\b(has|have|offers?|comes with|includes?)\b.{0,40}\bparking\b|\bparking (is )?available\b",
                     clause, _F) and not _negated(clause):
            if available is None:
                warns.append(f"The draft says {space.name} has parking, but the data has no parking details.")
            elif not available and not re.search(r"street", clause, _F):
                fails.append(f"The draft says {space.name} has parking, but the data says street parking only.")
        if known and p and re.search(r"\b(in the building|on[- ]site|building'?s garage|in-building)\b", clause, _F) \
                and p.type in ("off-site", "street-only") and not _negated(clause):
            fails.append(f"The draft puts {space.name}'s parking in the building, but the data says {p.type}.")
        if known and p and re.search(r"\boff[- ]site\b", clause, _F) and p.type == "building-garage":
            fails.append(f"The draft calls {space.name}'s parking off-site, but it is in the building garage.")
        if re.search(r"parking (is )?(included|free)|free parking", clause, _F) and not _negated(clause):
            cost = (p.cost_monthly or p.cost_per_day) if p else None
            if cost:
                fails.append(f"The draft says parking at {space.name} is included/free, but it costs extra.")
            elif not known:
                warns.append(f"The draft says parking at {space.name} is included, which the data can't confirm.")
    return fails, warns


def access(sentence: str, space: SpaceFacts) -> Result:
    fails: list[str] = []
    warns: list[str] = []
    acc = space.detailed.access
    after = acc.after_hours if acc and acc.after_hours is not None else space.amenities.get("afterHours")
    for clause in clauses(sentence):
        if not re.search(r"after[- ]hours|24/7|24x7|around the clock|any ?time|round-the-clock", clause, _F):
            continue
        claim = not _negated(clause)
        if after is None:
            warns.append(f"The draft makes an after-hours access claim for {space.name} the data can't confirm.")
        elif claim != bool(after):
            fails.append(f"The draft says {space.name} {'has' if claim else 'has no'} after-hours access, but the "
                         f"data says {'it does' if after else 'it does not'}.")
    return fails, warns


_WORDS = {"one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
          "eight": 8, "nine": 9, "ten": 10, "twelve": 12}


def number(token: str) -> int | None:
    token = token.lower()
    return int(token) if token.isdigit() else _WORDS.get(token)


def meeting_rooms(sentence: str, space: SpaceFacts) -> Result:
    fails: list[str] = []
    warns: list[str] = []
    rooms = space.detailed.meeting_rooms
    count = rooms.count if rooms else (None if space.amenities.get("meetingRooms") is None
                                       else (1 if space.amenities["meetingRooms"] else 0))
    for clause in clauses(sentence):
        if not TOPIC_PATTERNS["meeting_rooms"].search(clause):
            continue
        stated = re.search(r"\b(\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve)\s+(dedicated\s+)?"
                           r"(meeting|conference|board)[- ]?rooms?\b", clause, _F)
        none = re.search(r"\bno (dedicated )?(meeting|conference)|doesn'?t have an? (dedicated )?(meeting|conference)",
                         clause, _F)
        if stated and number(stated.group(1)) is not None:
            claim: int | None = number(stated.group(1))
        elif none:
            claim = 0
        elif re.search(r"\b(has|have|offers?|comes with|there'?s|there are)\b.{0,20}\b(a |an )?(meeting|conference)",
                       clause, _F) and not _negated(clause):
            claim = -1  # "has a meeting room": at least one
        else:
            continue
        if count is None:
            warns.append(f"The draft describes meeting rooms at {space.name}, but the data has none on file.")
        elif (claim == -1 and count == 0) or (claim is not None and claim >= 0 and claim != count):
            fails.append(f"The draft says {space.name} has {claim if claim != -1 else 'a'} meeting room(s), but the "
                         f"data says {count}.")
    return fails, warns


_ITEMS = {"utilities": r"utilit", "internet": r"internet|wi-?fi|broadband", "janitorial": r"janitor|cleaning",
          "kitchen": r"kitchen", "hvac": r"hvac"}


def inclusions(sentence: str, space: SpaceFacts) -> Result:
    fails: list[str] = []
    warns: list[str] = []
    inc = space.detailed.rent_inclusions
    for clause in clauses(sentence):
        if not re.search(r"includ|covered|comes with|on the house", clause, _F):
            continue
        claim = not _negated(clause)
        for item, pattern in _ITEMS.items():
            if not re.search(pattern, clause, _F):
                continue
            value = getattr(inc, item) if inc else None
            if value is None:
                warns.append(f"The draft says {item} {'is' if claim else 'is not'} included at {space.name}, which "
                             "the data can't confirm.")
                continue
            included = not (value is False or (isinstance(value, str) and
                                               re.search(r"bring your own|not included|none", value, _F)))
            if claim != included:
                fails.append(f"The draft says {item} {'is' if claim else 'is not'} included at {space.name}, but the "
                             f"data says {'it is' if included else 'it is not'}.")
    return fails, warns


CHECKS = (dogs, parking, access, meeting_rooms, inclusions)
