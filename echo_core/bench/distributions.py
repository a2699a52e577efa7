"""The shapes of a brokerage's years: shares, skews and JSONB values, all drawn from one seeded RNG.

Pure functions of a `random.Random`, so the same seed gives the same database. Every JSONB
value built here parses with the models in `echo_core.schemas` (the tests check that).
"""

from __future__ import annotations

import math
import random
from typing import Any

from echo_core.db.models import DEAL_STAGES
from echo_core.lifecycle import ARCHIVE_REASONS

DEAL_STAGE_SHARES = dict(zip(DEAL_STAGES, (0.35, 0.25, 0.20, 0.20), strict=True))
DRAFT_STATUS_SHARES = {"sent": 0.35, "archived": 0.20, "pending": 0.30, "approved": 0.15}
# What an archived draft was before it was archived.
ARCHIVED_FROM_SHARES = {"pending": 0.60, "approved": 0.15, "sent": 0.25}
ARCHIVE_CATEGORY_WEIGHTS = dict(
    zip(ARCHIVE_REASONS, (0.25, 0.20, 0.15, 0.15, 0.15, 0.10), strict=True)
)
VALIDATION_WEIGHTS = {"passed": 0.70, "warnings": 0.20, "failed": 0.07, None: 0.03}
VERSION_COUNT_WEIGHTS = {1: 0.60, 2: 0.25, 3: 0.10, 4: 0.05}
# deal stage -> (how many spaces it was shown, the statuses they are in)
SPACES_PER_STAGE: dict[str, tuple[tuple[int, int], tuple[str, ...]]] = {
    "inquiry": ((0, 2), ("shown", "shown", "interested", "rejected")),
    "touring": ((1, 4), ("shown", "interested", "touring", "touring", "rejected")),
    "negotiating": ((2, 5), ("interested", "touring", "rejected", "rejected")),
    "closed": ((2, 5), ("rejected",)),  # plus exactly one "selected"
}

NEIGHBORHOODS = ("SoMa", "Mission", "FiDi", "Hayes Valley", "Dogpatch", "Nob Hill", "North Beach", "Potrero Hill",
                 "Union Square", "Marina", "Castro", "Presidio", "Embarcadero", "Tenderloin", "Chinatown",
                 "Bernal Heights", "Noe Valley", "Russian Hill", "Japantown", "Outer Sunset")
FIRST = ("Sarah", "James", "Priya", "Diego", "Mei", "Olu", "Hannah", "Luca", "Aisha", "Tom", "Ines", "Kenji",
         "Maya", "Noah", "Zoe", "Ravi", "Elena", "Sam", "Fatima", "Ben")
LAST = ("Chen", "Okafor", "Patel", "Garcia", "Kim", "Nguyen", "Smith", "Rossi", "Khan", "Müller", "Silva",
        "Tanaka", "Cohen", "Brown", "Ivanova", "Lopez", "Haddad", "Walker", "Singh", "Moreau")
COMPANY_A = ("Bright", "North", "Blue", "Quiet", "Rapid", "Open", "Fern", "Iron", "Solar", "Copper", "Tidal", "Vivid")
COMPANY_B = ("Labs", "Works", "Health", "Robotics", "Analytics", "Studio", "Bio", "Systems", "Foods", "Pay")
STREETS = ("Market", "Mission", "Howard", "Folsom", "Valencia", "Brannan", "Townsend", "Battery", "Kearny", "Polk")
SPACE_NOUNS = ("Loft", "Works", "Commons", "Hub", "Yard", "House", "Studio", "Exchange")
EXTRA_AMENITIES = ("bikeStorage", "showers", "phoneBooths", "kitchen", "rooftop")
SLOTS = ("9am", "10am", "10:30am", "11am", "1pm", "2pm", "3pm", "4pm")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")
QUESTIONS = (
    ("Does the space allow dogs?", "amenities.dogFriendly"),
    ("Is there parking, and what does it cost?", "detailed_amenities.parking.costMonthly"),
    ("Can we get in after hours?", "detailed_amenities.access.afterHours"),
    ("What is the monthly rate?", "monthly_rate"),
    ("How many meeting rooms are there?", "detailed_amenities.meetingRooms.count"),
    ("Could we tour on Tuesday afternoon?", "availability.tuesday"),
    ("Is internet included in the rent?", "detailed_amenities.rentInclusions.internet"),
)
ISSUES = ("The parking price does not match the space record.", "Tour time is not in the availability.",
          "Mentions a meeting room count that is not on file.", "Dog policy stated more strongly than the notes.")
PROMPTS = ("Make it shorter", "Friendlier tone, please", "Mention the parking cost", "Offer two tour times")


def weighted(rng: random.Random, weights: dict[Any, float]) -> Any:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def exact_counts(total: int, shares: dict[str, float]) -> dict[str, int]:
    """Split `total` by `shares` exactly (largest remainder), so row counts match the scale to the row."""
    raw = {key: total * share / sum(shares.values()) for key, share in shares.items()}
    counts = {key: int(value) for key, value in raw.items()}
    for key in sorted(raw, key=lambda k: raw[k] - counts[k], reverse=True)[: total - sum(counts.values())]:
        counts[key] += 1
    return counts


def thread_length(rng: random.Random, mean: float = 10.0) -> int:
    """Emails in a deal's thread: geometric on 1, 2, 3 … with the given mean (many short, a few long)."""
    p = 1.0 / mean
    return 1 + int(math.log(1.0 - rng.random()) / math.log(1.0 - p))


def confidence(rng: random.Random, *, archived: bool) -> int:
    """Skewed high (most drafts are good); drafts that end up archived were less sure of themselves."""
    value = rng.betavariate(3.0, 2.2) if archived else rng.betavariate(6.0, 1.6)
    return max(5, min(99, round(value * 100)))


def person(rng: random.Random) -> tuple[str, str]:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    return f"{first} {last}", f"{first.lower()}.{last.lower()}"


def company(rng: random.Random, n: int) -> tuple[str, str]:
    a, b = rng.choice(COMPANY_A), rng.choice(COMPANY_B)
    return f"{a} {b} {n}", f"{a}{b}{n}.com".lower()


def requirements(rng: random.Random) -> dict[str, Any]:
    req: dict[str, Any] = {}
    for key, share in (("dogFriendly", 0.30), ("parking", 0.40), ("afterHours", 0.25)):
        if rng.random() < share:
            req[key] = True
    if rng.random() < 0.7:
        req["location"] = rng.choice(NEIGHBORHOODS)
    return req


def amenities(rng: random.Random) -> dict[str, bool]:
    flags = {"parking": rng.random() < 0.45, "dogFriendly": rng.random() < 0.35, "afterHours": rng.random() < 0.5}
    for extra in rng.sample(EXTRA_AMENITIES, rng.randint(0, 3)):
        flags[extra] = rng.random() < 0.6
    return flags


def availability(rng: random.Random) -> dict[str, list[str]]:
    days = sorted(rng.sample(WEEKDAYS, rng.randint(1, 4)), key=WEEKDAYS.index)
    return {day: sorted(rng.sample(SLOTS, rng.randint(1, 3)), key=SLOTS.index) for day in days}


def detailed_amenities(rng: random.Random, flags: dict[str, bool], last_contact: str) -> dict[str, Any]:
    detail: dict[str, Any] = {
        "access": {"system": rng.choice(("Key card (Honeywell)", "Smart lock", "Front desk")),
                   "afterHours": flags["afterHours"], "hours": "24/7" if flags["afterHours"] else "8am-7pm"},
        "meetingRooms": {"count": (n := rng.randint(0, 6)), "sizes": [rng.choice((4, 6, 8, 12)) for _ in range(n)]},
        "rentInclusions": {"utilities": rng.random() < 0.8, "internet": rng.choice(("1 Gbps fiber", "500 Mbps")),
                           "hvac": True},
        "hostStatus": rng.choice(("responsive", "slow", "on vacation")),
        "lastContact": last_contact,
    }
    if flags["parking"]:
        detail["parking"] = {"type": rng.choice(("off-site", "building-garage")),
                             "costMonthly": rng.choice((150, 200, 250, 300, 350)),
                             "spotsAvailable": rng.randint(1, 20)}
    else:
        detail["parking"] = {"type": "street-only", "note": "Street parking only."}
    detail["dogPolicy"] = {"allowed": flags["dogFriendly"]}
    if flags["dogFriendly"] and rng.random() < 0.5:
        detail["dogPolicy"]["sizeLimit"] = rng.choice(("under 30 lbs", "under 50 lbs"))
    elif not flags["dogFriendly"]:
        detail["dogPolicy"]["reason"] = rng.choice(("Lease forbids pets", "Allergy concerns from a tenant"))
    return detail


def reasoning(rng: random.Random, *, inbound_id: int, deal_id: int, space_ids: list[int]) -> dict[str, Any]:
    asked = rng.sample(QUESTIONS, rng.randint(1, 3))
    space = rng.choice(space_ids) if space_ids else None
    data_used: list[dict[str, Any]] = [
        {"dataPoint": "Team size", "sourceType": "deal", "sourceId": deal_id, "fieldPath": "team_size",
         "value": rng.randint(2, 80)},
    ]
    if space is not None:
        data_used += [{"dataPoint": q, "sourceType": "space", "sourceId": space, "fieldPath": path,
                       "value": rng.choice((True, 250, "2pm"))} for q, path in asked]
    out: dict[str, Any] = {
        "questionsAddressed": [{"question": q, "answer": "Answered from the space record.",
                                "sourceEmailId": inbound_id, "sourceText": q} for q, _ in asked],
        "dataUsed": data_used,
        "schedulingLogic": ["Matched the seeker's Tuesday afternoon to the 2pm slot"] if rng.random() < 0.4 else [],
    }
    if rng.random() < 0.2:
        out["needsHumanReview"] = ["Seeker asked about a discount"]
    if rng.random() < 0.1:
        out["requirementMismatches"] = ["No parking at the suggested space"]
    return out


def draft_metadata(rng: random.Random, generated_at: str) -> dict[str, Any]:
    return {"model": "gpt-4o-mini", "tokensUsed": rng.randint(600, 2400), "generatedAt": generated_at,
            "validationTokensUsed": rng.randint(200, 400), "provider": "offline"}


def validation(rng: random.Random, *, status: str, checked_at: str) -> dict[str, Any] | None:
    outcome = weighted(rng, VALIDATION_WEIGHTS)
    if outcome == "failed" and status in ("approved", "sent"):
        outcome = "warnings"  # a failed fact check is not approved without fixing it
    if outcome is None:
        return None
    issues = [] if outcome == "passed" else rng.sample(ISSUES, 1 if outcome == "warnings" else 2)
    return {"status": outcome, "issues": issues, "checkedAt": checked_at}


def inbound_body(rng: random.Random, seeker: str, pos: int) -> str:
    asked = " ".join(q for q, _ in rng.sample(QUESTIONS, rng.randint(1, 3)))
    opener = "Hi there," if pos == 0 else "Thanks for the quick reply."
    return (f"{opener}\n\nWe are looking at the spaces you sent over. {asked}\n\n"
            f"Our team is growing and we would like to move within the next two months.\n\nBest,\n{seeker}")


def reply_body(rng: random.Random, first_name: str, space_rate: int) -> str:
    return (f"Hi {first_name},\n\nGreat questions. The space is ${space_rate:,}/month and parking is available "
            f"nearby. I can set up a tour {rng.choice(('Tuesday at 2pm', 'Wednesday at 10am', 'Thursday at 3pm'))}"
            " if that works for your team.\n\nBest,\nThe Tandem team")
