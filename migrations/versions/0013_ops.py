"""Running it for real: worker heartbeats, backup records, shared worker cursors, pg_stat_statements.

- worker_heartbeats: one row per (worker process, duty), updated after every pass.
- backup_runs: every backup taken and every backup verified, with the outcome (append-only).
- worker_cursors: positions shared by all workers (the auto-drafting duty's last email looked at).
- pg_stat_statements is created when the server offers it and the migrating role may create it
  (superuser, e.g. the embedded server or docker-compose's postgres); otherwise a NOTICE, and the
  Monitoring page says how to add it. The downgrade leaves the extension: other tools may read it.

Revision ID: 0013
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "worker_heartbeats",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("worker", sa.String(255), nullable=False),
        sa.Column("duty", sa.String(50), nullable=False),
        sa.Column("host", sa.String(255), nullable=False),
        sa.Column("interval_seconds", sa.Float(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("last_run_at", sa.DateTime(timezone=True)),
        sa.Column("last_ok_at", sa.DateTime(timezone=True)),
        sa.Column("last_error", sa.Text()),
        sa.Column("last_error_at", sa.DateTime(timezone=True)),
        sa.Column("runs", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("items_done", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("items_failed", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("recent_errors", JSONB(), server_default=sa.text("'[]'::jsonb"), nullable=False),
        sa.Column("stopped_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("id", name="worker_heartbeats_pkey"),
        sa.UniqueConstraint("worker", "duty", name="uq_worker_heartbeats_worker_duty"),
    )
    op.create_index("idx_worker_heartbeats_last_run_at", "worker_heartbeats", ["last_run_at"])

    op.create_table(
        "backup_runs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("scheduled", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("file", sa.Text(), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("seconds", sa.Float()),
        sa.Column("bytes", sa.BigInteger()),
        sa.Column("revision", sa.String(32)),
        sa.Column("error", sa.Text()),
        sa.Column("host", sa.String(255)),
        sa.Column("details", JSONB(), server_default=sa.text("'{}'::jsonb"), nullable=False),
        sa.PrimaryKeyConstraint("id", name="backup_runs_pkey"),
        sa.CheckConstraint("kind IN ('backup', 'verify')", name="ck_backup_runs_kind_valid"),
    )
    op.create_index("idx_backup_runs_kind_started_at", "backup_runs", ["kind", "started_at"])

    op.create_table(
        "worker_cursors",
        sa.Column("name", sa.String(50), nullable=False),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("name", name="worker_cursors_pkey"),
    )

    op.execute(
        """
        DO $$
        BEGIN
            IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_stat_statements') THEN
                BEGIN
                    CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
                EXCEPTION WHEN insufficient_privilege THEN
                    RAISE NOTICE 'pg_stat_statements not created: a superuser must run CREATE EXTENSION pg_stat_statements';
                END;
            END IF;
        END
        $$
        """
    )


def downgrade() -> None:
    op.drop_table("worker_cursors")
    op.drop_index("idx_backup_runs_kind_started_at", table_name="backup_runs")
    op.drop_table("backup_runs")
    op.drop_index("idx_worker_heartbeats_last_run_at", table_name="worker_heartbeats")
    op.drop_table("worker_heartbeats")
