"""One synthetic draft's whole life: versions, edits, review, send or archive, and its audit events.

Each draft draws from its own RNG seeded by (seed, draft id), so the emails pass (which needs a
sent draft's final body for the email it went out as) and the drafts pass build the same draft.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from echo_core.bench.distributions import (
    ARCHIVE_CATEGORY_WEIGHTS,
    PROMPTS,
    VERSION_COUNT_WEIGHTS,
    confidence,
    draft_metadata,
    reasoning,
    reply_body,
    validation,
    weighted,
)
from echo_core.bench.plan import DraftPlan
from echo_core.lifecycle import ARCHIVE_REASONS

AGENT = "agent@tandem.space"
BROKERS = tuple(f"{name}@tandem.space" for name in ("ana", "ben", "chloe", "dev", "emma", "femi", "gus", "hana",
                                                     "ivan", "jade", "kofi", "lena", "milo", "nora", "omar"))
EDIT_SHARE = 0.12
EARLIER_VERSION_SHARE = 0.10


def iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).isoformat()


def ts(epoch: float | None) -> datetime | None:
    return None if epoch is None else datetime.fromtimestamp(epoch, UTC)


@dataclass
class DraftLife:
    versions: list[dict[str, Any]]
    current: int
    edited_body: str | None
    final_body: str
    confidence: int
    validation: dict[str, Any] | None
    reasoning: dict[str, Any]
    metadata: dict[str, Any]
    last_regeneration_at: float | None
    reviewed_at: float | None
    reviewed_by: str | None
    sent_at: float | None
    archived_at: float | None
    archived_by: str | None
    archive_category: str | None
    archive_reason: str | None
    events: list[tuple[float, str, str, str | None, str | None, dict[str, Any]]] = field(default_factory=list)


def live(seed: int, d: DraftPlan, *, first_name: str, rate: int, space_ids: list[int], anchor: float) -> DraftLife:
    rng = random.Random(seed * 1_000_003 + d.id)
    archived = d.status == "archived"
    replied = bool(d.reply_id)
    # Everything before the send happens before the reply went out; otherwise within hours.
    window_end = d.reply_at if replied else min(anchor - 60, d.created_at + rng.expovariate(1 / (8 * 3600)) + 60)
    n_versions = weighted(rng, VERSION_COUNT_WEIGHTS)
    edited = rng.random() < EDIT_SHARE
    decided = d.status != "pending"
    approves = d.status in ("approved", "sent") or d.archived_from in ("approved", "sent")
    steps = sorted(rng.uniform(d.created_at, window_end) for _ in range(n_versions - 1 + edited + approves))
    broker = rng.choice(BROKERS)
    events: list[tuple[float, str, str, str | None, str | None, dict[str, Any]]] = [
        (d.created_at, AGENT, "generate", None, "pending", {"version": 0})
    ]
    versions: list[dict[str, Any]] = []
    the_reasoning = reasoning(rng, inbound_id=d.inbound_id, deal_id=d.deal_id, space_ids=space_ids)
    last_regen: float | None = None
    for v in range(n_versions):
        at = d.created_at if v == 0 else steps[v - 1]
        prompt = None if v == 0 else rng.choice(PROMPTS)
        body = reply_body(rng, first_name, rate) + (f"\n\n({prompt.lower()})" if prompt else "")
        meta = draft_metadata(rng, iso(at))
        versions.append({"version": v, "body": body, "prompt": prompt, "confidence": confidence(rng, archived=archived),
                         "reasoning": the_reasoning, "metadata": meta, "createdAt": iso(at)})
        if v:
            last_regen = at
            events.append((at, broker, "refine", "pending", "pending", {"version": v, "prompt": prompt,
                                                                            "regenerationCount": v}))
    current = n_versions - 1
    if current and rng.random() < EARLIER_VERSION_SHARE:
        current = rng.randrange(current)
        events.append((events[-1][0] + 1, broker, "use_version", "pending", "pending",
                       {"version": current, "previousVersion": n_versions - 1}))
    final_body = versions[current]["body"]
    edited_body = None
    if edited:
        at = steps[n_versions - 1]
        edited_body = final_body + "\n\nLooking forward to it."
        final_body = edited_body
        events.append((at, broker, "edit", "pending", "pending", {"version": current}))
    check = validation(rng, status=d.status, checked_at=iso(d.created_at))
    reviewed_at = None
    if approves:
        reviewed_at = steps[-1]
        events.append((reviewed_at, broker, "approve", "pending", "approved",
                       {"version": current, "validation": (check or {}).get("status", "not checked")}))
    sent_at = d.reply_at if replied else None
    if replied:
        events.append((d.reply_at, broker, "send", "approved", "sent", {"version": current, "emailId": d.reply_id}))
    archived_at = category = reason = None
    if archived:
        start = sent_at or reviewed_at or d.created_at
        archived_at = min(anchor - 30, start + rng.expovariate(1 / (2 * 86_400)) + 30)
        category = weighted(rng, ARCHIVE_CATEGORY_WEIGHTS)
        reason = ARCHIVE_REASONS[category] if rng.random() < 0.7 else "Client went with another broker"
        reviewed_at = reviewed_at or archived_at
        events.append((archived_at, broker, "archive", d.archived_from, "archived",
                       {"reason": category, "label": ARCHIVE_REASONS[category]}))
    return DraftLife(
        versions=versions, current=current, edited_body=edited_body, final_body=final_body,
        confidence=int(versions[current]["confidence"]), validation=check, reasoning=the_reasoning,
        metadata=versions[current]["metadata"], last_regeneration_at=last_regen,
        reviewed_at=reviewed_at if decided else None, reviewed_by=broker if decided else None,
        sent_at=sent_at, archived_at=archived_at, archived_by=broker if archived else None,
        archive_category=category, archive_reason=reason, events=events,
    )
