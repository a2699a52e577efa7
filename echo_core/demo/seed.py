"""Idempotent demo seeding: every row is found by its natural key before it is inserted."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from echo_core.db.models import Deal, DealSpace, Email, Space
from echo_core.demo.deals import AGENT, DEMO_DEALS
from echo_core.demo.spaces import DEMO_SPACES
from echo_core.schemas import Amenities, Availability, DetailedAmenities, Requirements, parse

SEED_LOCK_KEY = 0x0EC05EED


@dataclass
class SeedReport:
    inserted: dict[str, int] = field(default_factory=dict)

    def add(self, table: str, count: int = 1) -> None:
        self.inserted[table] = self.inserted.get(table, 0) + count

    @property
    def total(self) -> int:
        return sum(self.inserted.values())


def _seed_spaces(session: Session, report: SeedReport) -> dict[str, int]:
    ids: dict[str, int] = {}
    for row in DEMO_SPACES:
        existing = session.scalar(select(Space.id).where(Space.name == row["name"]))
        if existing is None:
            values = dict(row)
            values["amenities"] = parse(Amenities, row["amenities"], what="amenities").dump()
            values["availability"] = parse(Availability, row["availability"], what="availability").dump()
            values["detailed_amenities"] = parse(DetailedAmenities, row["detailed_amenities"], what="amenities").dump()
            space = Space(**values)
            session.add(space)
            session.flush()
            existing = space.id
            report.add("spaces")
        ids[row["name"]] = existing
    return ids


def _seed_deal(session: Session, row: dict[str, object], space_ids: dict[str, int], now: datetime,
               report: SeedReport) -> None:
    deal_id = session.scalar(select(Deal.id).where(Deal.seeker_email == row["seeker_email"]))
    if deal_id is None:
        fields = {k: v for k, v in row.items() if k not in ("spaces", "thread")}
        fields["requirements"] = parse(Requirements, row["requirements"], what="requirements").dump()
        deal = Deal(**fields, created_at=now - timedelta(days=float(row["thread"][0]["days_ago"]) + 1))  # type: ignore[index]
        session.add(deal)
        session.flush()
        deal_id = deal.id
        report.add("deals")
    for name, status in row["spaces"].items():  # type: ignore[attr-defined]
        link = select(DealSpace.id).where(DealSpace.deal_id == deal_id, DealSpace.space_id == space_ids[name])
        if session.scalar(link) is None:
            session.add(DealSpace(deal_id=deal_id, space_id=space_ids[name], status=status))
            report.add("deal_spaces")
    for mail in row["thread"]:  # type: ignore[attr-defined]
        found = select(Email.id).where(
            Email.deal_id == deal_id, Email.subject == mail["subject"], Email.body == mail["body"]
        )
        if session.scalar(found) is None:
            outbound = mail["from"] == AGENT
            session.add(Email(
                deal_id=deal_id,
                from_addr=mail["from"],
                to_addr=row["seeker_email"] if outbound else AGENT,
                subject=mail["subject"],
                body=mail["body"],
                sent_at=now - timedelta(days=mail["days_ago"]),
                ai_generated=False,
            ))
            report.add("emails")
    session.flush()


def seed_demo(session: Session, *, now: datetime | None = None) -> SeedReport:
    """Insert the demo brokerage where it is missing; a second run inserts nothing."""
    now = now or datetime.now(UTC)
    report = SeedReport()
    session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SEED_LOCK_KEY})
    space_ids = _seed_spaces(session, report)
    for row in DEMO_DEALS:
        _seed_deal(session, row, space_ids, now, report)
    from echo_core.demo.accounts import seed_demo_accounts
    from echo_core.demo.drafts import seed_drafts

    if added := seed_demo_accounts(session):
        report.add("users", added)
    seed_drafts(session, now=now, report=report)
    from echo_core.demo.owners import seed_owners

    if owned := seed_owners(session):  # after the accounts: owners are demo brokers
        report.add("deal_events", owned)
    session.commit()
    return report
