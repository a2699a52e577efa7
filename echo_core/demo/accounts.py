"""Demo accounts: one per role plus the demo brokers whose names are on the demo drafts.

Created only when the demo is seeded (`settings.should_seed_demo`: the embedded default),
and the login page lists them, passwords included, only then. Their passwords are public, but they are
hashed at full cost all the same (issue 15): a cheap hash answered a wrong password for a demo account in
44 ms and an unknown address in 857 ms, which told the two apart. Cheap hashes from before are raised to
full cost by the next seed (while they still hold the demo password) and by the next sign-in.
"""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from echo_core.accounts import hash_password, needs_rehash, verify_password
from echo_core.db.models import User

# (email, role, password)
DEMO_ACCOUNTS: tuple[tuple[str, str, str], ...] = (
    ("broker@tandem.space", "broker", "echo-demo-broker"),
    ("lead@tandem.space", "lead", "echo-demo-lead"),
    ("analyst@tandem.space", "analyst", "echo-demo-analyst"),
    ("maya@tandem.space", "broker", "echo-demo-maya"),
    ("leo@tandem.space", "broker", "echo-demo-leo"),
    ("jordan@tandem.space", "lead", "echo-demo-jordan"),
)


@lru_cache(maxsize=len(DEMO_ACCOUNTS))
def demo_hash(password: str) -> str:
    """A full-cost hash of a demo password, made once per process (seeding many databases costs it once)."""
    return hash_password(password)


def seed_demo_accounts(session: Session) -> int:
    """Add the demo accounts that are missing (an existing one is left as it is); returns how many."""
    existing = {u.email: u for u in session.scalars(
        select(User).where(User.email.in_([e for e, _, _ in DEMO_ACCOUNTS])))}
    added = 0
    for email, role, password in DEMO_ACCOUNTS:
        user = existing.get(email)
        if user is None:
            session.add(User(email=email, role=role, password_hash=demo_hash(password)))
            added += 1
        elif needs_rehash(user.password_hash) and verify_password(password, user.password_hash):
            user.password_hash = demo_hash(password)  # an old cheap demo hash: today's cost
    session.flush()
    return added
