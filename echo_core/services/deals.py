"""Deal changes: create a deal, move its stage, link spaces and change their status.

Each service checks the actor may edit deals, validates, writes and commits in one
transaction. Deals and deal_spaces have no audit table (draft_events is for drafts only).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from echo_core.db.models import DEAL_SPACE_STATUSES, DEAL_STAGES, Deal, DealSpace, Space
from echo_core.errors import InvalidInput, NotFound
from echo_core.permissions import Action, Actor, require
from echo_core.schemas import Requirements, parse

NAME_MAX = 255
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
    except InvalidInput:
        raise InvalidInput(f"The {label} '{cleaned[:80]}' is not an email address — use name@example.com.") from None
    return cleaned


def _choice(value: str, allowed: tuple[str, ...], label: str) -> str:
    if value not in allowed:
        raise InvalidInput(f"'{value[:40]}' is not a {label} — use one of: {', '.join(allowed)}.")
    return value


def _load_deal(session: Session, deal_id: int, *, lock: bool = False) -> Deal:
    query = select(Deal).where(Deal.id == deal_id)
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
    require(actor, Action.EDIT_DEALS)
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
    session.commit()
    return deal


def set_stage(*, session: Session, deal_id: int, stage: str, actor: Actor) -> Deal:
    """Move a deal to any stage (brokers also move deals back, e.g. negotiating → touring)."""
    require(actor, Action.EDIT_DEALS)
    _choice(stage, DEAL_STAGES, "deal stage")
    deal = _load_deal(session, deal_id, lock=True)
    deal.stage = stage
    session.commit()
    return deal


def set_deal_space_status(*, session: Session, deal_id: int, space_id: int, status: str, actor: Actor) -> DealSpace:
    require(actor, Action.EDIT_DEALS)
    _choice(status, DEAL_SPACE_STATUSES, "space status")
    link = session.scalar(
        select(DealSpace).where(DealSpace.deal_id == deal_id, DealSpace.space_id == space_id).with_for_update()
    )
    if link is None:
        raise NotFound(f"Space {space_id} is not on deal {deal_id} — add it to the deal first.")
    link.status = status
    session.commit()
    return link


def link_space(*, session: Session, deal_id: int, space_id: int, actor: Actor, status: str = "shown") -> DealSpace:
    """Put a space on a deal; a space is on a deal at most once."""
    require(actor, Action.EDIT_DEALS)
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
        session.commit()
    except IntegrityError:  # a concurrent add won the unique (deal_id, space_id) race
        session.rollback()
        raise already from None
    return link
