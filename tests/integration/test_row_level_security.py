"""Row-level security (issue 15): with ECHO_BROKER_SCOPE=own, PostgreSQL itself limits a broker, connected as
the app role from `db grant-app-role`, to their own (and unassigned) deals and those deals' emails, drafts and
events; leads, analysts, the worker and the CLI (no actor bound) see everything; `team` and the owner role are
not filtered; a role that would not be filtered is refused rather than trusted."""

from __future__ import annotations

import io
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import psycopg
import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ProgrammingError
from sqlalchemy.orm import Session

from echo_core.cli import common, main
from echo_core.cli import db as db_cli
from echo_core.config import reload_settings
from echo_core.db import scope
from echo_core.db.engine import make_engine
from echo_core.errors import DraftNotFound, PermissionDenied
from echo_core.permissions import Actor, Role
from echo_core.services import drafts
from tests.factories import make_deal, make_draft, make_email, make_user

APP_PASSWORD = "app-role-password-42"


def _libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _grant(url: str, scope_setting: str, monkeypatch: pytest.MonkeyPatch, *args: str) -> None:
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("ECHO_MIGRATION_DATABASE_URL", url)
    monkeypatch.setenv("ECHO_BROKER_SCOPE", scope_setting)
    monkeypatch.setattr(common, "_engine", None)
    monkeypatch.setattr(db_cli, "_owner", None)
    monkeypatch.setattr("sys.stdin", io.StringIO(APP_PASSWORD + "\n"))
    reload_settings()
    assert main(["db", "grant-app-role", *args]) == 0
    for eng in (common._engine, db_cli._owner):
        if eng is not None:
            eng.dispose()


@pytest.fixture
def world(fresh_db_url: str, fresh_engine: Engine) -> dict[str, Any]:
    """Two brokers, a lead; a deal each broker owns and an unassigned one, each with an email and a draft."""
    with Session(fresh_engine, expire_on_commit=False) as s:
        ana, ben = make_user(s, email="ana@tandem.space"), make_user(s, email="ben@tandem.space")
        lead = make_user(s, email="lead@tandem.space", role="lead")
        deals = {"ana": make_deal(s, owner_id=ana.id), "ben": make_deal(s, owner_id=ben.id), "free": make_deal(s)}
        found: dict[str, Any] = {"users": {"ana": ana.id, "ben": ben.id, "lead": lead.id}, "deals": {},
                                 "drafts": {}}
        for who, deal in deals.items():
            draft = make_draft(s, deal=deal, inbound=make_email(s, deal=deal))
            found["deals"][who], found["drafts"][who] = deal.id, draft.id
        s.commit()
    return found


@pytest.fixture
def app_engine_for(fresh_db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], Engine]]:
    """`app_engine_for("own" | "team")`: grant-app-role run with that scope, then an engine as the app role."""
    role = f"echo_app_{uuid.uuid4().hex[:8]}"
    made: list[Engine] = []

    def make(scope_setting: str) -> Engine:
        _grant(fresh_db_url, scope_setting, monkeypatch, role, *(["--create"] if not made else []),
               "--password-stdin")
        engine = make_engine(make_url(fresh_db_url).set(username=role, password=APP_PASSWORD)
                             .render_as_string(hide_password=False))
        made.append(engine)
        return engine

    yield make
    for engine in made:
        engine.dispose()
    with psycopg.connect(_libpq(fresh_db_url), autocommit=True) as conn:
        conn.execute(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '{role}'")
        conn.execute(f'DROP OWNED BY "{role}"')
        conn.execute(f'DROP ROLE IF EXISTS "{role}"')
    monkeypatch.undo()
    reload_settings()


def ids(engine: Engine, sql: str) -> set[int]:
    with engine.connect() as conn:
        return {int(r[0]) for r in conn.execute(text(sql))}


def test_a_broker_reads_only_their_own_and_unassigned_deals_emails_and_drafts(
    world: dict[str, Any], app_engine_for: Callable[[str], Engine]
) -> None:
    app = app_engine_for("own")
    d, x, u = world["deals"], world["drafts"], world["users"]
    with scope.acting_as(u["ana"], "broker"):
        assert ids(app, "SELECT id FROM deals") == {d["ana"], d["free"]}
        assert ids(app, "SELECT deal_id FROM emails") == {d["ana"], d["free"]}
        assert ids(app, "SELECT id FROM email_drafts") == {x["ana"], x["free"]}
        assert ids(app, f"SELECT id FROM email_drafts WHERE id = {x['ben']}") == set()  # not even by its id
        assert ids(app, "SELECT deal_id FROM search_documents") <= {d["ana"], d["free"]}
        with app.begin() as conn:  # writing across the boundary touches nothing
            assert conn.execute(text(f"UPDATE deals SET stage = 'touring' WHERE id = {d['ben']}")).rowcount == 0
    with scope.acting_as(u["ben"], "broker"):
        assert ids(app, "SELECT id FROM deals") == {d["ben"], d["free"]}
    for role in ("lead", "analyst"):
        with scope.acting_as(u["lead"], role):
            assert ids(app, "SELECT id FROM deals") == set(d.values())
    assert ids(app, "SELECT id FROM email_drafts") == set(x.values())  # nobody bound: the worker, the CLI


def test_a_broker_cannot_add_an_email_to_a_deal_they_do_not_own(
    world: dict[str, Any], app_engine_for: Callable[[str], Engine]
) -> None:
    app = app_engine_for("own")
    with scope.acting_as(world["users"]["ana"], "broker"), pytest.raises(ProgrammingError, match="row-level"):
        with app.begin() as conn:
            conn.execute(text("INSERT INTO emails (deal_id, \"from\", \"to\", subject, body, sent_at, ai_generated) "
                              f"VALUES ({world['deals']['ben']}, 'x@example.com', 'a@tandem.space', 's', 'b', "
                              "now(), false)"))


def test_the_services_refuse_another_brokers_draft_as_not_found(
    world: dict[str, Any], app_engine_for: Callable[[str], Engine]
) -> None:
    app = app_engine_for("own")
    ana = Actor("ana@tandem.space", Role.BROKER)
    with scope.acting_as(world["users"]["ana"], "broker"), Session(app, expire_on_commit=False) as s:
        drafts.edit(session=s, draft_id=world["drafts"]["ana"], actor=ana, body="Hi! Yes, dogs are welcome here.")
        with pytest.raises(DraftNotFound):
            drafts.edit(session=s, draft_id=world["drafts"]["ben"], actor=ana, body="Hijacked reply text here.")


def test_team_scope_and_the_owner_role_are_not_filtered(
    world: dict[str, Any], app_engine_for: Callable[[str], Engine], fresh_db_url: str
) -> None:
    own = app_engine_for("own")
    with psycopg.connect(_libpq(fresh_db_url)) as conn:  # the owner (migrations, backups), settings and all
        conn.execute("SELECT set_config('echo.broker_scope', 'own', true), set_config('echo.actor_role', 'broker', "
                     "true), set_config('echo.actor_id', %s, true)", (str(world["users"]["ana"]),))
        assert len(conn.execute("SELECT id FROM deals").fetchall()) == 3
        enabled = conn.execute("SELECT bool_and(relrowsecurity), bool_or(relforcerowsecurity) FROM pg_class "
                               "WHERE relname = ANY(%s)", (list(scope.SCOPED_TABLES),)).fetchone()
    assert enabled == (True, False)  # on for the app role, never forced on the owner
    own.dispose()
    team = app_engine_for("team")  # grant-app-role again with team: row-level security off
    with scope.acting_as(world["users"]["ana"], "broker"):
        assert ids(team, "SELECT id FROM deals") == set(world["deals"].values())


def test_own_scope_refuses_a_role_that_would_not_be_filtered(
    world: dict[str, Any], fresh_db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ECHO_BROKER_SCOPE", "own")
    reload_settings()
    owner = make_engine(fresh_db_url)  # the embedded server's superuser: RLS never applies to it
    try:
        with scope.acting_as(world["users"]["ana"], "broker"), pytest.raises(PermissionDenied, match="superuser"):
            ids(owner, "SELECT id FROM deals")
    finally:
        owner.dispose()
        monkeypatch.undo()
        reload_settings()


def test_cached_reads_are_never_shared_between_brokers_in_own_scope(monkeypatch: pytest.MonkeyPatch) -> None:
    from ui.scoped_cache import cached_read

    calls: list[int | None] = []

    @cached_read(ttl=60)
    def whose(key: str) -> int | None:
        acting = scope.current()
        calls.append(acting.user_id if acting else None)
        return calls[-1]

    whose.clear()
    monkeypatch.setenv("ECHO_BROKER_SCOPE", "own")
    reload_settings()
    try:
        with scope.acting_as(1, "broker"):
            assert whose("deals") == 1
        with scope.acting_as(2, "broker"):
            assert whose("deals") == 2  # not broker 1's frame
        with scope.acting_as(3, "lead"):
            assert whose("deals") == 3
        with scope.acting_as(4, "lead"):
            assert whose("deals") == 3  # leads see every row: the cache is shared among them
        with scope.acting_as(2, "broker"):
            assert whose("deals") == 2
    finally:
        monkeypatch.undo()
        reload_settings()
    assert calls == [1, 2, 3, 2]


def test_a_broker_reads_only_their_own_and_the_unassigned_owner_counts_and_the_queue_counts_stay_the_same(
    world: dict[str, Any], fresh_engine: Engine, app_engine_for: Callable[[str], Engine]
) -> None:
    from echo_core.queries import review
    from echo_core.services.ownership import assign_deal

    app = app_engine_for("own")
    u = world["users"]
    views = {"mine": review.QueueFilters(owner_view="mine", viewer_email="ana@tandem.space"),
             "unassigned": review.QueueFilters(owner_view="unassigned")}
    unscoped = {view: review.status_counts(fresh_engine, f) for view, f in views.items()}
    with scope.acting_as(u["ana"], "broker"):
        with app.connect() as conn:  # revision 0019's summary: never another owner's row
            owners = {r[0] for r in conn.execute(text("SELECT owner_id FROM draft_owner_counts"))}
        assert owners == {u["ana"], None}
        assert {view: review.status_counts(app, f) for view, f in views.items()} == unscoped
        with Session(app, expire_on_commit=False) as s:  # taking a deal writes deltas the policy allows
            assign_deal(session=s, deal_id=world["deals"]["free"], actor=Actor("ana@tandem.space", Role.BROKER))
        assert review.status_counts(app, views["mine"])["pending"] == unscoped["mine"]["pending"] + 1
        assert review.status_counts(app, views["unassigned"])["pending"] == unscoped["unassigned"]["pending"] - 1
    with fresh_engine.connect() as conn:
        kept = conn.execute(text("SELECT owner_id, status, sum(drafts) FROM draft_owner_counts "
                                 "GROUP BY owner_id, status HAVING sum(drafts) <> 0")).all()
        counted = conn.execute(text("SELECT deals.owner_id, d.status, count(*) FROM email_drafts d "
                                    "JOIN deals ON deals.id = d.deal_id GROUP BY deals.owner_id, d.status")).all()
    assert {(r[0], r[1]): int(r[2]) for r in kept} == {(r[0], r[1]): int(r[2]) for r in counted}
