"""Every role × every action, through the services and through the CLI.

An allowed call succeeds; a refused one raises PermissionDenied (CLI: exit 30, one line)
and leaves every table exactly as it was.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import Connection, Engine, text
from sqlalchemy.orm import Session

from echo_core.db.models import Base, DraftEvent
from echo_core.errors import PermissionDenied
from echo_core.export import audit_csv_bytes, dataframe_to_csv_bytes, table_csv_bytes, write_csv
from echo_core.mail.ingest import ingest_uploads
from echo_core.mail.outbox import retry_delivery
from echo_core.permissions import ALLOWED, Action, Actor, Role
from echo_core.queries import analytics, audit, monitoring
from echo_core.services import accounts, deals, drafts, generation, spaces
from tests.factories import make_deal, make_deal_space, make_draft, make_email, make_space, make_user
from tests.integration.conftest import Run

BODY = "Hi! Yes, the space is dog friendly. Parking is $250/month."
RAW = (b"From: Nia <nia@nova.example>\r\nTo: agent@tandem.space\r\nSubject: Office\r\n"
       b"Message-ID: <p1@nova.example>\r\n\r\nHi")


@dataclass
class World:
    deal: int
    space: int
    other_space: int
    email: int
    pending: int
    approved: int
    archived: int
    outbox: int
    user: str


def fingerprint(conn: Connection) -> dict[str, str]:
    """A digest of every row of every table: equal digests, nothing changed."""
    return {
        table.name: conn.execute(text(
            f'SELECT md5(coalesce(string_agg(t::text, \'|\' ORDER BY t::text), \'\')) FROM "{table.name}" t'
        )).scalar_one()
        for table in Base.metadata.sorted_tables
    }


def build_world(session: Session) -> World:
    deal = make_deal(session)
    space = make_space(session)
    make_deal_space(session, deal=deal, space=space)
    inbound = make_email(session, deal=deal)

    def draft(**overrides: Any) -> int:
        return make_draft(session, deal=deal, inbound=make_email(session, deal=deal), body=BODY, **overrides).id

    lead = Actor("setup@tandem.space", Role.LEAD)
    make_user(session, email=lead.email, role="lead")  # services re-read the acting account
    sent = draft(status="approved")
    drafts.send(session=session, draft_id=sent, actor=lead)
    session.execute(text("UPDATE outbox SET status = 'failed' WHERE draft_id = :d"), {"d": sent})
    outbox = session.execute(text("SELECT id FROM outbox WHERE draft_id = :d"), {"d": sent}).scalar_one()
    archived = draft(status="archived", archived_from_status="pending", archived_at=datetime.now(UTC),
                     archive_category="duplicate")
    user = make_user(session, email="target@tandem.space", role="broker").email
    return World(deal=deal.id, space=space.id, other_space=make_space(session).id, email=inbound.id,
                 pending=draft(), approved=draft(status="approved"),
                 archived=archived, outbox=outbox, user=user)


Call = Callable[[Session, Actor, World], object]
TODAY = date.today()
PERIOD = {"start": TODAY - timedelta(days=30), "end": TODAY}

CALLS: dict[str, tuple[Action, Call]] = {
    "approve": (Action.REVIEW_DRAFTS, lambda s, a, w: drafts.approve(
        session=s, draft_id=w.pending, actor=a, override_failed_validation=True)),
    "edit": (Action.REVIEW_DRAFTS, lambda s, a, w: drafts.edit(session=s, draft_id=w.pending, actor=a, body="New")),
    "refine": (Action.REVIEW_DRAFTS, lambda s, a, w: drafts.refine(
        session=s, draft_id=w.pending, actor=a, prompt="Shorter")),
    "use_version": (Action.REVIEW_DRAFTS, lambda s, a, w: drafts.use_version(
        session=s, draft_id=w.pending, actor=a, version=0)),
    "send": (Action.REVIEW_DRAFTS, lambda s, a, w: drafts.send(session=s, draft_id=w.approved, actor=a)),
    "archive": (Action.REVIEW_DRAFTS, lambda s, a, w: drafts.archive(
        session=s, draft_id=w.pending, actor=a, reason="duplicate")),
    "restore": (Action.REVIEW_DRAFTS, lambda s, a, w: drafts.restore(session=s, draft_id=w.archived, actor=a)),
    "generate": (Action.REVIEW_DRAFTS, lambda s, a, w: generation.generate_draft(
        session=s, inbound_email_id=w.email, actor=a)),
    "revalidate": (Action.REVIEW_DRAFTS, lambda s, a, w: generation.revalidate_draft(
        session=s, draft_id=w.pending, actor=a)),
    "retry_delivery": (Action.REVIEW_DRAFTS, lambda s, a, w: retry_delivery(session=s, outbox_id=w.outbox, actor=a)),
    "create_deal": (Action.EDIT_DEALS, lambda s, a, w: deals.create_deal(
        session=s, actor=a, seeker_name="N", seeker_email="n@x.example", company_name="C", team_size=3,
        monthly_budget=1000)),
    "set_stage": (Action.EDIT_DEALS, lambda s, a, w: deals.set_stage(
        session=s, deal_id=w.deal, stage="touring", actor=a)),
    "link_space": (Action.EDIT_DEALS, lambda s, a, w: deals.link_space(
        session=s, deal_id=w.deal, space_id=w.other_space, actor=a)),
    "set_deal_space_status": (Action.EDIT_DEALS, lambda s, a, w: deals.set_deal_space_status(
        session=s, deal_id=w.deal, space_id=w.space, status="interested", actor=a)),
    "create_space": (Action.EDIT_DEALS, lambda s, a, w: spaces.create_space(
        session=s, actor=a, name="S", address="1 Main St", host_company="H", host_email="h@x.example",
        monthly_rate=100)),
    "update_space": (Action.EDIT_DEALS, lambda s, a, w: spaces.update_space(
        session=s, space_id=w.space, actor=a, monthly_rate=1)),
    "ingest_mail": (Action.EDIT_DEALS, lambda s, a, w: ingest_uploads(session=s, uploads=[("a.eml", RAW)], actor=a)),
    "export_table": (Action.EXPORT, lambda s, a, w: write_csv(s.connection(), "deals", io.StringIO(), actor=a)),
    "export_download": (Action.EXPORT, lambda s, a, w: table_csv_bytes(s.connection(), "spaces", actor=a)),
    "export_frame": (Action.EXPORT, lambda s, a, w: dataframe_to_csv_bytes(pd.DataFrame({"a": [1]}), actor=a)),
    "kpis": (Action.VIEW_ANALYTICS, lambda s, a, w: analytics.kpis(s.connection(), **PERIOD, actor=a)),
    "breakdowns": (Action.VIEW_ANALYTICS, lambda s, a, w: analytics.breakdowns(s.connection(), **PERIOD, actor=a)),
    "activity": (Action.VIEW_ANALYTICS, lambda s, a, w: analytics.broker_activity(s.connection(), **PERIOD,
                                                                                  actor=a)),
    "add_account": (Action.MANAGE_ACCOUNTS, lambda s, a, w: accounts.create_account(
        session=s, actor=a, email="new@tandem.space", role="broker")),
    "list_accounts": (Action.MANAGE_ACCOUNTS, lambda s, a, w: accounts.list_accounts(session=s, actor=a)),
    "set_role": (Action.MANAGE_ACCOUNTS, lambda s, a, w: accounts.set_role(
        session=s, actor=a, email=w.user, role="analyst")),
    "disable": (Action.MANAGE_ACCOUNTS, lambda s, a, w: accounts.set_active(
        session=s, actor=a, email=w.user, active=False)),
    "set_password": (Action.MANAGE_ACCOUNTS, lambda s, a, w: accounts.set_password(
        session=s, actor=a, email=w.user, password="a long new password")),
    "monitoring": (Action.VIEW_MONITORING, lambda s, a, w: monitoring.monitoring(s.connection(), actor=a)),
    "audit_list": (Action.VIEW_AUDIT, lambda s, a, w: audit.entries(s.connection(), actor=a)),
    "audit_csv": (Action.VIEW_AUDIT, lambda s, a, w: audit_csv_bytes(s.connection(), actor=a)),
}


def test_the_role_table_is_the_issues_table() -> None:
    broker = {Action.READ, Action.REVIEW_DRAFTS, Action.EDIT_DEALS, Action.VIEW_ANALYTICS, Action.EXPORT}
    assert ALLOWED[Role.BROKER] == broker
    assert ALLOWED[Role.LEAD] == broker | {Action.VIEW_ALL_BROKERS, Action.MANAGE_ACCOUNTS, Action.VIEW_MONITORING,
                                           Action.VIEW_AUDIT}
    assert ALLOWED[Role.ANALYST] == {Action.READ, Action.VIEW_ANALYTICS, Action.VIEW_ALL_BROKERS, Action.EXPORT}


def test_every_action_that_needs_a_permission_is_exercised() -> None:
    assert {action for action, _ in CALLS.values()} == set(Action) - {Action.READ, Action.VIEW_ALL_BROKERS}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("name", list(CALLS))
def test_each_role_may_do_exactly_what_its_table_allows(session: Session, role: Role, name: str) -> None:
    world = build_world(session)
    action, call = CALLS[name]
    actor = Actor(f"{role.value}@tandem.space", role)
    if actor.may(action):
        call(session, actor, world)  # allowed: it simply works
        return
    before = fingerprint(session.connection())
    with pytest.raises(PermissionDenied, match=f"signed in as {role.value} and may not {action.value}"):
        call(session, actor, world)
    assert fingerprint(session.connection()) == before


def test_a_broker_sees_analytics_of_their_own_work_and_a_lead_or_analyst_sees_everyone(session: Session) -> None:
    now = datetime.now(UTC)
    mine, theirs = make_draft(session, created_at=now), make_draft(session, created_at=now)
    for draft, who in ((mine, "maya@tandem.space"), (theirs, "leo@tandem.space")):
        session.add(DraftEvent(draft_id=draft.id, actor=who, action="approve", created_at=now))
    session.flush()
    # The range ends on the drafts' own UTC day: a module-level date taken before midnight would miss them.
    period = {"start": now.date() - timedelta(days=30), "end": now.date()}
    maya = Actor("maya@tandem.space", Role.BROKER)
    everyone = analytics.kpis(session.connection(), **period, actor=Actor("a@tandem.space", Role.ANALYST)).written
    assert analytics.kpis(session.connection(), **period, actor=maya).written == 1
    assert analytics.kpis(session.connection(), **period, actor=Actor("l@tandem.space", Role.LEAD)).written == everyone
    assert everyone >= 2
    brokers = set(analytics.broker_activity(session.connection(), **period, actor=maya)["broker"])
    assert brokers == {"maya@tandem.space"}
    lead_view = analytics.broker_activity(session.connection(), **period, actor=Actor("l@tandem.space", Role.LEAD))
    assert {"maya@tandem.space", "leo@tandem.space"} <= set(lead_view["broker"])


# --- the CLI: --by names an account, and its role is applied ---------------------------------
@pytest.fixture
def cli(cli: Run) -> Callable[..., tuple[int, str]]:
    """The shared in-process CLI, keeping only the exit code and stderr."""

    def run(*args: str) -> tuple[int, str]:
        code, _, err = cli(*args)
        return code, err

    return run


CLI_COMMANDS: list[tuple[Action, Callable[[World], list[str]]]] = [
    (Action.REVIEW_DRAFTS, lambda w: ["drafts", "approve", str(w.pending), "--override-validation"]),
    (Action.REVIEW_DRAFTS, lambda w: ["drafts", "edit", str(w.pending), "--body-file", "-"]),
    (Action.REVIEW_DRAFTS, lambda w: ["drafts", "refine", str(w.pending), "--prompt", "Warmer"]),
    (Action.REVIEW_DRAFTS, lambda w: ["drafts", "use-version", str(w.pending), "0"]),
    (Action.REVIEW_DRAFTS, lambda w: ["drafts", "send", str(w.approved)]),
    (Action.REVIEW_DRAFTS, lambda w: ["drafts", "archive", str(w.pending), "--reason", "duplicate"]),
    (Action.REVIEW_DRAFTS, lambda w: ["drafts", "restore", str(w.archived)]),
    (Action.REVIEW_DRAFTS, lambda w: ["drafts", "generate", "--email-id", str(w.email)]),
    (Action.REVIEW_DRAFTS, lambda w: ["drafts", "validate", str(w.pending)]),
    (Action.REVIEW_DRAFTS, lambda w: ["mail", "retry", str(w.outbox)]),
    (Action.EXPORT, lambda w: ["export", "deals", "--out", "-"]),
]


@pytest.mark.parametrize("role", list(Role))
def test_the_cli_applies_the_role_of_the_by_account(cli: Callable[..., tuple[int, str]], fresh_engine: Engine,
                                                    role: Role, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("A new body from stdin."))
    actor = Actor(f"{role.value}@tandem.space", role)
    for action, command in CLI_COMMANDS:
        with Session(fresh_engine) as session:
            if not session.scalar(text("SELECT count(*) FROM users WHERE email = :e"), {"e": actor.email}):
                make_user(session, email=actor.email, role=role.value)
            world = build_world(session)
            session.execute(text("DELETE FROM users WHERE email = 'target@tandem.space'"))
            session.commit()
        args = [*command(world), "--by", actor.email]
        with fresh_engine.connect() as conn:
            before = fingerprint(conn)
        code, err = cli(*args)
        if actor.may(action):
            assert code == 0, (args, err)
        else:
            assert code == 30 and len(err.strip().splitlines()) == 1, (args, err)
            assert f"may not {action.value}" in err
            with fresh_engine.connect() as conn:
                assert fingerprint(conn) == before, args
