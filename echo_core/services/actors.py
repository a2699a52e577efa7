"""Who is acting: the one place an email address (the CLI's `--by`) becomes an Actor."""

from __future__ import annotations

from sqlalchemy.orm import Session

from echo_core.permissions import Actor
from echo_core.services.accounts import active_actor


def resolve_actor(session: Session, email: str) -> Actor:
    """The actor of the ACTIVE account named by `email`, with that account's role.

    An address that is not an email is refused with InvalidInput; an unknown or disabled
    account with NoActiveAccount (a PermissionDenied, exit 30) naming `users add`.
    """
    return active_actor(session, email)
