"""Production database roles: the app connects as a role that owns nothing and may do only this.

Migrations run as the owner (ECHO_MIGRATION_DATABASE_URL); the app's DATABASE_URL names a
role set up by `python -m echo_core db grant-app-role ROLE`, which gets exactly APP_GRANTS:
no DDL (it owns no table and may not create in the schema), no DELETE (but on derived rows kept by
triggers, and on presence), and the audit trail (draft_events) is append-only. Run it again after
every migration: tables a migration creates (or re-creates) start with no grants.

The role's password never reaches the server in clear (issue 15): the statement carries a SCRAM-SHA-256
verifier computed here (libpq's PQencryptPasswordConn), so neither the server log (`log_statement`, or
`log_min_error_statement` when a statement fails) nor pg_stat_statements can hold it. The role's existence is
checked first, so `--create` on an existing role fails before any statement naming a password is sent.
"""

from __future__ import annotations

import re
from typing import Any

import psycopg
from psycopg import sql
from sqlalchemy import Engine

from echo_core.db.engine import readable_db_errors
from echo_core.db.models import Base
from echo_core.db.scope import SCOPED_TABLES
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
    # The same per (deal owner, status) (revision 0019), kept by triggers on email_drafts and deals; row-level
    # security (broker_scope) limits a broker in `own` scope to their own and the unassigned rows.
    "draft_owner_counts": ("SELECT", "INSERT", "DELETE"),
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
    # Revision 0014: the general audit trail is append-only (a trigger refuses UPDATE/DELETE/TRUNCATE too).
    "audit_log": ("SELECT", "INSERT"),
    # Revision 0015: spaces per amenity key, kept by a trigger on spaces with the writer's privileges (upsert and
    # decrement; a key no space carries any more stays at 0).
    "space_amenity_flags": ("SELECT", "INSERT", "UPDATE"),
    # Revision 0016: failed sign-ins by address and by client address; rows are reset, never deleted.
    "sign_in_throttle": ("SELECT", "INSERT", "UPDATE"),
    "alembic_version": ("SELECT",),  # the app checks the schema revision, migrations change it
}
ROLE_PASSWORD_MIN = 12
_ROLE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def check_role_name(role: str) -> str:
    if not _ROLE.match(role or ""):
        raise InvalidInput(f"'{(role or '')[:64]}' is not a usable role name — use lower-case letters, digits and _.")
    return role


def check_role_password(password: str) -> str:
    """The password if usable; InvalidInput naming the rule otherwise (never echoing the password)."""
    if not password:
        raise InvalidInput("The role password is empty — pipe a password of at least 12 characters to "
                           "--password-stdin.")
    if any(ord(c) < 32 or ord(c) == 127 for c in password):
        raise InvalidInput("The role password contains a control character — use printable characters only.")
    if len(password) < ROLE_PASSWORD_MIN:
        raise InvalidInput(f"The role password is shorter than {ROLE_PASSWORD_MIN} characters — use a longer one.")
    if len(password) > 1024:
        raise InvalidInput("The role password is longer than 1024 characters — use a shorter one.")
    return password


def scram_verifier(raw: psycopg.Connection[Any], role: str, password: str) -> str:
    """`SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`, computed on this side (RFC 5802/7677)."""
    verifier: bytes = raw.pgconn.encrypt_password(password.encode("utf-8"), role.encode("utf-8"), b"scram-sha-256")
    if not verifier.startswith(b"SCRAM-SHA-256$"):  # never send something the server would store as given
        raise InvalidInput("libpq did not produce a SCRAM-SHA-256 verifier — upgrade libpq (psycopg[binary]).")
    return verifier.decode("ascii")


def grant_statements(role: str, *, database: str, password: str | None = None,
                     create: bool = False) -> list[sql.Composed]:
    """The statements, in order: (create,) strip every privilege, then grant exactly APP_GRANTS.

    `password` here is the SCRAM verifier (`scram_verifier`), never the clear password.
    """
    if password is not None and not password.startswith("SCRAM-SHA-256$"):
        raise InvalidInput("Only a SCRAM-SHA-256 verifier may be sent as a role password.")
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


def scope_statements(own: bool) -> list[sql.Composed]:
    """Row-level security on the broker_scope tables: on for ECHO_BROKER_SCOPE=own, off for team."""
    verb = sql.SQL("ENABLE" if own else "DISABLE")
    return [sql.SQL("ALTER TABLE {} {} ROW LEVEL SECURITY").format(sql.Identifier(t), verb) for t in SCOPED_TABLES]


def grant_app_role(engine: Engine, role: str, *, password: str | None = None, create: bool = False,
                   own_scope: bool = False) -> int:
    """Apply the grants as the owner (the engine must connect as the tables' owner); returns how many ran.

    `own_scope` switches row-level security on for the broker_scope tables (off otherwise).
    """
    database = engine.url.database or ""
    check_role_name(role)
    if password is not None:
        check_role_password(password)
    with readable_db_errors(engine), engine.begin() as conn:
        raw = conn.connection.driver_connection
        assert raw is not None
        exists = raw.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone() is not None
        if create and exists:
            raise InvalidInput(f"The role {role} already exists — run it again without --create (add "
                               "--password-stdin to change its password).")
        if not create and not exists:
            raise InvalidInput(f"The role {role} does not exist — add --create to create it (with "
                               "--password-stdin to give it a password).")
        if own_scope:
            policies = raw.execute("SELECT count(*) FROM pg_policies WHERE policyname = 'broker_scope' "
                                   "AND tablename = ANY(%s)", (list(SCOPED_TABLES),)).fetchone()
            if policies is None or policies[0] != len(SCOPED_TABLES):
                raise InvalidInput("ECHO_BROKER_SCOPE=own needs the row-level security policies of revision 0016 "
                                   "— run `python -m echo_core db upgrade` first.")
        verifier = scram_verifier(raw, role, password) if password is not None else None
        statements = grant_statements(role, database=database, password=verifier, create=create)
        statements += scope_statements(own_scope)
        try:
            for statement in statements:
                raw.execute(statement)  # composed with psycopg.sql: identifiers and literals quoted
        except psycopg.Error as error:
            reason = str(error).splitlines()[0][:200]
            raise InvalidInput(f"Granting the app role failed: {reason} — run it as the tables' owner "
                               "(ECHO_MIGRATION_DATABASE_URL); drop --create if the role exists.") from None
    return len(statements)
