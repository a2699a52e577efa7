"""Deal changes: create a deal, move its stage, link spaces and change their status.

Each service is one transaction: re-read the acting account (services.actors.acting), validate,
lock the row, compare-and-set its lock_version against the version the caller read, the audit_log
row (before → after of the changed fields), commit.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from echo_core.db.models import DEAL_SPACE_STATUSES, DEAL_STAGES, Deal, DealSpace, Space
from echo_core.errors import InvalidInput, NotFound, StaleRecord
from echo_core.permissions import Action, Actor
from echo_core.schemas import Requirements, parse
from echo_core.services.actors import acting
from echo_core.services.audit import compare_and_bump, record_change, snapshot

DEAL_FIELDS = ("seeker_name", "seeker_email", "company_name", "team_size", "monthly_budget", "requirements",
               "stage", "needs_completion", "owner_id")
NAME_MAX = 255
_NOT_ONE_MAILBOX = re.compile(r"[,;%\s<>\"()\\]")
INT_MAX = 2**31 - 1  # the columns are PostgreSQL integers


def _text(value: str | None, label: str, *, limit: int = NAME_MAX) -> str:
    cleaned = (value or "").strip()
    if not cleaned:
        raise InvalidInput(f"The {label} is empty — fill it in.")
    if "\x00" in cleaned:
        raise InvalidInput(f"The {label} contains a NUL character — remove control characters.")
    if len(cleaned) > limit:
        raise InvalidInput(f"The {label} is {len(cleaned)} characters long — shorten it to {limit} or fewer.")
    return cleaned


def _email(value: str | None, label: str) -> str:
    cleaned = _text(value, label)
    try:
        Actor(cleaned)  # the one email rule of the codebase
        if _NOT_ONE_MAILBOX.search(cleaned):  # a list ("a@x.example,b@y.example") or a relay route ("%")
            raise InvalidInput(cleaned)
    except InvalidInput:
        raise InvalidInput(f"The {label} '{cleaned[:80]}' is not an email address — use name@example.com.") from None
    return cleaned


def _choice(value: str, allowed: tuple[str, ...], label: str) -> str:
    if value not in allowed:
        raise InvalidInput(f"'{value[:40]}' is not a {label} — use one of: {', '.join(allowed)}.")
    return value


def _load_deal(session: Session, deal_id: int, *, lock: bool = False) -> Deal:
    query = select(Deal).where(Deal.id == deal_id).execution_options(populate_existing=True)
    deal = session.scalar(query.with_for_update() if lock else query)
    if deal is None:
        raise NotFound(f"Deal {deal_id} does not exist — reload the deals page.")
    return deal


def create_deal(
    *,
    session: Session,
    actor: Actor,
    seeker_name: str,
    seeker_email: str,
    company_name: str,
    team_size: int,
    monthly_budget: int,
    requirements: dict[str, Any] | None = None,
    stage: str = "inquiry",
) -> Deal:
    """Add a deal; every field is checked with a message that names the fix."""
    actor = acting(session, actor, Action.EDIT_DEALS)
    if team_size is None or team_size <= 0:
        raise InvalidInput(f"The team size must be at least 1 person (got {team_size}).")
    if monthly_budget is None or monthly_budget < 0:
        raise InvalidInput(f"The monthly budget cannot be negative (got {monthly_budget}) — enter dollars per month.")
    for label, number in (("team size", team_size), ("monthly budget", monthly_budget)):
        if number > INT_MAX:
            raise InvalidInput(f"The {label} {number} is too large — it must be at most {INT_MAX:,}.")
    deal = Deal(
        seeker_name=_text(seeker_name, "seeker name"),
        seeker_email=_email(seeker_email, "seeker email"),
        company_name=_text(company_name, "company name"),
        team_size=int(team_size),
        monthly_budget=int(monthly_budget),
        requirements=parse(Requirements, requirements or {}, what="requirements").dump(),
        stage=_choice(stage, DEAL_STAGES, "deal stage"),
    )
    session.add(deal)
    session.flush()
    record_change(session, actor=actor, action="created", entity="deal", entity_id=deal.id, before={},
                  after=snapshot(deal, DEAL_FIELDS))
    session.commit()
    return deal


def set_stage(*, session: Session, deal_id: int, stage: str, actor: Actor,
              expected_lock_version: int | None = None) -> Deal:
    """Move a deal to any stage (brokers also move deals back, e.g. negotiating → touring)."""
    actor = acting(session, actor, Action.EDIT_DEALS)
    _choice(stage, DEAL_STAGES, "deal stage")
    deal = _load_deal(session, deal_id, lock=True)
    compare_and_bump(deal, expected_lock_version, what="deal")
    before = deal.stage
    deal.stage = stage
    record_change(session, actor=actor, action="stage_set", entity="deal", entity_id=deal.id,
                  before={"stage": before}, after={"stage": stage}, always=True)
    session.commit()
    return deal


def set_deal_space_status(*, session: Session, deal_id: int, space_id: int, status: str, actor: Actor,
                          expected_status: str | None = None) -> DealSpace:
    """Change a linked space's status; `expected_status` (what the page showed) refuses a stale change."""
    actor = acting(session, actor, Action.EDIT_DEALS)
    _choice(status, DEAL_SPACE_STATUSES, "space status")
    link = session.scalar(
        select(DealSpace).where(DealSpace.deal_id == deal_id, DealSpace.space_id == space_id).with_for_update()
        .execution_options(populate_existing=True)
    )
    if link is None:
        raise NotFound(f"Space {space_id} is not on deal {deal_id} — add it to the deal first.")
    if expected_status is not None and link.status != expected_status:
        raise StaleRecord("the link of deal and space", f"{deal_id}/{space_id}")
    before = link.status
    link.status = status
    record_change(session, actor=actor, action="status_set", entity="deal_space", entity_id=link.id,
                  before={"status": before}, after={"status": status}, always=True)
    session.commit()
    return link


def link_space(*, session: Session, deal_id: int, space_id: int, actor: Actor, status: str = "shown") -> DealSpace:
    """Put a space on a deal; a space is on a deal at most once."""
    actor = acting(session, actor, Action.EDIT_DEALS)
    _choice(status, DEAL_SPACE_STATUSES, "space status")
    _load_deal(session, deal_id)
    if session.get(Space, space_id) is None:
        raise NotFound(f"Space {space_id} does not exist — reload the spaces list.")
    already = InvalidInput(f"Space {space_id} is already on deal {deal_id} — change its status instead.")
    if session.scalar(select(DealSpace.id).where(DealSpace.deal_id == deal_id, DealSpace.space_id == space_id)):
        raise already
    link = DealSpace(deal_id=deal_id, space_id=space_id, status=status)
    session.add(link)
    try:
        session.flush()
        record_change(session, actor=actor, action="linked", entity="deal_space", entity_id=link.id, before={},
                      after={"deal_id": deal_id, "space_id": space_id, "status": status})
        session.commit()
    except IntegrityError:  # a concurrent add won the unique (deal_id, space_id) race
        session.rollback()
        raise already from None
    return link
