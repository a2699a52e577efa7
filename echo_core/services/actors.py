"""Who is acting: the one place an email address (the CLI's `--by`) becomes an Actor, and the one
re-read of the acting account that every write service makes inside its own transaction.

A page or a command may have read the account minutes ago (a Mail page left open, a script started
before a lead disabled its account): its Actor says what the role WAS. `acting()` reads it again in
the service's transaction, so a disabled or demoted account is refused before anything is written.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from echo_core.db.models import User
from echo_core.errors import NoActiveAccount
from echo_core.permissions import INTERNAL_ACTORS, Action, Actor, Role, require

ADD_HINT = "add it with `python -m echo_core users add EMAIL --role broker|lead|analyst`"


def acting(session: Session, actor: Actor, action: Action) -> Actor:
    """The actor as the database says it is NOW, allowed to do `action`; else PermissionDenied.

    Refusals: NoActiveAccount (unknown or disabled, exit 30) or PermissionDenied (the role no longer
    allows `action`). The worker and the operator CLI (INTERNAL_ACTORS) are not accounts: their role
    is fixed. The read is in the caller's transaction, so it is as fresh as the rows it then changes.
    """
    if actor in INTERNAL_ACTORS:
        require(actor, action)
        return actor
    address = actor.email.strip().lower()
    row = session.execute(
        select(User.role, User.active).where(User.email == address).execution_options(populate_existing=True)
    ).first()
    if row is None:
        raise NoActiveAccount(f"No active account for {address} — {ADD_HINT}.")
    if not row.active:
        raise NoActiveAccount(f"No active account for {address}: it is disabled — a lead can enable it again.")
    now = Actor(address, Role(row.role))
    require(now, action)
    return now


def resolve_actor(session: Session, email: str) -> Actor:
    """The actor of the ACTIVE account named by `email`, with that account's role.

    An address that is not an email is refused with InvalidInput; an unknown or disabled
    account with NoActiveAccount (a PermissionDenied, exit 30) naming `users add`.
    """
    from echo_core.services.accounts import active_actor  # accounts imports this module

    return active_actor(session, email)
