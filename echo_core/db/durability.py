"""Commits that need not wait for the disk.

PostgreSQL's commit waits until the write-ahead log is flushed to disk: on this kind of VM that is most of a small
write's time (one fsync, 5-40 ms under load). For a few writes losing the last fraction of a second in a crash costs
nothing that matters, and a broker waits for them on every draft opened: a presence beat, leaving a draft,
the "opened" mark in its history. Those transactions commit without waiting (`synchronous_commit = off` for that
transaction alone; the database stays consistent, only the newest such commits could be lost in a crash).
Approving, editing, sending, archiving and every other write keep the full guarantee.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

_NO_FLUSH_WAIT = text("SET LOCAL synchronous_commit TO OFF")


def commit_without_flush_wait(session: Session) -> None:
    """Make the current transaction's commit return without waiting for the log to reach the disk."""
    session.execute(_NO_FLUSH_WAIT)
