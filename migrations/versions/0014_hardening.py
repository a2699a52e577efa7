"""Hardening (issue 15, part 1): optimistic locking outside drafts and the general audit trail.

- deals.lock_version, spaces.lock_version, users.lock_version (NOT NULL DEFAULT 1): every edit of a deal,
  space or account is a compare-and-set against the version its form (or command) read, like drafts.
- audit_log: who changed which deal, space, deal link, account or outbox row, with the changed fields
  before → after (JSONB), written by the services in the same transaction as the change. Append-only in
  the database: a trigger refuses UPDATE, DELETE and TRUNCATE for every role but a superuser's explicit
  `SET session_replication_role = replica` (triggers off, e.g. a restore), and the app role gets
  SELECT, INSERT only (echo_core.db.roles.APP_GRANTS).

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

VERSIONED = ("deals", "spaces", "users")

APPEND_ONLY_SQL = """
CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
"""


def upgrade() -> None:
    for table in VERSIONED:
        op.add_column(table, sa.Column("lock_version", sa.Integer(), server_default=sa.text("1"), nullable=False))
    op.create_table(
        "audit_log",
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("actor", sa.String(255), nullable=False),
        sa.Column("action", sa.String(50), nullable=False),
        sa.Column("entity", sa.String(20), nullable=False),
        sa.Column("entity_id", sa.BigInteger(), nullable=False),
        sa.Column("changes", JSONB(), server_default=sa.text("'{}'::jsonb"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="audit_log_pkey"),
        sa.CheckConstraint("entity IN ('deal', 'space', 'deal_space', 'account', 'outbox')",
                           name="ck_audit_log_entity_valid"),
    )
    op.create_index("idx_audit_log_entity_entity_id_id", "audit_log", ["entity", "entity_id", "id"])
    op.create_index("idx_audit_log_created_at", "audit_log", ["created_at"])
    op.execute(APPEND_ONLY_SQL)


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log")
    op.execute("DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log")
    op.execute("DROP FUNCTION IF EXISTS audit_log_refuse_change()")
    op.drop_index("idx_audit_log_created_at", table_name="audit_log")
    op.drop_index("idx_audit_log_entity_entity_id_id", table_name="audit_log")
    op.drop_table("audit_log")
    for table in reversed(VERSIONED):
        op.drop_column(table, "lock_version")
