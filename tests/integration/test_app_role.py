"""Production roles on the embedded server: the app's role owns nothing, changes no schema, deletes nothing,
and every service still works through it; migrations run as the owner (ECHO_MIGRATION_DATABASE_URL)."""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ProgrammingError
from sqlalchemy.orm import Session

from echo_core.cli import common, main
from echo_core.cli import db as db_cli
from echo_core.config import reload_settings
from echo_core.db import migrate
from echo_core.db.engine import make_engine
from echo_core.db.models import Base
from echo_core.db.roles import APP_GRANTS
from echo_core.errors import InvalidInput
from echo_core.export import write_csv
from echo_core.permissions import Actor, Role
from echo_core.queries import analytics
from echo_core.queries import deals as deal_queries
from echo_core.services import accounts, drafts, generation
from echo_core.services import deals as deal_services
from tests.dbutil import admin_url_for
from tests.factories import make_deal, make_deal_space, make_email, make_space

LEAD = Actor("lead@tandem.space", Role.LEAD)


@pytest.fixture
def app_role(fresh_db_url: str, monkeypatch: pytest.MonkeyPatch,
             capsys: pytest.CaptureFixture[str]) -> Iterator[tuple[str, str]]:
    """A fresh login role with the app's grants (made by the CLI, as the owner); dropped afterwards."""
    role = f"echo_app_{uuid.uuid4().hex[:8]}"
    monkeypatch.setenv("DATABASE_URL", fresh_db_url)
    monkeypatch.setenv("ECHO_MIGRATION_DATABASE_URL", fresh_db_url)  # the owner
    monkeypatch.setattr(common, "_engine", None)
    monkeypatch.setattr(db_cli, "_owner", None)
    monkeypatch.setattr("sys.stdin", io.StringIO("app-role-password\n"))
    reload_settings()
    assert main(["db", "grant-app-role", role, "--create", "--password-stdin"]) == 0
    assert "statements applied" in capsys.readouterr().out
    app_url = make_url(fresh_db_url).set(username=role, password="app-role-password")
    try:
        yield role, app_url.render_as_string(hide_password=False)
    finally:
        for eng in (common._engine, db_cli._owner):
            if eng is not None:
                eng.dispose()
        with psycopg.connect(admin_url_for(fresh_db_url), autocommit=True) as conn:
            conn.execute(f'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = \'{role}\'')
        with psycopg.connect(make_url(fresh_db_url).set(drivername="postgresql").render_as_string(
                hide_password=False), autocommit=True) as conn:
            conn.execute(f'DROP OWNED BY "{role}"')
            conn.execute(f'DROP ROLE "{role}"')
        monkeypatch.undo()
        reload_settings()


@pytest.fixture
def app_engine(app_role: tuple[str, str]) -> Iterator[Engine]:
    eng = make_engine(app_role[1])
    yield eng
    eng.dispose()


def test_every_table_has_deliberate_app_grants() -> None:
    assert {t.name for t in Base.metadata.sorted_tables} | {"alembic_version"} == set(APP_GRANTS)
    # DELETE only on derived rows kept by triggers (counters, analytics rollups, search documents) and on
    # presence (who has a draft open right now), never on records.
    deletable = {t for t, p in APP_GRANTS.items() if "DELETE" in p}
    derived = {"draft_status_counts", "draft_owner_counts", "search_documents", "draft_presence"}
    assert all(t in derived or t.endswith("_rollup") for t in deletable), deletable
    assert not deletable & {"deals", "spaces", "deal_spaces", "emails", "email_drafts", "draft_events", "outbox",
                            "users", "web_sessions", "deal_events"}
    assert APP_GRANTS["draft_events"] == APP_GRANTS["deal_events"] == APP_GRANTS["audit_log"] == ("SELECT", "INSERT")
    assert APP_GRANTS["web_sessions"] == ("SELECT", "INSERT", "UPDATE")  # revoked, never deleted


def test_the_app_role_owns_nothing(app_role: tuple[str, str], app_engine: Engine) -> None:
    with app_engine.connect() as conn:
        owned = conn.scalar(text("SELECT count(*) FROM pg_tables WHERE tableowner = current_user"))
        assert conn.scalar(text("SELECT current_user")) == app_role[0]
    assert owned == 0


def test_the_services_work_through_the_app_role(app_engine: Engine, fresh_engine: Engine) -> None:
    with Session(app_engine, expire_on_commit=False) as s:
        assert migrate.current_revision(app_engine) == migrate.head_revision()
        deal = make_deal(s)
        make_deal_space(s, deal=deal, space=make_space(s))
        inbound = make_email(s, deal=deal)
        s.commit()
        deal_id, day = deal.id, deal.created_at.date()
        draft_id = generation.generate_draft(session=s, inbound_email_id=inbound.id, actor=LEAD)
        drafts.edit(session=s, draft_id=draft_id, actor=LEAD, body="Hi! Yes, dogs are welcome.")
        drafts.approve(session=s, draft_id=draft_id, actor=LEAD, override_failed_validation=True)
        drafts.send(session=s, draft_id=draft_id, actor=LEAD)
        drafts.archive(session=s, draft_id=draft_id, actor=LEAD, reason="duplicate")
        drafts.restore(session=s, draft_id=draft_id, actor=LEAD)
        deal_services.set_stage(session=s, deal_id=deal_id, stage="touring", actor=LEAD)
        accounts.create_account(session=s, actor=LEAD, email="new@tandem.space", role="broker",
                                password="a long enough password")
        assert accounts.authenticate(session=s, email="new@tandem.space", password="a long enough password")
        accounts.set_active(session=s, actor=LEAD, email="new@tandem.space", active=False)
    with app_engine.connect() as conn:
        assert deal_queries.count_deals(conn, deal_queries.DealFilters()) == 1
        assert analytics.kpis(conn, start=day, end=day, actor=LEAD).sent == 1
        assert write_csv(conn, "events", io.StringIO(), actor=LEAD) >= 6


@pytest.mark.parametrize(
    "statement",
    [
        "CREATE TABLE intruder (id int)",
        "CREATE TEMP TABLE intruder (id int)",
        "DROP TABLE deals",
        "ALTER TABLE deals ADD COLUMN intruder int",
        "CREATE INDEX intruder ON deals (stage)",
        "TRUNCATE email_drafts",
        "DELETE FROM email_drafts",
        "DELETE FROM draft_events",
        "UPDATE draft_events SET actor = 'someone@else.example'",
        "DELETE FROM users",
        "DELETE FROM web_sessions",
        "DELETE FROM deal_events",
        "UPDATE deal_events SET actor = 'someone@else.example'",
        "DELETE FROM audit_log",
        "UPDATE audit_log SET actor = 'someone@else.example'",
        "TRUNCATE audit_log",
        "UPDATE alembic_version SET version_num = '0000'",
    ],
)
def test_the_app_role_may_not_change_the_schema_delete_or_rewrite_history(
    app_engine: Engine, fresh_engine: Engine, statement: str
) -> None:
    with Session(fresh_engine) as s:  # rows to delete, as the owner
        make_deal(s)
        s.commit()
    with pytest.raises(ProgrammingError, match="permission denied|must be owner"), app_engine.begin() as conn:
        conn.execute(text(statement))
    with fresh_engine.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM deals")) == 1
    assert not migrate.drift(fresh_engine)


def test_migrations_run_as_the_owner_while_the_app_connects_as_its_role(
    app_role: tuple[str, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", app_role[1])  # the app's role; the owner stays the migration URL
    monkeypatch.setattr(common, "_engine", None)
    monkeypatch.setattr(db_cli, "_owner", None)
    reload_settings()
    assert main(["db", "downgrade", "0008"]) == 0
    assert main(["db", "upgrade"]) == 0
    assert f"database at revision {migrate.head_revision()}" in capsys.readouterr().out
    monkeypatch.delenv("ECHO_MIGRATION_DATABASE_URL")
    monkeypatch.setattr(common, "_engine", None)
    reload_settings()
    assert main(["db", "downgrade", "0008"]) == 30  # the app's role may not run migrations
    err = capsys.readouterr().err
    assert "ECHO_MIGRATION_DATABASE_URL" in err and len(err.strip().splitlines()) == 1, err


def test_a_bad_role_name_is_refused() -> None:
    from echo_core.db.roles import check_role_name

    with pytest.raises(InvalidInput, match="not a usable role name"):
        check_role_name('app"; DROP ROLE postgres; --')
