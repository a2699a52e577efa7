"""Tables of the running system (revision 0013): worker heartbeats, backup records, worker cursors.

They hold operations data, not the brokerage's: the Monitoring page and `db status` read them,
the worker writes them. Kept apart from models.py so the seed's tables read on their own.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from echo_core.db.models import Base, _created_at

BACKUP_KINDS = ("backup", "verify")


class WorkerHeartbeat(Base):
    """One row per (worker process, duty): when it last ran, what it did, its last error."""

    __tablename__ = "worker_heartbeats"
    __table_args__ = (
        UniqueConstraint("worker", "duty"),
        Index("idx_worker_heartbeats_last_run_at", "last_run_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    worker: Mapped[str] = mapped_column(String(255))  # host:pid:random, as the outbox's claimed_by
    duty: Mapped[str] = mapped_column(String(50))
    host: Mapped[str] = mapped_column(String(255))
    interval_seconds: Mapped[float] = mapped_column(Float)  # how often it should beat: staleness is judged by it
    started_at: Mapped[datetime] = _created_at()
    last_run_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_ok_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(Text)
    last_error_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    runs: Mapped[int] = mapped_column(BigInteger, server_default=text("0"))
    items_done: Mapped[int] = mapped_column(BigInteger, server_default=text("0"))
    items_failed: Mapped[int] = mapped_column(BigInteger, server_default=text("0"))
    # The latest item-level failures (e.g. a message that would not parse), newest last, at most 10.
    recent_errors: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, server_default=text("'[]'::jsonb"))
    stopped_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class BackupRun(Base):
    """A backup taken or a backup verified, with its outcome; append-only."""

    __tablename__ = "backup_runs"
    __table_args__ = (
        CheckConstraint("kind IN ('backup', 'verify')", name="kind_valid"),
        Index("idx_backup_runs_kind_started_at", "kind", "started_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    scheduled: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    file: Mapped[str] = mapped_column(Text)
    ok: Mapped[bool] = mapped_column(Boolean)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime] = _created_at()
    seconds: Mapped[float | None] = mapped_column(Float)
    bytes: Mapped[int | None] = mapped_column(BigInteger)
    revision: Mapped[str | None] = mapped_column(String(32))
    error: Mapped[str | None] = mapped_column(Text)
    host: Mapped[str | None] = mapped_column(String(255))
    # backup: the manifest (row counts per table, sha256); verify: what was compared and what differed.
    details: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=text("'{}'::jsonb"))


class WorkerCursor(Base):
    """A position shared by every worker, e.g. the last email the auto-drafting duty has looked at."""

    __tablename__ = "worker_cursors"

    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    position: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[datetime] = _created_at()
