"""Initial schema: deals, spaces, emails, deal_spaces (seed migration 0000_clear_sleepwalker).

Revision ID: 0000
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0000"
down_revision = None
branch_labels = None
depends_on = None


def _created_at() -> sa.Column[object]:
    return sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False)


def upgrade() -> None:
    op.create_table(
        "deals",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("seeker_name", sa.String(255), nullable=False),
        sa.Column("seeker_email", sa.String(255), nullable=False),
        sa.Column("company_name", sa.String(255), nullable=False),
        sa.Column("team_size", sa.Integer(), nullable=False),
        sa.Column("monthly_budget", sa.Integer(), nullable=False),
        sa.Column("requirements", JSONB(), nullable=False),
        sa.Column("stage", sa.String(50), nullable=False),
        _created_at(),
        sa.PrimaryKeyConstraint("id", name="deals_pkey"),
    )
    op.create_table(
        "spaces",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("neighborhood", sa.String(100)),
        sa.Column("host_company", sa.String(255), nullable=False),
        sa.Column("host_email", sa.String(255), nullable=False),
        sa.Column("host_context", sa.Text()),
        sa.Column("amenities", JSONB(), nullable=False),
        sa.Column("availability", JSONB(), nullable=False),
        sa.Column("monthly_rate", sa.Integer(), nullable=False),
        _created_at(),
        sa.PrimaryKeyConstraint("id", name="spaces_pkey"),
    )
    op.create_table(
        "emails",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("deal_id", sa.Integer(), nullable=False),
        sa.Column("from", sa.String(255), nullable=False),
        sa.Column("to", sa.String(255), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("ai_generated", sa.Boolean(), server_default=sa.text("false")),
        sa.Column("ai_metadata", JSONB()),
        sa.PrimaryKeyConstraint("id", name="emails_pkey"),
        sa.ForeignKeyConstraint(["deal_id"], ["deals.id"], name="emails_deal_id_deals_id_fk"),
    )
    op.create_table(
        "deal_spaces",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("deal_id", sa.Integer(), nullable=False),
        sa.Column("space_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(50), nullable=False),
        _created_at(),
        sa.PrimaryKeyConstraint("id", name="deal_spaces_pkey"),
        sa.ForeignKeyConstraint(["deal_id"], ["deals.id"], name="deal_spaces_deal_id_deals_id_fk"),
        sa.ForeignKeyConstraint(["space_id"], ["spaces.id"], name="deal_spaces_space_id_spaces_id_fk"),
    )


def downgrade() -> None:
    op.drop_table("deal_spaces")
    op.drop_table("emails")
    op.drop_table("spaces")
    op.drop_table("deals")
