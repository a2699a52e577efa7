"""email_drafts table (seed migration 0001_solid_rogue).

Revision ID: 0001
Revises: 0000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0001"
down_revision = "0000"
branch_labels = None
depends_on = None


def upgrade() -> None:
    ts = sa.DateTime(timezone=True)
    op.create_table(
        "email_drafts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("deal_id", sa.Integer(), nullable=False),
        sa.Column("inbound_email_id", sa.Integer(), nullable=False),
        sa.Column("ai_generated_body", sa.Text(), nullable=False),
        sa.Column("edited_body", sa.Text()),
        sa.Column("final_body", sa.Text()),
        sa.Column("confidence_score", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(50), server_default=sa.text("'pending'"), nullable=False),
        sa.Column("reasoning", JSONB()),
        sa.Column("metadata", JSONB()),
        sa.Column("created_at", ts, server_default=sa.func.now(), nullable=False),
        sa.Column("reviewed_at", ts),
        sa.Column("reviewed_by", sa.String(255)),
        sa.Column("sent_at", ts),
        sa.Column("sent_email_id", sa.Integer()),
        sa.Column("archived_at", ts),
        sa.Column("archived_by", sa.String(255)),
        sa.Column("archive_reason", sa.Text()),
        sa.PrimaryKeyConstraint("id", name="email_drafts_pkey"),
        sa.ForeignKeyConstraint(["deal_id"], ["deals.id"], name="email_drafts_deal_id_deals_id_fk"),
        sa.ForeignKeyConstraint(
            ["inbound_email_id"], ["emails.id"], name="email_drafts_inbound_email_id_emails_id_fk"
        ),
        sa.ForeignKeyConstraint(["sent_email_id"], ["emails.id"], name="email_drafts_sent_email_id_emails_id_fk"),
    )


def downgrade() -> None:
    op.drop_table("email_drafts")
