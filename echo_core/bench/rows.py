"""Rows for COPY, table by table, in id order, from the plan and one seeded RNG.

JSONB values are passed as JSON text: COPY's text format hands them to PostgreSQL's own parser.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from echo_core.bench import distributions as dist
from echo_core.bench.drafts import AGENT, iso, live, ts
from echo_core.bench.plan import Plan

Row = tuple[Any, ...]

COLUMNS: dict[str, tuple[str, ...]] = {
    "spaces": ("id", "name", "address", "neighborhood", "host_company", "host_email", "host_context", "amenities",
               "availability", "monthly_rate", "detailed_amenities", "created_at"),
    "deals": ("id", "seeker_name", "seeker_email", "company_name", "team_size", "monthly_budget", "requirements",
              "stage", "created_at", "needs_completion", "owner_id"),
    "deal_spaces": ("id", "deal_id", "space_id", "status", "created_at"),
    "emails": ("id", "deal_id", "from", "to", "subject", "body", "sent_at", "ai_generated", "ai_metadata",
               "message_id", "in_reply_to"),
    "email_drafts": ("id", "deal_id", "inbound_email_id", "ai_generated_body", "edited_body", "final_body",
                     "confidence_score", "status", "reasoning", "metadata", "validation", "regeneration_count",
                     "last_regeneration_at", "current_version", "draft_versions", "created_at", "reviewed_at",
                     "reviewed_by", "sent_at", "sent_email_id", "archived_at", "archived_by", "archive_reason",
                     "lock_version", "archived_from_status", "archive_category"),
    "draft_events": ("id", "draft_id", "actor", "action", "from_status", "to_status", "details", "created_at"),
}
TABLES = tuple(COLUMNS)  # load order: every foreign key points at an earlier table
OWNED_SHARE = 0.8  # deals with an owning broker; the rest wait in the Unassigned view


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, separators=(",", ":"), ensure_ascii=False)


@dataclass
class DealInfo:
    seeker: str
    first_name: str
    email: str
    subject: str
    rate: int


@dataclass
class Rows:
    """Generates each table in load order; later tables use what earlier ones decided."""

    plan: Plan
    seed: int
    rng: random.Random
    deals: list[DealInfo] = field(default_factory=list)
    stages: list[str] = field(default_factory=list)
    deal_spaces: list[list[int]] = field(default_factory=list)
    events: list[tuple[int, list[tuple[float, str, str, str | None, str | None, dict[str, Any]]]]] = field(
        default_factory=list)
    space_rates: list[int] = field(default_factory=list)
    # The bench brokers' account ids (generate.py makes the accounts); most deals get one as their owner.
    owner_ids: list[int] = field(default_factory=list)

    def table(self, name: str) -> Iterator[Row]:
        builders = {"spaces": self.spaces_rows, "deals": self.deals_rows, "deal_spaces": self.deal_spaces_rows,
                    "emails": self.emails_rows, "email_drafts": self.drafts_rows, "draft_events": self.events_rows}
        return builders[name]()

    def spaces_rows(self) -> Iterator[Row]:
        rng, anchor = self.rng, self.plan.anchor
        for i in range(1, self.plan.scale.spaces + 1):
            hood = rng.choice(dist.NEIGHBORHOODS)
            flags = dist.amenities(rng)
            rate = rng.randrange(15, 400) * 100
            self.space_rates.append(rate)
            host, domain = dist.company(rng, i)
            created = anchor - (3 * 365 + 60) * 86_400 * rng.random() ** 0.5
            yield (i, f"{hood} {rng.choice(dist.SPACE_NOUNS)} {i}", f"{rng.randint(1, 999)} "
                   f"{rng.choice(dist.STREETS)} St, San Francisco, CA", hood, host, f"hosts@{domain}",
                   f"{host} is a growing team that sublets spare desks." if rng.random() < 0.5 else None,
                   _json(flags), _json(dist.availability(rng)), rate,
                   _json(dist.detailed_amenities(rng, flags, iso(created)[:10])), ts(created))

    def deals_rows(self) -> Iterator[Row]:
        rng = self.rng
        owners = random.Random(self.seed + 1)  # its own stream: the rest of the data stays as it was
        for i, created in enumerate(self.plan.deal_created, start=1):
            seeker, handle = dist.person(rng)
            name, domain = dist.company(rng, i)
            team = max(1, min(400, round(rng.lognormvariate(2.3, 0.8))))
            budget = round(team * rng.uniform(400, 900), -2)
            stage = dist.weighted(rng, dist.DEAL_STAGE_SHARES)
            self.deals.append(DealInfo(seeker=seeker, first_name=seeker.split()[0], email=f"{handle}@{domain}",
                                       subject=f"Office space for {name} ({team} people)", rate=int(budget)))
            self.stages.append(stage)
            self.deal_spaces.append(self._pick_spaces(stage))
            owner = owners.choice(self.owner_ids) if self.owner_ids and owners.random() < OWNED_SHARE else None
            yield (i, seeker, f"{handle}@{domain}", name, team, int(budget), _json(dist.requirements(rng)), stage,
                   ts(created), False, owner)

    def _pick_spaces(self, stage: str) -> list[int]:
        (low, high), _ = dist.SPACES_PER_STAGE[stage]
        count = min(self.rng.randint(low, high), self.plan.scale.spaces)
        return [s + 1 for s in self.rng.sample(range(self.plan.scale.spaces), count)]

    def deal_spaces_rows(self) -> Iterator[Row]:
        rng, row_id = self.rng, 0
        for deal_id, space_ids in enumerate(self.deal_spaces, start=1):
            created = self.plan.deal_created[deal_id - 1]
            stage = self.stages[deal_id - 1]
            _, statuses = dist.SPACES_PER_STAGE[stage]
            for n, space_id in enumerate(space_ids):
                row_id += 1
                status = "selected" if stage == "closed" and n == 0 else rng.choice(statuses)
                yield (row_id, deal_id, space_id, status, ts(created + 3600 * (n + 1)))

    def emails_rows(self) -> Iterator[Row]:
        plan, rng, seed = self.plan, self.rng, self.seed
        drafts = {d.id: d for d in plan.drafts if d.reply_id}
        for i in range(1, plan.scale.emails + 1):
            deal_id = plan.email_deal[i - 1]
            deal = self.deals[deal_id - 1]
            pos = plan.email_pos[i - 1]
            subject = deal.subject if pos == 0 else f"Re: {deal.subject}"
            prev = plan.email_prev[i - 1]
            ai, meta = False, None
            if plan.email_inbound[i - 1]:
                sender, to, body = deal.email, AGENT, dist.inbound_body(rng, deal.seeker, pos)
            elif i in plan.reply_draft:
                d = drafts[plan.reply_draft[i]]
                life = live(seed, d, first_name=deal.first_name, rate=deal.rate,
                            space_ids=self.deal_spaces[deal_id - 1], anchor=plan.anchor)
                sender, to, body, ai = AGENT, deal.email, life.final_body, True
                meta = _json({"confidence": life.confidence,
                              "timeSaved": {"traditional": rng.choice((10, 15, 20)), "withAI": rng.choice((1, 2, 3))}})
            else:
                sender, to, body = AGENT, deal.email, dist.reply_body(rng, deal.first_name, deal.rate)
            yield (i, deal_id, sender, to, subject, body, ts(plan.email_time[i - 1]), ai, meta,
                   f"<{i}.{seed}@bench.echo>", f"<{prev}.{seed}@bench.echo>" if prev else None)

    def drafts_rows(self) -> Iterator[Row]:
        plan, seed = self.plan, self.seed
        for d in plan.drafts:
            deal = self.deals[d.deal_id - 1]
            life = live(seed, d, first_name=deal.first_name, rate=deal.rate,
                        space_ids=self.deal_spaces[d.deal_id - 1], anchor=plan.anchor)
            self.events.append((d.id, life.events))
            yield (d.id, d.deal_id, d.inbound_id, life.versions[0]["body"], life.edited_body, life.final_body,
                   life.confidence, d.status, _json(life.reasoning), _json(life.metadata), _json(life.validation),
                   len(life.versions) - 1, ts(life.last_regeneration_at), life.current, _json(life.versions),
                   ts(d.created_at), ts(life.reviewed_at), life.reviewed_by, ts(life.sent_at), d.reply_id or None,
                   ts(life.archived_at), life.archived_by, life.archive_reason, len(life.events), d.archived_from,
                   life.archive_category)

    def events_rows(self) -> Iterator[Row]:
        event_id = 0
        for draft_id, events in self.events:
            for at, actor, action, from_status, to_status, details in events:
                event_id += 1
                yield (event_id, draft_id, actor, action, from_status, to_status, _json(details), ts(at))
        self.events = []
