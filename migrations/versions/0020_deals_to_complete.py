"""Mail's "new inquiries to complete": a partial index over the flagged deals, newest first.

`deals.needs_completion` is true for the few deals ingest created from an unknown sender, until a broker fills
them in; the Mail page read them by scanning every deal (9-12 ms at full scale, every 30 s of cache). The
partial index holds only those rows, in the page's order (created_at DESC, id DESC, read backwards).

Revision ID: 0020
Revises: 0019
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("idx_deals_needs_completion_created_at_id", "deals", ["created_at", "id"],
                    postgresql_where=sa.text("needs_completion"))


def downgrade() -> None:
    op.drop_index("idx_deals_needs_completion_created_at_id", table_name="deals")
