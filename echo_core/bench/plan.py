"""The skeleton of the synthetic years: who wrote when, and which inbound emails got drafts.

Decided before any row is written so that counts are exact and every reference holds:
emails get ids in the order they were sent (as a serial column would give them), a sent
draft's email is the outbound reply that follows its inbound email, and drafts get ids in
the order they were created.
"""

from __future__ import annotations

import random
from array import array
from dataclasses import dataclass, field

from echo_core.bench.distributions import ARCHIVED_FROM_SHARES, DRAFT_STATUS_SHARES, exact_counts, thread_length

YEARS = 3
DAY = 86_400.0
REPLY_SHARE = 0.85  # chance the next email goes the other way (a reply) rather than a follow-up


@dataclass(frozen=True)
class Scale:
    name: str
    spaces: int
    deals: int
    emails: int
    drafts: int


SCALES = {
    "full": Scale("full", spaces=5_000, deals=100_000, emails=1_000_000, drafts=300_000),
    "small": Scale("small", spaces=50, deals=1_000, emails=10_000, drafts=3_000),
}


@dataclass(frozen=True)
class DraftPlan:
    id: int
    deal_id: int
    inbound_id: int
    reply_id: int  # the email it went out as (sent, or archived after sending); 0 otherwise
    status: str
    archived_from: str | None
    created_at: float  # epoch seconds
    reply_at: float  # the reply email's time, or the next email's, or 0.0


@dataclass
class Plan:
    scale: Scale
    anchor: float  # epoch seconds of "now" for the data set; the newest email is before it
    deal_created: list[float]
    email_deal: array[int] = field(default_factory=lambda: array("i"))  # by email id - 1
    email_time: array[float] = field(default_factory=lambda: array("d"))
    email_inbound: bytearray = field(default_factory=bytearray)
    email_pos: array[int] = field(default_factory=lambda: array("i"))
    email_prev: array[int] = field(default_factory=lambda: array("i"))  # previous email id in the deal, 0 if first
    reply_draft: dict[int, int] = field(default_factory=dict)  # email id -> draft id it was sent from
    drafts: list[DraftPlan] = field(default_factory=list)


def _lengths(rng: random.Random, deals: int, emails: int) -> list[int]:
    """Geometric thread lengths, nudged one email at a time until they add up to `emails`."""
    lengths = [thread_length(rng, emails / deals) for _ in range(deals)]
    diff = emails - sum(lengths)
    while diff:
        d = rng.randrange(deals)
        if diff > 0:
            lengths[d] += 1
            diff -= 1
        elif lengths[d] > 1:
            lengths[d] -= 1
            diff += 1
    return lengths


def build(rng: random.Random, scale: Scale, anchor: float) -> Plan:
    span = YEARS * 365 * DAY
    created = sorted(anchor - span + rng.random() * (span - 5 * DAY) for _ in range(scale.deals))
    lengths = _lengths(rng, scale.deals, scale.emails)
    # Thread order ("k"): deal by deal, email by email.
    times: list[float] = []
    deal_of = array("i")
    pos_of = array("i")
    inbound = bytearray()
    for d, length in enumerate(lengths):
        t = created[d] + rng.uniform(60, 3 * 3600)
        gaps = [max(1200.0, rng.expovariate(1 / (30 * 3600))) for _ in range(length - 1)]
        room = anchor - 600 - t
        squeeze = min(1.0, room / sum(gaps)) if gaps else 1.0  # recent deals have had less time
        direction = 1
        for i in range(length):
            times.append(t)
            deal_of.append(d + 1)
            pos_of.append(i)
            inbound.append(direction)
            if i < length - 1:
                t += gaps[i] * squeeze
                direction = 1 - direction if rng.random() < REPLY_SHARE else direction
    order = sorted(range(scale.emails), key=times.__getitem__)
    id_of = array("i", bytes(4 * scale.emails))
    for rank, k in enumerate(order):
        id_of[k] = rank + 1
    plan = Plan(scale=scale, anchor=anchor, deal_created=created)
    for k in order:
        plan.email_deal.append(deal_of[k])
        plan.email_time.append(times[k])
        plan.email_inbound.append(inbound[k])
        plan.email_pos.append(pos_of[k])
        plan.email_prev.append(id_of[k - 1] if pos_of[k] else 0)
    _choose_drafts(rng, plan, times, deal_of, pos_of, inbound, id_of, lengths)
    return plan


def _choose_drafts(rng: random.Random, plan: Plan, times: list[float], deal_of: array[int], pos_of: array[int],
                   inbound: bytearray, id_of: array[int], lengths: list[int]) -> None:
    def has_next(k: int) -> bool:
        return pos_of[k] < lengths[deal_of[k] - 1] - 1

    answered = [k for k in range(len(times)) if inbound[k] and has_next(k) and not inbound[k + 1]]
    unanswered = [k for k in range(len(times)) if inbound[k] and not (has_next(k) and not inbound[k + 1])]
    rng.shuffle(answered)
    rng.shuffle(unanswered)
    status = exact_counts(plan.scale.drafts, DRAFT_STATUS_SHARES)
    archived = exact_counts(status["archived"], ARCHIVED_FROM_SHARES)
    n_reply = status["sent"] + archived["sent"]
    rest = unanswered + answered[n_reply:]  # open questions first: pending work is mostly unanswered mail
    n_open = status["pending"] + status["approved"]
    n_archived_unsent = archived["pending"] + archived["approved"]
    if len(answered) < n_reply or len(rest) < n_open + n_archived_unsent:
        raise ValueError("the thread plan has too few inbound emails for the draft counts")
    no: str | None = None
    roles: list[tuple[int, str, str | None]] = (
        [(k, "sent", no) for k in answered[: status["sent"]]]
        + [(k, "archived", "sent") for k in answered[status["sent"]:n_reply]]
        + [(k, "pending", no) for k in rest[: status["pending"]]]
        + [(k, "approved", no) for k in rest[status["pending"]:n_open]]
        + [(k, "archived", "pending") for k in rest[n_open:n_open + archived["pending"]]]
        + [(k, "archived", "approved") for k in rest[n_open + archived["pending"]:n_open + n_archived_unsent]]
    )
    staged = []
    for k, draft_status, archived_from in roles:
        next_at = times[k + 1] if has_next(k) else 0.0
        delay = rng.uniform(30, 300)
        if next_at:
            delay = min(delay, 0.2 * (next_at - times[k]))  # drafted before the next email arrived
        replied = draft_status == "sent" or archived_from == "sent"
        staged.append((times[k] + delay, k, draft_status, archived_from, replied, next_at))
    staged.sort()
    for draft_id, (created_at, k, draft_status, archived_from, replied, next_at) in enumerate(staged, start=1):
        reply_id = id_of[k + 1] if replied else 0
        if reply_id:
            plan.reply_draft[reply_id] = draft_id
        plan.drafts.append(DraftPlan(id=draft_id, deal_id=deal_of[k], inbound_id=id_of[k], reply_id=reply_id,
                                     status=draft_status, archived_from=archived_from, created_at=created_at,
                                     reply_at=next_at))
