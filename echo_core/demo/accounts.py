"""Demo accounts: one per role plus the demo brokers whose names are on the demo drafts.

Created only when the demo is seeded (`settings.should_seed_demo`: the embedded default),
and the login page lists them, passwords included, only then. Their passwords are public,
so they are hashed with a small scrypt cost: a slow hash would protect nothing here.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from echo_core.accounts import hash_password
from echo_core.db.models import User

DEMO_PASSWORD_COST = 2**12

# (email, role, password)
DEMO_ACCOUNTS: tuple[tuple[str, str, str], ...] = (
    ("broker@tandem.space", "broker", "echo-demo-broker"),
    ("lead@tandem.space", "lead", "echo-demo-lead"),
    ("analyst@tandem.space", "analyst", "echo-demo-analyst"),
    ("maya@tandem.space", "broker", "echo-demo-maya"),
    ("leo@tandem.space", "broker", "echo-demo-leo"),
    ("jordan@tandem.space", "lead", "echo-demo-jordan"),
)


def seed_demo_accounts(session: Session) -> int:
    """Add the demo accounts that are missing (an existing one is left as it is); returns how many."""
    existing = set(session.scalars(select(User.email).where(User.email.in_([e for e, _, _ in DEMO_ACCOUNTS]))))
    added = 0
    for email, role, password in DEMO_ACCOUNTS:
        if email not in existing:
            session.add(User(email=email, role=role, password_hash=hash_password(password, n=DEMO_PASSWORD_COST)))
            added += 1
    session.flush()
    return added
