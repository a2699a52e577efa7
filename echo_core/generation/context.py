"""Everything a reply may rely on, as plain dataclasses.

The composer and the validator only ever see a `ReplyContext`, so they are pure
and the eval harness can build one from JSON without a database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from echo_core.config import get_settings
from echo_core.db.models import Deal, DealSpace, Email, Space
from echo_core.errors import InvalidInput, NotFound
from echo_core.schemas import DetailedAmenities

# Which linked space a vague question is most likely about.
STATUS_PRIORITY = {"touring": 0, "selected": 1, "interested": 2, "shown": 3, "rejected": 9}


@dataclass(frozen=True)
class DealFacts:
    id: int
    seeker_name: str
    seeker_email: str
    company_name: str
    team_size: int
    monthly_budget: int
    requirements: dict[str, Any] = field(default_factory=dict)
    stage: str = "inquiry"

    @property
    def first_name(self) -> str:
        return (self.seeker_name.split() or ["there"])[0]


@dataclass(frozen=True)
class SpaceFacts:
    id: int
    name: str
    address: str
    status: str
    monthly_rate: int
    amenities: dict[str, bool] = field(default_factory=dict)
    detailed: DetailedAmenities = field(default_factory=DetailedAmenities)
    availability: dict[str, list[str]] = field(default_factory=dict)
    neighborhood: str | None = None
    host_company: str = ""
    host_context: str | None = None

    @property
    def extras(self) -> dict[str, Any]:
        """Keys of detailed_amenities beyond the seed's (e.g. capacity, availableFrom)."""
        return dict(self.detailed.model_extra or {})


@dataclass(frozen=True)
class EmailFacts:
    id: int
    sender: str
    subject: str
    body: str
    sent_at: datetime
    inbound: bool


@dataclass(frozen=True)
class ReplyContext:
    deal: DealFacts
    spaces: tuple[SpaceFacts, ...]
    thread: tuple[EmailFacts, ...]
    inbound: EmailFacts
    agent_email: str = "agent@tandem.space"

    @property
    def shortlist(self) -> list[SpaceFacts]:
        """Linked spaces, the likeliest subject of a question first; rejected ones last."""
        return sorted(self.spaces, key=lambda s: (STATUS_PRIORITY.get(s.status, 5), s.id))

    @property
    def brokerage(self) -> str:
        domain = self.agent_email.split("@")[-1].split(".")[0]
        return domain.capitalize() or "The brokerage"

    def space(self, space_id: int) -> SpaceFacts | None:
        return next((s for s in self.spaces if s.id == space_id), None)


def _space_facts(space: Space, status: str) -> SpaceFacts:
    try:
        detailed = DetailedAmenities.model_validate(space.detailed_amenities or {})
    except ValueError:
        # A malformed JSONB value must not block a reply: treat it as unknown data.
        detailed = DetailedAmenities()
    return SpaceFacts(
        id=space.id,
        name=space.name,
        address=space.address,
        status=status,
        monthly_rate=space.monthly_rate,
        amenities={k: bool(v) for k, v in (space.amenities or {}).items()},
        detailed=detailed,
        availability={str(k).lower(): [str(t).lower().replace(" ", "") for t in v]
                      for k, v in (space.availability or {}).items() if isinstance(v, list)},
        neighborhood=space.neighborhood,
        host_company=space.host_company,
        host_context=space.host_context,
    )


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def load_context(session: Session, *, inbound_email_id: int) -> ReplyContext:
    """Load the deal, its linked spaces and the thread for one inbound email."""
    agent = get_settings().agent_email
    email = session.get(Email, inbound_email_id)
    if email is None:
        raise NotFound(f"Email {inbound_email_id} does not exist — check the id on the deal's thread.")
    if email.ai_generated or email.from_addr.lower() == agent.lower():
        raise InvalidInput(f"Email {inbound_email_id} was sent by us — drafts answer inbound emails from the seeker.")
    deal = session.get(Deal, email.deal_id)
    if deal is None:  # pragma: no cover - the foreign key guarantees it
        raise NotFound(f"Deal {email.deal_id} does not exist.")
    links = session.execute(
        select(Space, DealSpace.status).join(DealSpace, DealSpace.space_id == Space.id)
        .where(DealSpace.deal_id == deal.id).order_by(DealSpace.id)
    ).all()
    thread = session.scalars(
        select(Email).where(Email.deal_id == deal.id, Email.sent_at <= email.sent_at)
        .order_by(Email.sent_at, Email.id)
    ).all()
    return ReplyContext(
        deal=DealFacts(deal.id, deal.seeker_name, deal.seeker_email, deal.company_name, deal.team_size,
                       deal.monthly_budget, dict(deal.requirements or {}), deal.stage),
        spaces=tuple(_space_facts(space, status) for space, status in links),
        thread=tuple(_email_facts(e, agent) for e in thread),
        inbound=_email_facts(email, agent),
        agent_email=agent,
    )


def _email_facts(email: Email, agent: str) -> EmailFacts:
    inbound = not email.ai_generated and email.from_addr.lower() != agent.lower()
    return EmailFacts(email.id, email.from_addr, email.subject, email.body, _aware(email.sent_at), inbound)


def context_from_dict(data: dict[str, Any]) -> ReplyContext:
    """Build a context from plain JSON (the eval cases): `deal`, `spaces`, `email`, optional `thread`."""
    deal = data["deal"]
    spaces = []
    for i, raw in enumerate(data.get("spaces", []), start=1):
        spaces.append(SpaceFacts(
            id=int(raw.get("id", i)),
            name=raw["name"],
            address=raw.get("address", ""),
            status=raw.get("status", "shown"),
            monthly_rate=int(raw.get("monthly_rate", 0)),
            amenities=dict(raw.get("amenities", {})),
            detailed=DetailedAmenities.model_validate(raw.get("detailed_amenities") or {}),
            availability={k.lower(): [t.lower().replace(" ", "") for t in v]
                          for k, v in raw.get("availability", {}).items()},
            neighborhood=raw.get("neighborhood"),
            host_company=raw.get("host_company", ""),
            host_context=raw.get("host_context"),
        ))
    sent = datetime.fromisoformat(data.get("email", {}).get("sent_at", "2026-11-23T09:00:00+00:00"))
    email = data["email"]
    inbound = EmailFacts(int(email.get("id", 1000)), email.get("from", deal.get("seeker_email", "")),
                         email.get("subject", ""), email["body"], _aware(sent), True)
    thread = tuple(
        EmailFacts(int(m.get("id", i)), m.get("from", ""), m.get("subject", ""), m.get("body", ""),
                   _aware(datetime.fromisoformat(m.get("sent_at", "2026-11-20T09:00:00+00:00"))),
                   bool(m.get("inbound", True)))
        for i, m in enumerate(data.get("thread", []), start=1)
    ) + (inbound,)
    return ReplyContext(
        deal=DealFacts(int(deal.get("id", 1)), deal.get("seeker_name", "Alex Seeker"),
                       deal.get("seeker_email", "seeker@example.com"), deal.get("company_name", "Seeker Co"),
                       int(deal.get("team_size", 10)), int(deal.get("monthly_budget", 0)),
                       dict(deal.get("requirements", {})), deal.get("stage", "inquiry")),
        spaces=tuple(spaces),
        thread=thread,
        inbound=inbound,
    )
