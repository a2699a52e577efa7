"""Issue 15 hardening: the sign-in throttle table, and row-level security for ECHO_BROKER_SCOPE=own.

- sign_in_throttle: failed sign-ins by address (accounts that do not exist lock exactly like those that
  do) and by client address, keyed by a SHA-256 (echo_core.sign_in).

Revision ID: 0016
Revises: 0013 (the lead re-chains it after 0014 and 0015)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sign_in_throttle",
        sa.Column("key", sa.String(80), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("failures", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True)),
        sa.Column("last_failure_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("failures >= 0", name=op.f("ck_sign_in_throttle_failures_not_negative")),
        sa.CheckConstraint("kind IN ('address', 'source')", name=op.f("ck_sign_in_throttle_kind_valid")),
        sa.PrimaryKeyConstraint("key", name=op.f("sign_in_throttle_pkey")),
    )


def downgrade() -> None:
    op.drop_table("sign_in_throttle")
