"""Who is acting: the one place an email address (the CLI's `--by`) becomes an Actor."""

from __future__ import annotations

from sqlalchemy.orm import Session

from echo_core.permissions import Actor, Role


def resolve_actor(session: Session, email: str) -> Actor:
    """The actor named by `email`; an address that is not an email is refused with InvalidInput.

    Every valid address acts as a broker for now. Accounts (issue 6) will look the
    role up here, which is why the session is already a parameter.
    """
    return Actor(email.strip().lower(), Role.BROKER)
