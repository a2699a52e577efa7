"""The seed's "Production recommendations" indexes.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

BTREE = [
    ("idx_emails_deal_id", "emails", ["deal_id"]),
    ("idx_deal_spaces_deal_id", "deal_spaces", ["deal_id"]),
    ("idx_deal_spaces_space_id", "deal_spaces", ["space_id"]),
    ("idx_email_drafts_deal_id", "email_drafts", ["deal_id"]),
    ("idx_email_drafts_inbound_email_id", "email_drafts", ["inbound_email_id"]),
    ("idx_email_drafts_status", "email_drafts", ["status"]),
    ("idx_emails_sent_at", "emails", ["sent_at"]),
    ("idx_email_drafts_deal_status", "email_drafts", ["deal_id", "status"]),
    ("idx_emails_deal_sent", "emails", ["deal_id", "sent_at"]),
]
GIN = [
    ("idx_spaces_amenities", "spaces", "amenities"),
    ("idx_deals_requirements", "deals", "requirements"),
    ("idx_email_drafts_reasoning", "email_drafts", "reasoning"),
]


def upgrade() -> None:
    for name, table, columns in BTREE:
        op.create_index(op.f(name), table, columns)
    for name, table, column in GIN:
        op.create_index(op.f(name), table, [column], postgresql_using="gin")


def downgrade() -> None:
    for name, table, _ in reversed(GIN):
        op.drop_index(op.f(name), table_name=table)
    for name, table, _ in reversed(BTREE):
        op.drop_index(op.f(name), table_name=table)
