"""The general audit trail (revision 0014): who changed which deal, space, deal link, account or outbox row.

Append-only: the services add one row in the same transaction as the change; the database refuses
UPDATE, DELETE and TRUNCATE (trigger `audit_log_append_only`), and the app role is granted SELECT and
INSERT only. Draft actions keep their own trail (draft_events), deal ownership too (deal_events).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, Identity, Index, String, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from echo_core.db.models import Base, _created_at, _in

AUDIT_ENTITIES = ("deal", "space", "deal_space", "account", "outbox")


class AuditEntry(Base):
    """One change: `changes` maps each changed field to {"from": before, "to": after}."""

    __tablename__ = "audit_log"
    __table_args__ = (
        CheckConstraint(_in("entity", AUDIT_ENTITIES), name="entity_valid"),
        Index("idx_audit_log_entity_entity_id_id", "entity", "entity_id", "id"),
        Index("idx_audit_log_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    actor: Mapped[str] = mapped_column(String(255))
    action: Mapped[str] = mapped_column(String(50))
    entity: Mapped[str] = mapped_column(String(20))
    entity_id: Mapped[int] = mapped_column(BigInteger)
    changes: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=text("'{}'::jsonb"))
    created_at: Mapped[datetime] = _created_at()
