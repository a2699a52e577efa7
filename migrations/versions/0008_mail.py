"""Real mail: inbound headers for dedup and threading, deals flagged for completion,
and the outbox the delivery worker drains.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

OUTBOX_STATUSES = "('queued', 'sending', 'delivered', 'failed')"


def upgrade() -> None:
    # Seed tables only gain nullable columns or columns with defaults.
    op.add_column("emails", sa.Column("message_id", sa.String(998)))
    op.add_column("emails", sa.Column("in_reply_to", sa.String(998)))
    op.add_column("emails", sa.Column("references_header", sa.Text()))
    op.add_column("emails", sa.Column("original_body", sa.Text()))
    op.add_column("emails", sa.Column("attachments", JSONB()))
    # Dedup by Message-ID: the database refuses a second copy, whatever races.
    op.create_index(
        op.f("uq_emails_message_id"),
        "emails",
        ["message_id"],
        unique=True,
        postgresql_where=sa.text("message_id IS NOT NULL"),
    )
    op.add_column(
        "deals", sa.Column("needs_completion", sa.Boolean(), server_default=sa.text("false"), nullable=False)
    )

    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("email_id", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Integer()),
        sa.Column("status", sa.String(20), server_default=sa.text("'queued'"), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("last_error", sa.Text()),
        sa.Column("delivered_at", sa.DateTime(timezone=True)),
        sa.Column("delivered_via", sa.String(255)),
        sa.Column("locked_until", sa.DateTime(timezone=True)),
        sa.Column("claimed_by", sa.String(255)),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="outbox_pkey"),
        sa.ForeignKeyConstraint(["email_id"], ["emails.id"], name="outbox_email_id_emails_id_fk"),
        sa.ForeignKeyConstraint(["draft_id"], ["email_drafts.id"], name="outbox_draft_id_email_drafts_id_fk"),
        sa.UniqueConstraint("email_id", name="uq_outbox_email_id"),
        sa.CheckConstraint(f"status IN {OUTBOX_STATUSES}", name="ck_outbox_status_valid"),
        sa.CheckConstraint("attempts >= 0", name="ck_outbox_attempts_not_negative"),
    )
    # The worker's claim query: due queued rows, and sending rows whose lease ran out.
    op.create_index(
        op.f("idx_outbox_next_attempt_at"),
        "outbox",
        ["next_attempt_at"],
        postgresql_where=sa.text("status = 'queued'"),
    )
    op.create_index(
        op.f("idx_outbox_locked_until"),
        "outbox",
        ["locked_until"],
        postgresql_where=sa.text("status = 'sending'"),
    )
    op.create_index(op.f("idx_outbox_draft_id"), "outbox", ["draft_id"])


def downgrade() -> None:
    op.drop_index(op.f("idx_outbox_draft_id"), table_name="outbox")
    op.drop_index(op.f("idx_outbox_locked_until"), table_name="outbox")
    op.drop_index(op.f("idx_outbox_next_attempt_at"), table_name="outbox")
    op.drop_table("outbox")
    op.drop_column("deals", "needs_completion")
    op.drop_index(op.f("uq_emails_message_id"), table_name="emails")
    op.drop_column("emails", "attachments")
    op.drop_column("emails", "original_body")
    op.drop_column("emails", "references_header")
    op.drop_column("emails", "in_reply_to")
    op.drop_column("emails", "message_id")
