"""Each claim against the record: a contradiction fails, a claim the record can't confirm warns.

Every issue is one sentence a broker can read: what the draft says (quoted), the value
the record holds and its field path.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from echo_core.generation.context import ReplyContext, SpaceFacts
from echo_core.generation.facts import compare_money, compare_space
from echo_core.generation.facts.findings import Finding
from echo_core.generation.facts.reading import Claim


def judge(claim: Claim, context: ReplyContext) -> list[tuple[str, str]]:
    """(level, message) for each space the claim is wrong about (or cannot be confirmed for)."""
    kind = claim.attribute.split(":", 1)[0] if claim.attribute.startswith(("term", "offer", "amenity")) \
        else claim.attribute
    if kind in ("term", "offer"):
        return [_term(claim)]
    if claim.attribute.startswith("compare:"):
        finding = compare_money.comparison(claim)
        return [] if finding is None else [_message(claim, None, finding)]
    if claim.attribute.startswith("derived:") or claim.attribute == "money":
        finding = compare_money.reply_level(claim, context)
        return [] if finding is None else [_message(claim, None, finding)]
    judge_ = JUDGES.get(kind)
    if judge_ is None:  # pragma: no cover - every extractor's attribute has a judge (tested)
        return []
    if not claim.spaces:  # nothing in the record to contradict it, nothing to confirm it
        return [("warn", f'The draft says "{claim.snippet}", but the deal has no linked space whose record holds '
                         "it — link the space or confirm it with the host.")]
    findings = [(space, judge_(claim, space, context)) for space in claim.spaces]
    wrong = [(space, f) for space, f in findings if f is not None]
    if not wrong or (not claim.every and len(wrong) < len(findings)):
        return []
    if not claim.every:
        wrong = wrong[:1]
    return [_message(claim, space, f) for space, f in wrong]


def _message(claim: Claim, space: SpaceFacts | None, f: Finding) -> tuple[str, str]:
    where = f" at {space.name}" if space else ""
    label = LABELS.get(claim.attribute.split(":", 1)[0], claim.attribute) if not claim.attribute.startswith(
        ("derived", "money", "compare")) else ("Comparison" if claim.attribute.startswith("compare") else "Figure")
    if f.level == "fail":
        return "fail", (f'{label}{where}: the draft says {f.said} ("{claim.snippet}"), but the record has '
                        f"{f.record} ({f.path}).")
    path = f" ({f.path} is not on file)" if f.path else ""
    return "warn", (f'{label}{where}: the draft says {f.said} ("{claim.snippet}"), which the record can\'t '
                    f"confirm{path}.")


def _term(claim: Claim) -> tuple[str, str]:
    what = claim.attribute.split(":", 1)[1]
    if claim.attribute.startswith("offer:") or (what == "lease" and "free" in str(claim.value).lower()):
        return "fail", (f'Offer: the draft promises "{claim.snippet}" — a discount or free rent that no record '
                        "supports; remove it or get the host's written approval.")
    return "warn", (f'Unconfirmed term: the draft states "{claim.snippet}" ({what}), which the record doesn\'t hold — '
                    "confirm with the host or defer it.")


LABELS = {
    "monthlyRate": "Rent", "parking.cost": "Parking cost", "access.cost": "Key card cost",
    "access.free": "Key card cost",
    "dogPolicy.deposit": "Pet deposit", "parking.type": "Parking type", "parking.exists": "Parking",
    "parking.free": "Parking cost", "parking.spotsAvailable": "Parking spots", "dogPolicy.allowed": "Dogs",
    "dogPolicy.sizeLimit": "Dog size limit", "access.always": "24/7 access", "access.afterHours": "After-hours access",
    "access.system": "Access system", "access.advanceNotice": "Access notice", "access.hours": "Building hours",
    "meetingRooms.count": "Meeting rooms", "meetingRooms.sizes": "Meeting room seats",
    "meetingRooms.maxHoursPerBooking": "Meeting room booking length",
    "meetingRooms.bookingSystem": "Meeting room booking system", "rentInclusions.utilities": "Utilities",
    "rentInclusions.internet": "Internet", "rentInclusions.janitorial": "Janitorial",
    "rentInclusions.hvac": "HVAC", "rentInclusions.kitchen": "Kitchen", "amenity": "Amenity",
    "availability": "Tour slot", "capacity": "Capacity", "availableFrom": "Move-in date",
}

JUDGES: dict[str, Callable[[Claim, SpaceFacts, ReplyContext], Any]] = {
    **compare_money.JUDGES, **compare_space.JUDGES,
}
