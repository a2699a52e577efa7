"""Issue 13: the two page queries whose SQL alone missed 20 ms at a large brokerage's scale.

- idx_spaces_monthly_rate_id: the fitting-spaces query (a deal's cheapest spaces that meet its flags,
  budget, rooms and location) walks spaces cheapest first and stops at the 20th fit, instead of reading
  every space with the deal's flags and sorting them.
- space_amenity_flags: how many spaces carry each amenity key, kept exact by a trigger on spaces in the
  same transaction as every insert, amenity edit and delete; the Spaces page's amenity filter reads its
  few rows instead of expanding every space's amenities.

Revision ID: 0015
Revises: 0014
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

_SYNC = """
CREATE FUNCTION space_amenity_flags_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND jsonb_typeof(OLD.amenities) = 'object' THEN
        UPDATE space_amenity_flags f SET spaces = f.spaces - 1
        WHERE f.flag IN (SELECT jsonb_object_keys(OLD.amenities));
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND jsonb_typeof(NEW.amenities) = 'object' THEN
        INSERT INTO space_amenity_flags (flag, spaces)
        SELECT k, 1 FROM jsonb_object_keys(NEW.amenities) AS k ORDER BY k  -- one lock order for every writer
        ON CONFLICT (flag) DO UPDATE SET spaces = space_amenity_flags.spaces + 1;
    END IF;
    RETURN NULL;
END
$$
"""


def upgrade() -> None:
    op.create_index("idx_spaces_monthly_rate_id", "spaces", ["monthly_rate", "id"])
    op.create_table(
        "space_amenity_flags",
        sa.Column("flag", sa.Text(), primary_key=True),
        sa.Column("spaces", sa.Integer(), server_default=sa.text("0"), nullable=False),
    )
    op.execute(
        "INSERT INTO space_amenity_flags (flag, spaces) "
        "SELECT k, count(*) FROM spaces, jsonb_object_keys(amenities) AS k "
        "WHERE jsonb_typeof(amenities) = 'object' GROUP BY k"
    )
    op.execute(_SYNC)
    op.execute(
        "CREATE TRIGGER space_amenity_flags_sync AFTER INSERT OR DELETE OR UPDATE OF amenities ON spaces "
        "FOR EACH ROW EXECUTE FUNCTION space_amenity_flags_sync()"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER space_amenity_flags_sync ON spaces")
    op.execute("DROP FUNCTION space_amenity_flags_sync()")
    op.drop_table("space_amenity_flags")
    op.drop_index("idx_spaces_monthly_rate_id", table_name="spaces")
