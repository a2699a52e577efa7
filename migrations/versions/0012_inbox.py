"""The review inbox: deal owners, web sessions, presence, full-text search.

- deals.owner_id (nullable FK users, indexed): the owning broker; the queue's Mine / Unassigned views.
- deal_events: the append-only audit trail of ownership changes.
- web_sessions: the server side of the dashboard's session cookie (a hash of the token, never the token).
- draft_presence: who has which draft open, refreshed by a heartbeat; a row not refreshed for a minute
  means the person left (the rows expire by themselves, readers ignore stale ones).
- search_documents: one row per email and per draft with a tsvector of its subject, body, company and
  seeker, GIN-indexed, kept by statement-level triggers on emails, email_drafts and deals. The deal's
  names live on another table, so a generated column cannot hold them; one table of documents also
  makes the search one index scan and one keyset order instead of a UNION over two tables.
  Bulk loads set `echo.search_documents = off` and call search_documents_rebuild().
- Analytics (revision 0011) ignore the new "opened" draft events (looking is not acting), and count
  refinements as the versions that carry a prompt (hand edits are versions too now).

The backfill computes one tsvector per email and draft: on the 1M-email bench database it is the
slow part of this revision (a minute or two); the indexes are built after the rows are in.

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

BODY_LIMIT = 100_000  # characters of a body that are indexed (a tsvector may not exceed 1 MB)
_OFF = "IF current_setting('echo.search_documents', true) = 'off' THEN RETURN NULL; END IF;"

# The source rows of each kind of document; {where} narrows them (or is TRUE for a rebuild).
EMAIL_ROWS = """
    SELECT 'email'::varchar AS kind, e.id AS ref_id, e.deal_id, coalesce(e.sent_at, 'epoch'::timestamptz) AS at,
           search_vector(d.company_name, d.seeker_name, e.subject, e.body) AS vector
    FROM emails e JOIN deals d ON d.id = e.deal_id WHERE {where}"""
DRAFT_ROWS = """
    SELECT 'draft'::varchar AS kind, x.id AS ref_id, x.deal_id, x.created_at AS at,
           search_vector(d.company_name, d.seeker_name, e.subject, coalesce(x.final_body, x.ai_generated_body))
    FROM email_drafts x JOIN deals d ON d.id = x.deal_id LEFT JOIN emails e ON e.id = x.inbound_email_id
    WHERE {where}"""
UPSERT = ("INSERT INTO search_documents (kind, ref_id, deal_id, at, vector) {rows} "
          "ON CONFLICT (kind, ref_id) DO UPDATE SET deal_id = EXCLUDED.deal_id, at = EXCLUDED.at, "
          "vector = EXCLUDED.vector")


def _upsert(rows: str, where: str) -> str:
    return UPSERT.format(rows=rows.format(where=where))


FUNCTIONS_SQL = f"""
CREATE FUNCTION search_vector(company text, seeker text, subject text, body text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT to_tsvector('english'::regconfig, concat_ws(' ', company, seeker, subject, left(body, {BODY_LIMIT})))
$$;

CREATE FUNCTION search_emails_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {_OFF}
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM search_documents WHERE kind = 'email';
    ELSIF TG_OP = 'DELETE' THEN
        DELETE FROM search_documents WHERE kind = 'email' AND ref_id IN (SELECT id FROM old_rows);
    ELSIF TG_OP = 'INSERT' THEN
        {_upsert(EMAIL_ROWS, "e.id IN (SELECT id FROM new_rows)")};
    ELSE
        {_upsert(EMAIL_ROWS, "e.id IN (SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id "
                             "WHERE (n.subject, n.body, n.deal_id, n.sent_at) IS DISTINCT FROM "
                             "(o.subject, o.body, o.deal_id, o.sent_at))")};
        -- A draft's document carries its inbound email's subject.
        {_upsert(DRAFT_ROWS, "x.inbound_email_id IN (SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id "
                             "WHERE n.subject IS DISTINCT FROM o.subject)")};
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION search_drafts_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {_OFF}
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM search_documents WHERE kind = 'draft';
    ELSIF TG_OP = 'DELETE' THEN
        DELETE FROM search_documents WHERE kind = 'draft' AND ref_id IN (SELECT id FROM old_rows);
    ELSIF TG_OP = 'INSERT' THEN
        {_upsert(DRAFT_ROWS, "x.id IN (SELECT id FROM new_rows)")};
    ELSE
        {_upsert(DRAFT_ROWS, "x.id IN (SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id "
                             "WHERE (n.final_body, n.ai_generated_body, n.deal_id, n.inbound_email_id, n.created_at) "
                             "IS DISTINCT FROM (o.final_body, o.ai_generated_body, o.deal_id, o.inbound_email_id, "
                             "o.created_at))")};
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION search_deals_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE renamed int[];
BEGIN
    {_OFF}
    renamed := ARRAY(SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
                     WHERE (n.company_name, n.seeker_name) IS DISTINCT FROM (o.company_name, o.seeker_name));
    IF cardinality(renamed) > 0 THEN
        {_upsert(EMAIL_ROWS, "e.deal_id = ANY(renamed)")};
        {_upsert(DRAFT_ROWS, "x.deal_id = ANY(renamed)")};
    END IF;
    RETURN NULL;
END $$;

-- Rows go in in time order, as live inserts do: the newest-first search then reads few pages.
CREATE FUNCTION search_documents_rebuild() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('work_mem', '256MB', true);
    TRUNCATE search_documents;
    INSERT INTO search_documents (kind, ref_id, deal_id, at, vector)
    SELECT * FROM ({EMAIL_ROWS.format(where="TRUE")}
                   UNION ALL {DRAFT_ROWS.format(where="TRUE")}) docs
    ORDER BY at, kind, ref_id;
    ANALYZE search_documents;
END $$;
"""

TRIGGERS = (
    *(f"CREATE TRIGGER search_{table}_{event.lower()} AFTER {event} ON {table} REFERENCING {transition} "
      f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
      for table, function in (("emails", "search_emails_changed"), ("email_drafts", "search_drafts_changed"))
      for event, transition in (("INSERT", "NEW TABLE AS new_rows"), ("DELETE", "OLD TABLE AS old_rows"),
                                ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"))),
    *(f"CREATE TRIGGER search_{table}_truncate AFTER TRUNCATE ON {table} FOR EACH STATEMENT "
      f"EXECUTE FUNCTION {function}()"
      for table, function in (("emails", "search_emails_changed"), ("email_drafts", "search_drafts_changed"))),
    "CREATE TRIGGER search_deals_update AFTER UPDATE ON deals REFERENCING OLD TABLE AS old_rows "
    "NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_deals_changed()",
)
TRIGGER_NAMES = (*((f"search_{t}_{e}", t) for t in ("emails", "email_drafts")
                   for e in ("insert", "delete", "update", "truncate")),
                 ("search_deals_update", "deals"))
FUNCTION_SIGNATURES = ("search_documents_rebuild()", "search_deals_changed()", "search_drafts_changed()",
                       "search_emails_changed()", "search_vector(text, text, text, text)")


def _rollups_0011() -> ModuleType:
    """Revision 0011's module, for the exact text of the analytics functions this revision amends."""
    path = Path(__file__).with_name("0011_analytics_rollups.py")
    spec = importlib.util.spec_from_file_location("echo_migration_0011", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _function(source: str, name: str) -> str:
    """The `CREATE FUNCTION name(...) … $$;` statement from a block of 0011's SQL, as CREATE OR REPLACE."""
    start = source.index(f"CREATE FUNCTION {name}(")
    opening = source.index("$$", start)
    closing = source.index("$$", opening + 2)
    return "CREATE OR REPLACE" + source[start + len("CREATE"):closing + 2]


def _replace(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"revision 0011 changed: {old!r} appears {text.count(old)} times"
    return text.replace(old, new)


OLD_REFINEMENTS = "greatest(jsonb_array_length(d.draft_versions) - 1, 0)"
NEW_REFINEMENTS = ("(SELECT count(*) FROM jsonb_array_elements(d.draft_versions) v "
                   "WHERE jsonb_typeof(v -> 'prompt') = 'string')::int")
OPENED = "'opened'"


def _analytics_amended(m: ModuleType) -> tuple[str, str]:
    facts = _replace(_function(m.HELPERS, "analytics_draft_facts"), OLD_REFINEMENTS, NEW_REFINEMENTS)
    rebuild = _function(m.TRIGGERS, "analytics_rollup_rebuild")
    rebuild = _replace(rebuild, "SELECT DISTINCT draft_id, actor FROM draft_events;",
                       f"SELECT DISTINCT draft_id, actor FROM draft_events WHERE action <> {OPENED};")
    rebuild = _replace(rebuild, "FROM draft_events ev CROSS JOIN (VALUES ('d'), ('w')) g(grain)",
                       f"FROM draft_events ev CROSS JOIN (VALUES ('d'), ('w')) g(grain) WHERE ev.action <> {OPENED}")
    return facts, rebuild


def _event_trigger(when: str) -> str:
    return ("CREATE TRIGGER analytics_event_added AFTER INSERT ON draft_events FOR EACH ROW "
            f"{when}EXECUTE FUNCTION analytics_event_added()")


def upgrade() -> None:
    op.add_column("deals", sa.Column("owner_id", sa.Integer(), nullable=True))
    op.create_foreign_key("deals_owner_id_users_id_fk", "deals", "users", ["owner_id"], ["id"])
    op.create_index("idx_deals_owner_id", "deals", ["owner_id"])

    op.create_table(
        "deal_events",
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("deal_id", sa.Integer(), nullable=False),
        sa.Column("actor", sa.String(255), nullable=False),
        sa.Column("action", sa.String(50), nullable=False),
        sa.Column("details", postgresql.JSONB(), server_default=sa.text("'{}'::jsonb"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="deal_events_pkey"),
        sa.ForeignKeyConstraint(["deal_id"], ["deals.id"], name="deal_events_deal_id_deals_id_fk"),
        sa.CheckConstraint("action IN ('assigned', 'unassigned')", name="ck_deal_events_action_valid"),
    )
    op.create_index("idx_deal_events_deal_id_created_at", "deal_events", ["deal_id", "created_at"])
    # Append-only, like draft_events: no row of the audit trail is changed or removed.
    op.execute("CREATE FUNCTION deal_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
               "RAISE EXCEPTION 'deal_events is append-only' USING ERRCODE = 'insufficient_privilege'; END $$")
    op.execute("CREATE TRIGGER deal_events_append_only BEFORE UPDATE OR DELETE ON deal_events "
               "FOR EACH ROW EXECUTE FUNCTION deal_events_append_only()")

    op.create_table(
        "web_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("handoff_hash", sa.String(64)),
        sa.Column("handoff_expires_at", sa.DateTime(timezone=True)),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
        sa.Column("revoked_reason", sa.String(30)),
        sa.Column("user_agent", sa.String(255)),
        sa.PrimaryKeyConstraint("id", name="web_sessions_pkey"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="web_sessions_user_id_users_id_fk"),
        sa.UniqueConstraint("token_hash", name="uq_web_sessions_token_hash"),
        sa.CheckConstraint("revoked_reason IS NULL OR revoked_reason IN ('signed_out', 'disabled', 'role_changed', "
                           "'password_changed')", name="ck_web_sessions_revoked_reason_valid"),
        sa.CheckConstraint("(revoked_at IS NULL) = (revoked_reason IS NULL)",
                           name="ck_web_sessions_revoked_with_reason"),
    )
    op.create_index("uq_web_sessions_handoff_hash", "web_sessions", ["handoff_hash"], unique=True,
                    postgresql_where=sa.text("handoff_hash IS NOT NULL"))
    op.create_index("idx_web_sessions_user_id", "web_sessions", ["user_id"],
                    postgresql_where=sa.text("revoked_at IS NULL"))

    op.create_table(
        "draft_presence",
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("actor", sa.String(255), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("draft_id", "actor", name="draft_presence_pkey"),
        sa.ForeignKeyConstraint(["draft_id"], ["email_drafts.id"], name="draft_presence_draft_id_email_drafts_id_fk",
                                ondelete="CASCADE"),
    )
    op.create_index("idx_draft_presence_seen_at", "draft_presence", ["seen_at"])

    op.create_table(
        "search_documents",
        sa.Column("kind", sa.String(5), nullable=False),
        sa.Column("ref_id", sa.Integer(), nullable=False),
        sa.Column("deal_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("vector", postgresql.TSVECTOR(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "ref_id", name="search_documents_pkey"),
        sa.CheckConstraint("kind IN ('email', 'draft')", name="ck_search_documents_kind_valid"),
    )
    op.execute(FUNCTIONS_SQL)
    op.execute("SELECT search_documents_rebuild()")  # rows first, then the indexes: far faster at scale
    op.create_index("idx_search_documents_vector", "search_documents", ["vector"], postgresql_using="gin")
    op.create_index("idx_search_documents_at_kind_ref_id", "search_documents", ["at", "kind", "ref_id"])
    for statement in TRIGGERS:
        op.execute(statement)

    facts, rebuild = _analytics_amended(_rollups_0011())
    op.execute(facts)
    op.execute(rebuild)
    # Only refinements carried a prompt so far, so the rollups stand; rebuild them if any draft says otherwise.
    op.execute(f"""DO $$ BEGIN
        IF EXISTS (SELECT 1 FROM email_drafts d WHERE jsonb_typeof(d.draft_versions) = 'array'
                   AND {OLD_REFINEMENTS} <> {NEW_REFINEMENTS}) THEN
            PERFORM analytics_rollup_rebuild();
        END IF;
    END $$""")
    op.execute("DROP TRIGGER analytics_event_added ON draft_events")
    op.execute(_event_trigger(f"WHEN (NEW.action <> {OPENED}) "))


def downgrade() -> None:
    m = _rollups_0011()
    op.execute("DROP TRIGGER analytics_event_added ON draft_events")
    op.execute(_event_trigger(""))
    op.execute(_function(m.TRIGGERS, "analytics_rollup_rebuild"))
    op.execute(_function(m.HELPERS, "analytics_draft_facts"))
    # The rollups go back to 0011's definitions (opened events and hand edits counted as 0011 counts them).
    op.execute("SELECT analytics_rollup_rebuild()")

    for name, table in TRIGGER_NAMES:
        op.execute(f"DROP TRIGGER {name} ON {table}")
    for signature in FUNCTION_SIGNATURES:
        op.execute(f"DROP FUNCTION {signature}")
    op.drop_table("search_documents")
    op.drop_table("draft_presence")
    op.drop_table("web_sessions")
    op.drop_table("deal_events")
    op.execute("DROP FUNCTION deal_events_append_only()")
    op.drop_index("idx_deals_owner_id", table_name="deals")
    op.drop_constraint("deals_owner_id_users_id_fk", "deals", type_="foreignkey")
    op.drop_column("deals", "owner_id")
