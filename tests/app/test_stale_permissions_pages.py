"""Issue 15, defect 1 on the dashboard: a page rendered for an account that is disabled or demoted
before the click (a Mail page left open). Every write button then shows one st.error and writes nothing.

The page's own sign-in check is made to return the Actor as it was when the page was drawn (that is the
window the review found), so the refusal must come from the service's re-read of the account.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from echo_core.mail.outbox import enqueue_reply
from echo_core.permissions import Actor, Role
from tests.factories import make_deal, make_deal_space, make_draft, make_email, make_space, make_user

Open = Callable[..., AppTest]
WATCHED = ("deals", "spaces", "deal_spaces", "emails", "email_drafts", "draft_events", "deal_events", "outbox",
           "users", "audit_log")
EML = b"From: Uma <uma@umbra.example>\nSubject: Studio\nMessage-ID: <stale-page@umbra.example>\n\nA studio for 6?\n"
SAFE = "Hi! Thanks for reaching out. When would suit you for a tour next week?"


@dataclass
class Surface:
    page: str
    role: str
    arrange: Callable[[Session], dict[str, Any]]  # rows; returns the ids the page state and the click need
    state: Callable[[dict[str, Any]], dict[str, Any]]
    click: Callable[[AppTest, dict[str, Any]], None]  # fill the widgets and press the write button
    prepare: Callable[[AppTest, dict[str, Any]], None] = lambda at, ids: None  # widgets set while still allowed


def _deal_with_spaces(s: Session) -> dict[str, Any]:
    deal = make_deal(s, team_size=8, monthly_budget=15000, requirements={})
    linked, fits = make_space(s, monthly_rate=9000), make_space(s, monthly_rate=9000)
    make_deal_space(s, deal=deal, space=linked)
    make_email(s, deal=deal)
    return {"deal": deal.id, "linked": linked.id, "fits": fits.id}


def _failed_outbox(s: Session) -> dict[str, Any]:
    deal = make_deal(s)
    reply = make_email(s, deal=deal, from_addr="agent@tandem.space", to_addr=deal.seeker_email)
    row = enqueue_reply(s, email=reply, draft=None, inbound=None)
    row.status, row.last_error = "failed", "550 no mailbox"
    return {"outbox": row.id}


def _draft(s: Session) -> dict[str, Any]:
    return {"draft": make_draft(s, body=SAFE).id}


def _space(s: Session) -> dict[str, Any]:
    return {"space": make_space(s, monthly_rate=9000).id}


def _target(s: Session) -> dict[str, Any]:
    make_user(s, email="target@tandem.space", role="broker")
    make_user(s, email="second.lead@tandem.space", role="lead")  # the demoted lead is not the last one
    return {}


def _new_deal(at: AppTest, ids: dict[str, Any]) -> None:
    for key, value in {"nd_company": "Orbit", "nd_seeker": "Dana", "nd_email": "dana@orbit.example"}.items():
        at.text_input(key=key).input(value)
    at.button(key="nd_submit").click()


def _new_space(at: AppTest, ids: dict[str, Any]) -> None:
    for key, value in {"sf_new_name": "Loft", "sf_new_address": "1 Main St", "sf_new_host": "Host Co",
                       "sf_new_host_email": "host@x.example"}.items():
        at.text_input(key=key).input(value)
    at.button(key="sf_new_submit").click()


def _new_account(at: AppTest, ids: dict[str, Any]) -> None:
    at.text_input(key="acc_new_email").input("someone.new@tandem.space")
    at.button(key="acc_add").click()


def _pick_target(at: AppTest) -> None:
    at.selectbox(key="acc_pick").set_value("target@tandem.space").run()


SURFACES: dict[str, Surface] = {
    "mail ingest": Surface("pages/mail.py", "broker", lambda s: {}, lambda i: {},
                           lambda at, i: at.button(key="mail_ingest").click(),
                           lambda at, i: at.file_uploader(key="mail_uploads").upload("one.eml", EML).run()),
    "mail retry": Surface("pages/mail.py", "broker", _failed_outbox, lambda i: {},
                          lambda at, i: at.button(key="mail_retry").click()),
    "deal stage": Surface("pages/deals.py", "broker", _deal_with_spaces, lambda i: {"deals_open": i["deal"]},
                          lambda at, i: at.button(key="deal_set_stage").click(),
                          lambda at, i: at.selectbox(key=f"deal_stage_pick_{i['deal']}").set_value("touring").run()),
    "deal add space": Surface("pages/deals.py", "broker", _deal_with_spaces,
                              lambda i: {"deals_open": i["deal"], "deal_view": "fits"},
                              lambda at, i: at.button(key=f"deal_fit_add_{i['fits']}").click()),
    "deal space status": Surface("pages/deals.py", "broker", _deal_with_spaces,
                                 lambda i: {"deals_open": i["deal"], "deal_view": "spaces"},
                                 lambda at, i: at.button(key="deal_space_set").click(),
                                 lambda at, i: at.selectbox(key=f"deal_space_status_{i['deal']}")
                                 .set_value("selected")),
    "deal draft a reply": Surface("pages/deals.py", "broker", _deal_with_spaces, lambda i: {"deals_open": i["deal"]},
                                  lambda at, i: at.button(key="deal_draft_reply").click()),
    "new deal": Surface("pages/deals.py", "broker", lambda s: {}, lambda i: {"deals_new_open": True}, _new_deal),
    "space edit": Surface("pages/spaces.py", "broker", _space,
                          lambda i: {"spaces_open": i["space"], "space_view": "edit"},
                          lambda at, i: (at.number_input(key=f"sf_{i['space']}_rate").set_value(9900),
                                         at.button(key=f"sf_{i['space']}_submit").click())),
    "new space": Surface("pages/spaces.py", "broker", lambda s: {}, lambda i: {"spaces_add_open": True}, _new_space),
    "draft save": Surface("pages/drafts.py", "broker", _draft, lambda i: {"open_draft": i["draft"]},
                          lambda at, i: (at.text_area(key=f"body_{i['draft']}_1").set_value(SAFE + " Edited."),
                                         at.button(key=f"save_{i['draft']}_1").click())),
    "draft approve": Surface("pages/drafts.py", "broker", _draft, lambda i: {"open_draft": i["draft"]},
                             lambda at, i: at.button(key=f"approve_{i['draft']}_1").click()),
    "draft send": Surface("pages/drafts.py", "broker", _draft, lambda i: {"open_draft": i["draft"]},
                          lambda at, i: at.button(key=f"send_{i['draft']}_1").click()),
    "account role": Surface("pages/accounts.py", "lead", _target, lambda i: {},
                            lambda at, i: at.button(key="acc_set_role").click(),
                            lambda at, i: (_pick_target(at), at.selectbox(key="acc_role").set_value("analyst").run())),
    "account disable": Surface("pages/accounts.py", "lead", _target, lambda i: {},
                               lambda at, i: at.button(key="acc_toggle").click(), lambda at, i: _pick_target(at)),
    "account add": Surface("pages/accounts.py", "lead", _target, lambda i: {"acc_add_open": True}, _new_account),
}
DEMOTED = {"broker": "analyst", "lead": "broker"}


def fingerprint(engine: Engine) -> dict[str, str]:
    with engine.connect() as conn:
        return {t: conn.scalar(text(f"SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) "  # noqa: S608
                                    f"FROM {t} x")) or "" for t in WATCHED}


@pytest.fixture
def stale_page(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[Actor], None]]:
    """From now on the page's sign-in check returns `actor` as the page saw it (before the change)."""
    def freeze(actor: Actor) -> None:
        for target in ("ui.auth.signed_in_actor", "ui.actor.signed_in_actor"):
            monkeypatch.setattr(target, lambda engine=None: actor)

    yield freeze


@pytest.mark.parametrize("change", ["disabled", "demoted"])
@pytest.mark.parametrize("name", list(SURFACES))
def test_a_write_button_on_a_page_drawn_before_the_account_changed_refuses_and_writes_nothing(
    name: str, change: str, app_db_url: str, app_engine: Engine, open_page: Open,
    stale_page: Callable[[Actor], None],
) -> None:
    surface = SURFACES[name]
    with Session(app_engine) as s:
        ids = surface.arrange(s)
        s.commit()
    email = f"{surface.role}@tandem.space"
    at = open_page(surface.page, state=surface.state(ids), role=surface.role)
    surface.prepare(at, ids)
    assert not at.exception and not at.error, [e.value for e in at.error]
    with Session(app_engine) as s:  # a lead disables or demotes the account while the page stays open
        change_sql = "active = false" if change == "disabled" else f"role = '{DEMOTED[surface.role]}'"
        s.execute(text(f"UPDATE users SET {change_sql} WHERE email = :e"), {"e": email})  # noqa: S608
        s.commit()
    stale_page(Actor(email, Role(surface.role)))
    before = fingerprint(app_engine)
    surface.click(at, ids)
    at.run()
    assert not at.exception, at.exception
    errors = " ".join(e.value for e in at.error)
    assert ("disabled" if change == "disabled" else f"signed in as {DEMOTED[surface.role]}") in errors, errors
    assert fingerprint(app_engine) == before
