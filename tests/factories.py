"""Test data factories: `make_x(session, **overrides)` returns a flushed ORM row."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from echo_core.db.models import Deal, DealSpace, Email, EmailDraft, Space, User

_seq = itertools.count(1)


def _n() -> int:
    return next(_seq)


def make_deal(session: Session, **overrides: Any) -> Deal:
    n = _n()
    values: dict[str, Any] = {
        "seeker_name": f"Seeker {n}",
        "seeker_email": f"seeker{n}@example.com",
        "company_name": f"Company {n}",
        "team_size": 10,
        "monthly_budget": 15000,
        "requirements": {"dogFriendly": False, "parking": False},
        "stage": "inquiry",
    }
    values.update(overrides)
    deal = Deal(**values)
    session.add(deal)
    session.flush()
    return deal


def make_space(session: Session, **overrides: Any) -> Space:
    n = _n()
    values: dict[str, Any] = {
        "name": f"Test Space {n}",
        "address": f"{n} Market St, San Francisco",
        "neighborhood": "SoMa",
        "host_company": f"Host {n}",
        "host_email": f"host{n}@example.com",
        "host_context": None,
        "amenities": {"parking": True, "dogFriendly": True, "afterHours": True},
        "availability": {"tuesday": ["2pm", "4pm"], "wednesday": ["10am", "11am", "2pm"]},
        "monthly_rate": 12000,
        "detailed_amenities": {
            "parking": {"type": "building-garage", "costMonthly": 250, "spotsAvailable": 4},
            "dogPolicy": {"allowed": True, "sizeLimit": "under 50 lbs", "deposit": 500},
            "access": {"system": "Key card", "costPerCard": 25, "hours": "24/7", "afterHours": True},
            "meetingRooms": {"count": 2, "sizes": [6, 12], "bookingSystem": "Robin"},
            "rentInclusions": {"utilities": True, "internet": "1 Gbps fiber", "janitorial": "nightly"},
        },
    }
    values.update(overrides)
    space = Space(**values)
    session.add(space)
    session.flush()
    return space


def make_deal_space(session: Session, *, deal: Deal, space: Space, status: str = "shown") -> DealSpace:
    link = DealSpace(deal_id=deal.id, space_id=space.id, status=status)
    session.add(link)
    session.flush()
    return link


def make_email(session: Session, *, deal: Deal, **overrides: Any) -> Email:
    values: dict[str, Any] = {
        "deal_id": deal.id,
        "from_addr": deal.seeker_email,
        "to_addr": "agent@tandem.space",
        "subject": "Office space questions",
        "body": "Hi, is it dog friendly? Is there parking? Can we tour Tuesday at 2pm?",
        "sent_at": datetime.now(UTC) - timedelta(hours=1),
        "ai_generated": False,
    }
    values.update(overrides)
    email = Email(**values)
    session.add(email)
    session.flush()
    return email


def make_draft(
    session: Session, *, deal: Deal | None = None, inbound: Email | None = None, **overrides: Any
) -> EmailDraft:
    deal = deal or make_deal(session)
    inbound = inbound or make_email(session, deal=deal)
    body = overrides.pop("body", "Hi! Yes, the space is dog friendly. Parking is $250/month.")
    now = datetime.now(UTC)
    values: dict[str, Any] = {
        "deal_id": deal.id,
        "inbound_email_id": inbound.id,
        "ai_generated_body": body,
        "final_body": body,
        "confidence_score": 80,
        "status": "pending",
        "reasoning": {"questionsAddressed": [], "dataUsed": [], "schedulingLogic": [], "needsHumanReview": []},
        "metadata_": {"model": "offline-rules", "tokensUsed": 0, "generatedAt": now.isoformat()},
        "current_version": 0,
        "draft_versions": [
            {
                "version": 0,
                "body": body,
                "prompt": None,
                "confidence": overrides.get("confidence_score", 80),
                "reasoning": {"questionsAddressed": [], "dataUsed": [], "schedulingLogic": [], "needsHumanReview": []},
                "metadata": {"model": "offline-rules", "tokensUsed": 0, "generatedAt": now.isoformat()},
                "createdAt": now.isoformat(),
            }
        ],
    }
    values.update(overrides)
    draft = EmailDraft(**values)
    session.add(draft)
    session.flush()
    return draft


def make_user(session: Session, *, email: str | None = None, role: str = "broker", password: str | None = None,
              **overrides: Any) -> User:
    """An account (an existing one of that address is given these values). A given password is hashed
    cheaply (Argon2id at 64 KiB, one pass): these are test passwords, not secrets."""
    from echo_core.accounts import hash_password

    values: dict[str, Any] = {
        "email": (email or f"user{_n()}@tandem.space").strip().lower(),
        "role": role,
        "password_hash": hash_password(password, memory_kib=64, time_cost=1) if password else None,
    }
    values.update(overrides)
    user = session.scalar(select(User).where(User.email == values["email"]))
    if user is None:
        user = User(**values)
        session.add(user)
    else:
        for field, value in values.items():
            setattr(user, field, value)
    session.flush()
    return user


def ensure_accounts(session: Session, accounts: Iterable[tuple[str, str]]) -> None:
    """Active accounts of these (email, role) pairs, unless the address already has one."""
    for email, role in accounts:
        session.execute(insert(User).values(email=email, role=role).on_conflict_do_nothing())
    session.flush()
