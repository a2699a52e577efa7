"""Deal ownership: "assign to me", a lead assigning anyone, unassigning.

Each call is one transaction: re-read the acting account, lock the deal, the rule, compare-and-set
against the owner the caller saw (`expected_owner_email`), the audit row in `deal_events`, commit.

Rules: a broker may take an unassigned deal (or keep one that is already theirs) and unassign their
own; a lead may assign any deal to any active broker or lead and unassign any; analysts may do neither.
"""

from __future__ import annotations

from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from echo_core.db.models import Deal, DealEvent, User
from echo_core.errors import EchoError, InvalidInput, NotFound, PermissionDenied
from echo_core.permissions import Action, Actor, Role
from echo_core.services.accounts import normalize_email
from echo_core.services.actors import acting


class _Unchecked:
    def __repr__(self) -> str:
        return "UNCHECKED"


UNCHECKED: Final = _Unchecked()
OWNER_ROLES = (Role.BROKER, Role.LEAD)


class StaleOwner(EchoError):
    """The deal's owner changed since the caller read it (a stale write, like StaleDraft)."""

    exit_code = 13

    def __init__(self, deal_id: int, owner: str | None) -> None:
        now = f"assigned to {owner}" if owner else "unassigned"
        super().__init__(f"Deal {deal_id} was {now} by someone else meanwhile — reload and try again.")
        self.deal_id, self.owner = deal_id, owner


def _owner_email(session: Session, owner_id: int | None) -> str | None:
    return None if owner_id is None else session.scalar(select(User.email).where(User.id == owner_id))


def _load(session: Session, deal_id: int, actor: Actor,
          expected_owner_email: str | None | _Unchecked) -> tuple[Actor, Deal, str | None]:
    if not isinstance(deal_id, int) or isinstance(deal_id, bool) or not 0 < deal_id < 2**31:
        raise InvalidInput(f"'{str(deal_id)[:20]}' is not a deal number — use the id shown in the queue.")
    acting_now = acting(session, actor, Action.REVIEW_DRAFTS)  # the role as it is now, not as the page saw it
    deal = session.scalar(select(Deal).where(Deal.id == deal_id).with_for_update())
    if deal is None:
        session.rollback()
        raise NotFound(f"Deal {deal_id} does not exist — reload the queue.")
    current = _owner_email(session, deal.owner_id)
    if not isinstance(expected_owner_email, _Unchecked):
        expected = normalize_email(expected_owner_email) if expected_owner_email else None
        if expected != current:
            session.rollback()
            raise StaleOwner(deal_id, current)
    return acting_now, deal, current


def _denied(actor: Actor, what: str) -> PermissionDenied:
    return PermissionDenied(f"{actor.email} is signed in as {actor.role.value} and may not {what}.")


def _record(session: Session, deal: Deal, acting: Actor, action: str, before: str | None, after: str | None) -> None:
    session.add(DealEvent(deal_id=deal.id, actor=acting.email, action=action,
                          details={"from": before, "to": after}))


def assign_deal(*, session: Session, deal_id: int, actor: Actor, owner_email: str | None = None,
                expected_owner_email: str | None | _Unchecked = UNCHECKED) -> str:
    """Make `owner_email` (default: the actor) the deal's owner; returns the owner's email."""
    acting, deal, current = _load(session, deal_id, actor, expected_owner_email)
    target = normalize_email(owner_email) if owner_email else acting.email
    if acting.role != Role.LEAD:
        if target != acting.email:
            session.rollback()
            raise _denied(acting, "assign deals to someone else")
        if current not in (None, acting.email):
            session.rollback()
            raise _denied(acting, f"take a deal {current} owns — ask a lead to reassign it")
    owner = session.execute(select(User.id, User.role, User.active).where(User.email == target)).first()
    if owner is None or not owner.active or Role(owner.role) not in OWNER_ROLES:
        session.rollback()
        raise InvalidInput(f"{target} is not an active broker or lead — pick another owner.")
    if current == target:
        session.commit()  # nothing changes: no audit row, the lock is released
        return target
    deal.owner_id = owner.id
    _record(session, deal, acting, "assigned", current, target)
    session.commit()
    return target


def unassign(*, session: Session, deal_id: int, actor: Actor,
             expected_owner_email: str | None | _Unchecked = UNCHECKED) -> None:
    """Leave the deal without an owner (a broker: only their own)."""
    acting, deal, current = _load(session, deal_id, actor, expected_owner_email)
    if current is None:
        session.commit()
        return
    if acting.role != Role.LEAD and current != acting.email:
        session.rollback()
        raise _denied(acting, f"unassign a deal {current} owns — ask a lead")
    deal.owner_id = None
    _record(session, deal, acting, "unassigned", current, None)
    session.commit()


