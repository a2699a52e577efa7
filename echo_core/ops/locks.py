"""Advisory locks that make a duty a singleton across every worker on every machine.

Transaction-scoped (`pg_try_advisory_xact_lock`): the lock lives exactly as long as the
transaction that holds it, so a killed worker's lock goes with its connection and nothing
outlives a transaction (PgBouncer in transaction mode stays safe).
"""

from __future__ import annotations

from sqlalchemy import Connection, text

LOCK_NAMESPACE = 0x0EC0  # the first key of the two-key form: our own space, apart from other advisory locks


def try_singleton(conn: Connection, name: str) -> bool:
    """True if this transaction now holds the lock `name`; False if another one does (do not wait)."""
    held = conn.scalar(text("SELECT pg_try_advisory_xact_lock(:ns, hashtext(:name))"),
                       {"ns": LOCK_NAMESPACE, "name": name})
    return bool(held)
