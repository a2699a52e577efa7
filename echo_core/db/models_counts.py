"""Drafts per (deal owner, status) as delta rows (revision 0019): the review queue's Mine / Unassigned counts.

Triggers on email_drafts and deals insert the deltas and fold them now and then; a count is the sum of its
rows. owner_id NULL is the unassigned deals' drafts. No foreign key: a derived table, users are never deleted.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Identity, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from echo_core.db.models import Base


class DraftOwnerCount(Base):
    __tablename__ = "draft_owner_counts"
    __table_args__ = (Index("idx_draft_owner_counts_owner_id", "owner_id"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    owner_id: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(50))
    drafts: Mapped[int] = mapped_column(BigInteger)
