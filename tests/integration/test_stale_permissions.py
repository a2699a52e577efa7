"""Issue 15, defect 1: every write service re-reads the acting account in its own transaction.

A page or a script holds an Actor read earlier (a Mail page left open). When the account has been
disabled or demoted since, every write service refuses with PermissionDenied and writes nothing.
The services are ENUMERATED (every public function of echo_core.services.* and the mail write
modules taking keyword-only `session` and `actor`): a new write service without an entry in CALLS
fails `test_every_write_service_is_covered`, and one without the re-read fails the refusal tests.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

import echo_core.services
from echo_core.errors import NoActiveAccount, PermissionDenied
from echo_core.mail.outbox import enqueue_reply
from echo_core.mail.sources import RawMessage
from echo_core.permissions import Actor, Role
from tests.factories import make_deal, make_deal_space, make_draft, make_email, make_space, make_user

EXTRA_MODULES = ("echo_core.mail.ingest", "echo_core.mail.outbox")
WATCHED = ("deals", "spaces", "deal_spaces", "emails", "email_drafts", "draft_events", "deal_events", "outbox",
           "users", "web_sessions", "audit_log")
EML = b"From: Uma <uma@umbra.example>\nSubject: Studio\nMessage-ID: <stale-1@umbra.example>\n\nA studio for 6?\n"


def write_services() -> dict[str, Callable[..., Any]]:
    names = [f"echo_core.services.{m.name}" for m in pkgutil.iter_modules(echo_core.services.__path__)]
    found: dict[str, Callable[..., Any]] = {}
    for module_name in (*names, *EXTRA_MODULES):
        module = importlib.import_module(module_name)
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("_") or fn.__module__ != module_name:
                continue
            params = inspect.signature(fn).parameters
            keyword = {p for p, v in params.items() if v.kind is inspect.Parameter.KEYWORD_ONLY}
            if {"session", "actor"} <= keyword:
                found[f"{module_name.rsplit('.', 1)[-1]}.{name}"] = fn
    return found


class World:
    """One of each record a write service acts on."""

    def __init__(self, session: Session, tmp_path: Path) -> None:
        self.deal = make_deal(session)
        self.space = make_space(session)
        self.linked = make_space(session)
        make_deal_space(session, deal=self.deal, space=self.linked)
        self.inbound = make_email(session, deal=self.deal)
        self.draft = make_draft(session, deal=self.deal, inbound=self.inbound)
        self.approved = make_draft(session, deal=self.deal, inbound=make_email(session, deal=self.deal),
                                   status="approved")
        self.archived = make_draft(session, deal=self.deal, inbound=make_email(session, deal=self.deal),
                                   status="archived", archived_from_status="pending")
        reply = make_email(session, deal=self.deal, from_addr="agent@tandem.space", to_addr=self.deal.seeker_email)
        self.outbox = enqueue_reply(session, email=reply, draft=None, inbound=None)
        self.outbox.status = "failed"
        self.target = make_user(session, email="target@tandem.space", role="broker")
        self.eml = tmp_path / "one.eml"
        self.eml.write_bytes(EML)
        session.commit()


def _svc(path: str) -> Any:
    module, name = path.rsplit(".", 1)
    full = f"echo_core.mail.{module}" if module in ("ingest", "outbox") else f"echo_core.services.{module}"
    return getattr(importlib.import_module(full), name)


def _call(path: str, **fixed: Any) -> Callable[[Session, Actor, World], Any]:
    """A call of the service at `path` with `fixed` keywords; callables among them get the World."""
    def run(session: Session, actor: Actor, world: World) -> Any:
        values = {k: v(world) if callable(v) else v for k, v in fixed.items()}
        return _svc(path)(session=session, actor=actor, **values)

    return run


BROKER_CALLS: dict[str, Callable[[Session, Actor, World], Any]] = {
    "deals.create_deal": _call("deals.create_deal", seeker_name="S", seeker_email="s@x.example", company_name="C",
                               team_size=3, monthly_budget=1000),
    "deals.set_stage": _call("deals.set_stage", deal_id=lambda w: w.deal.id, stage="touring"),
    "deals.link_space": _call("deals.link_space", deal_id=lambda w: w.deal.id, space_id=lambda w: w.space.id),
    "deals.set_deal_space_status": _call("deals.set_deal_space_status", deal_id=lambda w: w.deal.id,
                                         space_id=lambda w: w.linked.id, status="selected"),
    "spaces.create_space": _call("spaces.create_space", name="N", address="A", host_company="H",
                                 host_email="h@x.example", monthly_rate=5),
    "spaces.update_space": _call("spaces.update_space", space_id=lambda w: w.space.id, monthly_rate=1),
    "ownership.assign_deal": _call("ownership.assign_deal", deal_id=lambda w: w.deal.id),
    "ownership.unassign": _call("ownership.unassign", deal_id=lambda w: w.deal.id),
    "draft_review.edit": _call("draft_review.edit", draft_id=lambda w: w.draft.id, body="New text."),
    "draft_review.approve": _call("draft_review.approve", draft_id=lambda w: w.draft.id,
                                  override_failed_validation=True),
    "draft_review.approve_and_send": _call("draft_review.approve_and_send", draft_id=lambda w: w.draft.id,
                                           override_failed_validation=True),
    "draft_send.send": _call("draft_send.send", draft_id=lambda w: w.approved.id),
    "draft_refine.refine": _call("draft_refine.refine", draft_id=lambda w: w.draft.id, prompt="shorter"),
    "drafts.use_version": _call("drafts.use_version", draft_id=lambda w: w.draft.id, version=0),
    "drafts.archive": _call("drafts.archive", draft_id=lambda w: w.draft.id, reason="duplicate"),
    "drafts.restore": _call("drafts.restore", draft_id=lambda w: w.archived.id),
    "drafts.record_opened": _call("drafts.record_opened", draft_id=lambda w: w.draft.id),
    "generation.generate_draft": _call("generation.generate_draft", inbound_email_id=lambda w: w.inbound.id),
    "generation.revalidate_draft": _call("generation.revalidate_draft", draft_id=lambda w: w.draft.id),
    "ingest.ingest": _call("ingest.ingest", messages=[RawMessage("one.eml", EML)], auto_draft=False),
    "ingest.ingest_files": _call("ingest.ingest_files", paths=lambda w: [w.eml]),
    "ingest.ingest_uploads": _call("ingest.ingest_uploads", uploads=[("one.eml", EML)]),
    "outbox.retry_delivery": _call("outbox.retry_delivery", outbox_id=lambda w: w.outbox.id),
}
LEAD_CALLS: dict[str, Callable[[Session, Actor, World], Any]] = {
    "accounts.create_account": _call("accounts.create_account", email="new@tandem.space", role="broker"),
    "accounts.list_accounts": _call("accounts.list_accounts"),
    "accounts.set_role": _call("accounts.set_role", email="target@tandem.space", role="analyst"),
    "accounts.set_active": _call("accounts.set_active", email="target@tandem.space", active=False),
    "accounts.set_password": _call("accounts.set_password", email="target@tandem.space",
                                   password="a long enough passphrase 42"),
}
# name -> (the role the call needs, the call).
CALLS = {name: (Role.BROKER, call) for name, call in BROKER_CALLS.items()} | {
    name: (Role.LEAD, call) for name, call in LEAD_CALLS.items()}
DEMOTED = {Role.BROKER: "analyst", Role.LEAD: "broker"}  # a role that no longer allows the call


def fingerprint(session: Session) -> dict[str, str]:
    """Every watched table's rows, hashed: any insert, update or delete changes it."""
    return {t: session.scalar(text(f"SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) "  # noqa: S608
                                   f"FROM {t} x")) or "" for t in WATCHED}


def test_every_write_service_is_covered() -> None:
    assert sorted(write_services()) == sorted(CALLS), "a write service without a stale-permission case"


@pytest.fixture
def world(session: Session, tmp_path: Path) -> World:
    return World(session, tmp_path)


@pytest.mark.parametrize("name", sorted(CALLS))
def test_a_disabled_account_is_refused_by_every_write_service_and_nothing_is_written(
    name: str, session: Session, world: World
) -> None:
    role, call = CALLS[name]
    make_user(session, email="stale@tandem.space", role=role.value, active=False)
    session.commit()
    before = fingerprint(session)
    with pytest.raises(NoActiveAccount, match="disabled"):
        call(session, Actor("stale@tandem.space", role), world)  # the Actor the page read before the disable
    session.rollback()
    assert fingerprint(session) == before


@pytest.mark.parametrize("name", sorted(CALLS))
def test_a_demoted_account_is_refused_by_every_write_service_and_nothing_is_written(
    name: str, session: Session, world: World
) -> None:
    role, call = CALLS[name]
    make_user(session, email="stale@tandem.space", role=DEMOTED[role])
    session.commit()
    before = fingerprint(session)
    with pytest.raises(PermissionDenied, match=f"signed in as {DEMOTED[role]}"):
        call(session, Actor("stale@tandem.space", role), world)  # still says the old role
    session.rollback()
    assert fingerprint(session) == before


@pytest.mark.parametrize("name", sorted(CALLS))
def test_an_active_account_with_the_role_is_let_through(name: str, session: Session, world: World) -> None:
    """The control: the same calls succeed for an account that still has the role (else the refusals
    above could come from bad arguments)."""
    role, call = CALLS[name]
    make_user(session, email="fresh@tandem.space", role=role.value)
    try:
        call(session, Actor("fresh@tandem.space", role), world)
    except PermissionDenied as error:  # pragma: no cover - the failure message names the service
        pytest.fail(f"{name} refused an active {role.value}: {error}")
