"""Production database roles: the app connects as a role that owns nothing and may do only this.

Migrations run as the owner (ECHO_MIGRATION_DATABASE_URL); the app's DATABASE_URL names a
role set up by `python -m echo_core db grant-app-role ROLE`, which gets exactly APP_GRANTS:
no DDL (it owns no table and may not create in the schema), no DELETE (but on derived rows kept by
triggers, and on presence), and the audit trail (draft_events) is append-only. Run it again after
every migration: tables a migration creates (or re-creates) start with no grants.
"""

from __future__ import annotations

import re

import psycopg
from psycopg import sql
from sqlalchemy import Engine

from echo_core.db.engine import readable_db_errors
from echo_core.db.models import Base
from echo_core.errors import InvalidInput

# SELECT … FOR UPDATE needs UPDATE, so every table the services lock has it.
APP_GRANTS: dict[str, tuple[str, ...]] = {
    "deals": ("SELECT", "INSERT", "UPDATE"),
    "spaces": ("SELECT", "INSERT", "UPDATE"),
    "deal_spaces": ("SELECT", "INSERT", "UPDATE"),
    "emails": ("SELECT", "INSERT", "UPDATE"),
    "email_drafts": ("SELECT", "INSERT", "UPDATE"),  # archived, never deleted
    "draft_events": ("SELECT", "INSERT"),  # the audit trail: append-only
    "outbox": ("SELECT", "INSERT", "UPDATE"),
    "users": ("SELECT", "INSERT", "UPDATE"),  # accounts are disabled, never deleted
    # A derived counter kept by a trigger on email_drafts (revision 0010); the trigger runs with the
    # writer's privileges and now and then folds the delta rows (DELETE + INSERT): counts, not drafts.
    "draft_status_counts": ("SELECT", "INSERT", "DELETE"),
    # Analytics rollups (revision 0011), kept by triggers that run with the writer's privileges: they add
    # to rollup rows (SELECT … FOR UPDATE SKIP LOCKED, UPDATE), insert new ones and drop rows summing to zero.
    "analytics_draft_brokers": ("SELECT", "INSERT"),
    "analytics_draft_rollup": ("SELECT", "INSERT", "UPDATE", "DELETE"),
    "analytics_duration_rollup": ("SELECT", "INSERT", "UPDATE", "DELETE"),
    "analytics_activity_rollup": ("SELECT", "INSERT", "UPDATE", "DELETE"),
    "analytics_time_saved_rollup": ("SELECT", "INSERT", "UPDATE", "DELETE"),
    # Revision 0012. Deal ownership's audit trail is append-only; sessions are revoked, never deleted.
    "deal_events": ("SELECT", "INSERT"),
    "web_sessions": ("SELECT", "INSERT", "UPDATE"),
    # Presence rows are ephemeral (who has a draft open right now): the heartbeat upserts them, leaving or
    # expiry removes them.
    "draft_presence": ("SELECT", "INSERT", "UPDATE", "DELETE"),
    # Derived, kept by triggers that run with the writer's privileges (upsert; delete with the email/draft).
    "search_documents": ("SELECT", "INSERT", "UPDATE", "DELETE"),
    # The running system (revision 0013): workers update their own heartbeat rows and the shared cursors;
    # backup records are append-only.
    "worker_heartbeats": ("SELECT", "INSERT", "UPDATE"),
    "worker_cursors": ("SELECT", "INSERT", "UPDATE"),
    "backup_runs": ("SELECT", "INSERT"),
    # Revision 0015: spaces per amenity key, kept by a trigger on spaces with the writer's privileges (upsert and
    # decrement; a key no space carries any more stays at 0).
    "space_amenity_flags": ("SELECT", "INSERT", "UPDATE"),
    "alembic_version": ("SELECT",),  # the app checks the schema revision, migrations change it
}
_ROLE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def check_role_name(role: str) -> str:
    if not _ROLE.match(role or ""):
        raise InvalidInput(f"'{(role or '')[:64]}' is not a usable role name — use lower-case letters, digits and _.")
    return role


def grant_statements(role: str, *, database: str, password: str | None = None,
                     create: bool = False) -> list[sql.Composed]:
    """The statements, in order: (create,) strip every privilege, then grant exactly APP_GRANTS."""
    who = sql.Identifier(check_role_name(role))
    missing = {t.name for t in Base.metadata.sorted_tables} - set(APP_GRANTS)
    if missing:  # a new table must be given its grants here deliberately
        raise InvalidInput(f"No app grants are defined for {', '.join(sorted(missing))} — add them to APP_GRANTS.")
    statements: list[sql.Composed] = []
    if create:
        login = sql.SQL(" PASSWORD {}").format(sql.Literal(password)) if password else sql.SQL("")
        statements.append(sql.SQL("CREATE ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT{}")
                          .format(who, login))
    elif password:
        statements.append(sql.SQL("ALTER ROLE {} PASSWORD {}").format(who, sql.Literal(password)))
    statements += [
        sql.SQL("REVOKE CREATE ON SCHEMA public FROM PUBLIC").format(),
        sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {}").format(who),
        sql.SQL("REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {}").format(who),
        sql.SQL("REVOKE CREATE ON SCHEMA public FROM {}").format(who),
        sql.SQL("REVOKE TEMPORARY ON DATABASE {} FROM PUBLIC, {}").format(sql.Identifier(database), who),
        sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(sql.Identifier(database), who),
        sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(who),
        sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(who),
    ]
    for table, privileges in APP_GRANTS.items():
        statements.append(sql.SQL("GRANT {} ON TABLE {} TO {}").format(
            sql.SQL(", ").join(sql.SQL(p) for p in privileges), sql.Identifier(table), who))
    return statements


def grant_app_role(engine: Engine, role: str, *, password: str | None = None, create: bool = False) -> int:
    """Apply the grants as the owner (the engine must connect as the tables' owner); returns how many ran."""
    database = engine.url.database or ""
    statements = grant_statements(role, database=database, password=password, create=create)
    with readable_db_errors(engine), engine.begin() as conn:
        raw = conn.connection.driver_connection
        assert raw is not None
        try:
            for statement in statements:
                raw.execute(statement)  # composed with psycopg.sql: identifiers and literals quoted
        except psycopg.Error as error:
            reason = str(error).splitlines()[0][:200]
            raise InvalidInput(f"Granting the app role failed: {reason} — run it as the tables' owner "
                               "(ECHO_MIGRATION_DATABASE_URL); drop --create if the role exists.") from None
    return len(statements)
