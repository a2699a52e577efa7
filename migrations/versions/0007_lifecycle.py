"""Lifecycle additions: optimistic locking, restore bookkeeping, archive categories,
exactly-once sends and the append-only audit trail.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

ARCHIVE_CATEGORIES = "('wrong_facts', 'wrong_tone', 'duplicate', 'deal_closed', 'handled_by_phone', 'other')"


def upgrade() -> None:
    op.add_column("email_drafts", sa.Column("lock_version", sa.Integer(), server_default=sa.text("1"), nullable=False))
    op.add_column("email_drafts", sa.Column("archived_from_status", sa.String(50)))
    op.add_column("email_drafts", sa.Column("archive_category", sa.String(50)))
    op.create_check_constraint(
        op.f("ck_email_drafts_archive_category_valid"),
        "email_drafts",
        f"archive_category IS NULL OR archive_category IN {ARCHIVE_CATEGORIES}",
    )
    op.create_index(
        op.f("uq_email_drafts_sent_email_id"),
        "email_drafts",
        ["sent_email_id"],
        unique=True,
        postgresql_where=sa.text("sent_email_id IS NOT NULL"),
    )
    op.create_table(
        "draft_events",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("actor", sa.String(255), nullable=False),
        sa.Column("action", sa.String(50), nullable=False),
        sa.Column("from_status", sa.String(50)),
        sa.Column("to_status", sa.String(50)),
        sa.Column("details", JSONB(), server_default=sa.text("'{}'::jsonb"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="draft_events_pkey"),
        sa.ForeignKeyConstraint(["draft_id"], ["email_drafts.id"], name="draft_events_draft_id_email_drafts_id_fk"),
    )
    op.create_index(op.f("idx_draft_events_draft_id_created_at"), "draft_events", ["draft_id", "created_at"])
    # Audit events are only ever inserted: refuse UPDATE and DELETE in the database itself.
    op.execute(
        """
        CREATE FUNCTION draft_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          RAISE EXCEPTION 'draft_events is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
        END $$;
        CREATE TRIGGER draft_events_append_only BEFORE UPDATE OR DELETE ON draft_events
          FOR EACH ROW EXECUTE FUNCTION draft_events_append_only();
        """
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS draft_events_append_only ON draft_events")
    op.execute("DROP FUNCTION IF EXISTS draft_events_append_only()")
    op.drop_index(op.f("idx_draft_events_draft_id_created_at"), table_name="draft_events")
    op.drop_table("draft_events")
    op.drop_index(op.f("uq_email_drafts_sent_email_id"), table_name="email_drafts")
    op.drop_constraint(op.f("ck_email_drafts_archive_category_valid"), "email_drafts", type_="check")
    op.drop_column("email_drafts", "archive_category")
    op.drop_column("email_drafts", "archived_from_status")
    op.drop_column("email_drafts", "lock_version")
