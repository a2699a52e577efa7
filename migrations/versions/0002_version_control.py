"""Draft version control (seed migration 0002_spooky_wallop).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "email_drafts", sa.Column("regeneration_count", sa.Integer(), server_default=sa.text("0"), nullable=False)
    )
    op.add_column(
        "email_drafts", sa.Column("current_version", sa.Integer(), server_default=sa.text("0"), nullable=False)
    )
    op.add_column("email_drafts", sa.Column("draft_versions", JSONB()))


def downgrade() -> None:
    op.drop_column("email_drafts", "draft_versions")
    op.drop_column("email_drafts", "current_version")
    op.drop_column("email_drafts", "regeneration_count")
