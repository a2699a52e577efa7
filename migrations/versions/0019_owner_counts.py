"""Drafts per (deal owner, status), kept exact by triggers: the review queue's Mine / Unassigned counts.

- draft_owner_counts: delta rows like draft_status_counts (revision 0010): writers only INSERT deltas (no
  hot row), now and then a writer folds them under a try-advisory lock; readers sum the few rows there are.
  owner_id NULL holds the unassigned deals' drafts.
- email_drafts INSERT / DELETE / UPDATE (status or deal changed) / TRUNCATE: the drafts' deals' current owners.
  The statement first takes FOR SHARE on those deals, then reads their owners: an owner change that is in
  flight (FOR NO KEY UPDATE on the deal) is waited for, so a draft written concurrently with a reassignment
  is counted under the owner that wins, never the one that was replaced.
- deals UPDATE with owner_id changed: every draft of those deals moves from the old owner to the new.
- deals DELETE: nothing to do — email_drafts.deal_id has no ON DELETE action, so a deal with drafts cannot be
  deleted, and deleting the drafts first subtracts them while the deal (and its owner) still exists.
- broker_scope policy (as revision 0016's): a broker in ECHO_BROKER_SCOPE=own reads (and writes deltas for)
  only their own row and the unassigned one, so the table cannot tell them another owner's counts; the
  trigger writes only deltas of deals the broker may see. `db grant-app-role` switches its row-level
  security with the other scoped tables (echo_core.db.scope.SCOPED_TABLES).

Revision ID: 0019
Revises: 0016
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0016"
branch_labels = None
depends_on = None

COMPACT_LOCK_KEY = 80_100_019  # only has to differ from the application's other advisory locks
SEES_ALL = ("(coalesce(current_setting('echo.broker_scope', true), '') <> 'own' "
            "OR coalesce(current_setting('echo.actor_role', true), '') <> 'broker')")
OWN = "owner_id IS NULL OR owner_id = nullif(current_setting('echo.actor_id', true), '')::integer"

FOLD = f"""
    -- Fold the deltas now and then; one writer at a time, the others skip rather than wait.
    IF random() < 0.02 AND pg_try_advisory_xact_lock({COMPACT_LOCK_KEY}) THEN
        WITH folded AS (DELETE FROM draft_owner_counts RETURNING owner_id, status, drafts)
        INSERT INTO draft_owner_counts (owner_id, status, drafts)
        SELECT owner_id, status, sum(drafts) FROM folded GROUP BY owner_id, status HAVING sum(drafts) <> 0;
    END IF;"""

DRAFTS_FUNCTION = f"""
CREATE FUNCTION email_drafts_count_owners() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM draft_owner_counts;
        RETURN NULL;
    ELSIF TG_OP = 'INSERT' THEN
        PERFORM 1 FROM deals WHERE id IN (SELECT deal_id FROM new_rows) FOR SHARE;
        INSERT INTO draft_owner_counts (owner_id, status, drafts)
        SELECT deals.owner_id, n.status, count(*) FROM new_rows n JOIN deals ON deals.id = n.deal_id
        GROUP BY deals.owner_id, n.status;
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM 1 FROM deals WHERE id IN (SELECT deal_id FROM old_rows) FOR SHARE;
        INSERT INTO draft_owner_counts (owner_id, status, drafts)
        SELECT deals.owner_id, o.status, -count(*) FROM old_rows o JOIN deals ON deals.id = o.deal_id
        GROUP BY deals.owner_id, o.status;
    ELSE
        -- Only drafts whose status or deal changed count (edits, validation, locks change no count).
        PERFORM 1 FROM deals WHERE id IN (
            SELECT unnest(ARRAY[n.deal_id, o.deal_id]) FROM new_rows n JOIN old_rows o ON o.id = n.id
            WHERE (n.status, n.deal_id) IS DISTINCT FROM (o.status, o.deal_id)) FOR SHARE;
        INSERT INTO draft_owner_counts (owner_id, status, drafts)
        SELECT deals.owner_id, x.status, sum(x.delta)
        FROM new_rows n JOIN old_rows o ON o.id = n.id
        CROSS JOIN LATERAL (VALUES (n.deal_id, n.status, 1), (o.deal_id, o.status, -1)) AS x(deal_id, status, delta)
        JOIN deals ON deals.id = x.deal_id
        WHERE (n.status, n.deal_id) IS DISTINCT FROM (o.status, o.deal_id)
        GROUP BY deals.owner_id, x.status HAVING sum(x.delta) <> 0;
    END IF;
    {FOLD}
    RETURN NULL;
END
$$
"""

DEALS_FUNCTION = f"""
CREATE FUNCTION deals_move_owner_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO draft_owner_counts (owner_id, status, drafts)
    SELECT x.owner_id, d.status, sum(x.delta)
    FROM new_rows n JOIN old_rows o ON o.id = n.id
    CROSS JOIN LATERAL (VALUES (n.owner_id, 1), (o.owner_id, -1)) AS x(owner_id, delta)
    JOIN email_drafts d ON d.deal_id = n.id
    WHERE n.owner_id IS DISTINCT FROM o.owner_id
    GROUP BY x.owner_id, d.status HAVING sum(x.delta) <> 0;
    IF FOUND THEN
        {FOLD}
    END IF;
    RETURN NULL;
END
$$
"""


def upgrade() -> None:
    op.create_table(
        "draft_owner_counts",
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(50), nullable=False),
        sa.Column("drafts", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("draft_owner_counts_pkey")),
    )
    op.create_index("idx_draft_owner_counts_owner_id", "draft_owner_counts", ["owner_id"])
    op.execute("INSERT INTO draft_owner_counts (owner_id, status, drafts) "
               "SELECT deals.owner_id, d.status, count(*) FROM email_drafts d JOIN deals ON deals.id = d.deal_id "
               "GROUP BY deals.owner_id, d.status")
    op.execute(DRAFTS_FUNCTION)
    op.execute(DEALS_FUNCTION)
    for event, transition in (("INSERT", "NEW TABLE AS new_rows"), ("DELETE", "OLD TABLE AS old_rows"),
                              ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows")):
        op.execute(
            f"CREATE TRIGGER email_drafts_count_owners_{event.lower()} AFTER {event} ON email_drafts "
            f"REFERENCING {transition} FOR EACH STATEMENT EXECUTE FUNCTION email_drafts_count_owners()"
        )
    op.execute("CREATE TRIGGER email_drafts_count_owners_truncate AFTER TRUNCATE ON email_drafts "
               "FOR EACH STATEMENT EXECUTE FUNCTION email_drafts_count_owners()")
    op.execute("CREATE TRIGGER deals_move_owner_counts AFTER UPDATE ON deals "
               "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
               "FOR EACH STATEMENT EXECUTE FUNCTION deals_move_owner_counts()")
    op.execute(f"CREATE POLICY broker_scope ON draft_owner_counts USING ({SEES_ALL} OR {OWN})")


def downgrade() -> None:
    op.execute("DROP TRIGGER deals_move_owner_counts ON deals")
    for event in ("insert", "delete", "update", "truncate"):
        op.execute(f"DROP TRIGGER email_drafts_count_owners_{event} ON email_drafts")
    op.execute("DROP FUNCTION deals_move_owner_counts()")
    op.execute("DROP FUNCTION email_drafts_count_owners()")
    op.drop_table("draft_owner_counts")  # its policy goes with it
