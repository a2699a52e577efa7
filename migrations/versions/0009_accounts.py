"""Accounts: who may sign in to the dashboard or act through the CLI, and with which role.

Emails are stored lower-case (a CHECK keeps it so), which makes the plain unique constraint
case-insensitive. password_hash is NULL for users who only sign in through OIDC.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("email", sa.String(255), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("password_hash", sa.Text()),
        sa.Column("active", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("failed_attempts", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True)),
        sa.Column("last_login_at", sa.DateTime(timezone=True)),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="users_pkey"),
        sa.UniqueConstraint("email", name="uq_users_email"),
        sa.CheckConstraint("role IN ('broker', 'lead', 'analyst')", name="ck_users_role_valid"),
        sa.CheckConstraint("email = lower(btrim(email))", name="ck_users_email_lower_case"),
        sa.CheckConstraint("failed_attempts >= 0", name="ck_users_failed_attempts_not_negative"),
    )


def downgrade() -> None:
    op.drop_table("users")
