"""Cooldown timestamp and detailed amenities (seed migration 0003_wooden_valeria_richards).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("email_drafts", sa.Column("last_regeneration_at", sa.DateTime(timezone=True)))
    op.add_column("spaces", sa.Column("detailed_amenities", JSONB()))


def downgrade() -> None:
    op.drop_column("spaces", "detailed_amenities")
    op.drop_column("email_drafts", "last_regeneration_at")
