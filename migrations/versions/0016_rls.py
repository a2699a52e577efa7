"""Issue 15 hardening: the sign-in throttle table, and row-level security for ECHO_BROKER_SCOPE=own.

- sign_in_throttle: failed sign-ins by address (accounts that do not exist lock exactly like those that
  do) and by client address, keyed by a SHA-256 (echo_core.sign_in).
- broker_scope policies (echo_core.db.scope): with the per-transaction settings echo.broker_scope = 'own',
  echo.actor_role = 'broker' and echo.actor_id, a broker sees and writes only deals they own or that are
  unassigned (to take them), and the emails, drafts, events, links, outbox rows and search documents of
  those deals; any other setting (a lead, an analyst, `team`, or none: migrations, the worker, the CLI)
  sees everything. The policies are created here but row-level security is switched on per table by
  `db grant-app-role` when ECHO_BROKER_SCOPE=own (a `team` deployment pays nothing). No FORCE: the owner
  role that runs migrations and backups is never filtered.

Revision ID: 0016
Revises: 0015
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

SEES_ALL = ("(coalesce(current_setting('echo.broker_scope', true), '') <> 'own' "
            "OR coalesce(current_setting('echo.actor_role', true), '') <> 'broker')")
ACTOR_ID = "nullif(current_setting('echo.actor_id', true), '')::integer"
# table -> what makes a row the broker's (deals' own policy applies inside the EXISTS: scopes nest)
POLICIES = {
    "deals": f"owner_id IS NULL OR owner_id = {ACTOR_ID}",
    "emails": "EXISTS (SELECT 1 FROM deals d WHERE d.id = emails.deal_id)",
    "email_drafts": "EXISTS (SELECT 1 FROM deals d WHERE d.id = email_drafts.deal_id)",
    "deal_spaces": "EXISTS (SELECT 1 FROM deals d WHERE d.id = deal_spaces.deal_id)",
    "deal_events": "EXISTS (SELECT 1 FROM deals d WHERE d.id = deal_events.deal_id)",
    "search_documents": "EXISTS (SELECT 1 FROM deals d WHERE d.id = search_documents.deal_id)",
    "draft_events": "EXISTS (SELECT 1 FROM email_drafts x WHERE x.id = draft_events.draft_id)",
    "outbox": "EXISTS (SELECT 1 FROM email_drafts x WHERE x.id = outbox.draft_id)",
}

revision = "0016"
down_revision = "0015"
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
    for table, own in POLICIES.items():
        op.execute(f"CREATE POLICY broker_scope ON {table} USING ({SEES_ALL} OR {own})")


def downgrade() -> None:
    for table in POLICIES:
        op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
        op.execute(f"DROP POLICY IF EXISTS broker_scope ON {table}")
    op.drop_table("sign_in_throttle")
