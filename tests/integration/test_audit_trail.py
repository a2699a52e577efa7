"""Issue 15, defect 9: an append-only audit trail of deals, spaces, deal links, accounts and outbox actions.

Each change writes one audit_log row (who, what, which record, the changed fields before → after) in
the same transaction; the database refuses to rewrite the trail even for the tables' owner; `audit
list` and the CSV export read it, formulas neutralised.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from echo_core.db.models_audit import AuditEntry
from echo_core.errors import PermissionDenied
from echo_core.export import audit_csv_bytes
from echo_core.mail.outbox import enqueue_reply, retry_delivery
from echo_core.permissions import Actor, Role
from echo_core.queries.audit import AuditFilters, entries
from echo_core.services import accounts, deals, ownership, spaces
from tests.factories import ensure_accounts, make_deal, make_email, make_space, make_user
from tests.integration.conftest import Run

BROKER = Actor("broker@tandem.space", Role.BROKER)
LEAD = Actor("lead@tandem.space", Role.LEAD)


def trail(session: Session, entity: str, entity_id: int) -> list[tuple[str, str, dict[str, Any]]]:
    rows = session.scalars(select(AuditEntry).where(AuditEntry.entity == entity, AuditEntry.entity_id == entity_id)
                           .order_by(AuditEntry.id))
    return [(r.actor, r.action, r.changes) for r in rows]


def test_deal_changes_are_audited_with_who_and_before_after(session: Session) -> None:
    deal = deals.create_deal(session=session, actor=BROKER, seeker_name="Sam", seeker_email="sam@x.example",
                             company_name="Co", team_size=4, monthly_budget=9000)
    deals.set_stage(session=session, deal_id=deal.id, stage="touring", actor=BROKER)
    created, staged = trail(session, "deal", deal.id)
    assert created[:2] == (BROKER.email, "created")
    assert created[2]["company_name"] == {"from": None, "to": "Co"} and created[2]["stage"]["to"] == "inquiry"
    assert staged == (BROKER.email, "stage_set", {"stage": {"from": "inquiry", "to": "touring"}})


def test_deal_space_links_and_their_status_are_audited(session: Session) -> None:
    deal, space = make_deal(session), make_space(session)
    link = deals.link_space(session=session, deal_id=deal.id, space_id=space.id, actor=BROKER)
    deals.set_deal_space_status(session=session, deal_id=deal.id, space_id=space.id, status="touring", actor=BROKER)
    assert trail(session, "deal_space", link.id) == [
        (BROKER.email, "linked", {"deal_id": {"from": None, "to": deal.id}, "space_id": {"from": None, "to": space.id},
                                  "status": {"from": None, "to": "shown"}}),
        (BROKER.email, "status_set", {"status": {"from": "shown", "to": "touring"}}),
    ]


def test_space_edits_record_only_the_changed_fields_and_an_unchanged_save_records_nothing(session: Session) -> None:
    space = spaces.create_space(session=session, actor=BROKER, name="Loft", address="1 Main St", host_company="H",
                                host_email="h@x.example", monthly_rate=9000)
    spaces.update_space(session=session, space_id=space.id, actor=BROKER, name="Loft", monthly_rate=9500,
                        expected_lock_version=1)
    spaces.update_space(session=session, space_id=space.id, actor=BROKER, name="Loft", monthly_rate=9500,
                        expected_lock_version=2)
    rows = trail(session, "space", space.id)
    assert [r[1] for r in rows] == ["created", "updated"]
    assert rows[1][2] == {"monthly_rate": {"from": 9000, "to": 9500}}
    assert space.lock_version == 2  # the unchanged save did not bump it: other open forms stay current


def test_account_changes_are_audited_and_the_password_hash_never_is(session: Session) -> None:
    account = accounts.create_account(session=session, actor=LEAD, email="new@tandem.space", role="broker",
                                      password="a long enough passphrase 42")
    accounts.set_role(session=session, actor=LEAD, email="new@tandem.space", role="analyst")
    accounts.set_active(session=session, actor=LEAD, email="new@tandem.space", active=False)
    accounts.set_password(session=session, actor=LEAD, email="new@tandem.space", password="another passphrase 43")
    rows = trail(session, "account", account.id)
    assert [r[1] for r in rows] == ["created", "role_set", "disabled", "password_set"]
    assert rows[1][2] == {"role": {"from": "broker", "to": "analyst"}}
    assert rows[2][2] == {"active": {"from": True, "to": False}}
    details = json.dumps([r[2] for r in rows])
    assert "scrypt" not in details and "argon2" not in details and "$" not in json.dumps(rows[3][2])


def test_an_outbox_retry_is_audited(session: Session) -> None:
    deal = make_deal(session)
    reply = make_email(session, deal=deal, from_addr="agent@tandem.space", to_addr=deal.seeker_email)
    row = enqueue_reply(session, email=reply, draft=None, inbound=None)
    row.status, row.attempts, row.last_error = "failed", 6, "550 no mailbox"
    session.commit()
    retry_delivery(session=session, outbox_id=row.id, actor=BROKER)
    assert trail(session, "outbox", row.id) == [(BROKER.email, "retry_delivery", {
        "status": {"from": "failed", "to": "queued"}, "attempts": {"from": 6, "to": 0}})]


def test_the_trail_is_append_only_even_for_the_tables_owner(fresh_engine: Engine) -> None:
    with Session(fresh_engine) as s:
        ensure_accounts(s, [(BROKER.email, "broker")])
        s.commit()
        deal_id = deals.create_deal(session=s, actor=BROKER, seeker_name="Sam", seeker_email="sam@x.example",
                                    company_name="Co", team_size=4, monthly_budget=9000).id
    for statement in ("UPDATE audit_log SET actor = 'someone@else.example'", "DELETE FROM audit_log",
                      "TRUNCATE audit_log"):
        with fresh_engine.connect() as conn, pytest.raises(DBAPIError, match="audit_log is append-only"):
            conn.execute(text(statement))
    with Session(fresh_engine) as s:
        assert trail(s, "deal", deal_id)[0][:2] == (BROKER.email, "created")


def test_the_audit_list_shows_both_trails_and_filters_by_entity_id_and_actor(session: Session) -> None:
    make_user(session, email="maya@tandem.space", role="broker")
    deal = make_deal(session)
    deals.set_stage(session=session, deal_id=deal.id, stage="touring", actor=BROKER)
    ownership.assign_deal(session=session, deal_id=deal.id, actor=Actor("maya@tandem.space"))
    spaces.update_space(session=session, space_id=make_space(session).id, actor=BROKER, monthly_rate=1)
    of_deal = entries(session.connection(), actor=LEAD, filters=AuditFilters(entity="deal", entity_id=deal.id))
    # One transaction here, so one timestamp: the order between the two trails is not asserted.
    assert sorted((e["actor"], e["action"], e["trail"], e["change"]) for e in of_deal) == [
        (BROKER.email, "stage_set", "audit_log", "stage: inquiry → touring"),
        ("maya@tandem.space", "assigned", "deal_events", "owner: — → maya@tandem.space")]
    mine = entries(session.connection(), actor=LEAD, filters=AuditFilters(actor="Maya@Tandem.Space"))
    assert [e["action"] for e in mine] == ["assigned"]
    with pytest.raises(PermissionDenied):
        entries(session.connection(), actor=BROKER)  # leads only


def test_the_audit_csv_neutralises_formulas_typed_into_names_and_addresses(session: Session) -> None:
    hostile = Actor("=1+1@tandem.space", Role.BROKER)
    make_user(session, email=hostile.email, role="broker")
    space = make_space(session)
    spaces.update_space(session=session, space_id=space.id, actor=hostile, name="=HYPERLINK(\"http://x\")")
    rows = list(csv.reader(io.StringIO(audit_csv_bytes(session.connection(), actor=LEAD).decode())))
    header, first = rows[0], rows[1]
    assert first[header.index("actor")] == "'=1+1@tandem.space"
    assert not any(cell.startswith(("=", "+", "@")) for row in rows for cell in row)


def test_audit_list_on_the_command_line(cli: Run, fresh_engine: Engine) -> None:
    with Session(fresh_engine) as s:
        ensure_accounts(s, [(BROKER.email, "broker")])
        s.commit()
        space_id = make_space(s, monthly_rate=9000).id
        s.commit()
        spaces.update_space(session=s, space_id=space_id, actor=BROKER, monthly_rate=9500)
    code, out, err = cli("audit", "list", "--entity", "space", "--id", str(space_id))
    assert (code, err) == (0, "")
    assert f"broker@tandem.space updated space #{space_id}: monthly_rate: 9000 → 9500" in out
    code, out, _ = cli("audit", "list", "--entity", "space", "--json")
    assert code == 0 and json.loads(out)[0]["changes"] == {"monthly_rate": {"from": 9000, "to": 9500}}
    code, _, err = cli("audit", "list", "--limit", "0")
    assert code == 2 and err.count("\n") == 1 and "use 1 to 10,000" in err
    code, out, _ = cli("audit", "list", "--entity", "outbox")
    assert (code, out.strip()) == (0, "no audit entries match")


def test_a_deal_that_mail_ingest_creates_is_audited_with_the_ingesting_actor(session: Session) -> None:
    from echo_core.db.models import Deal
    from echo_core.mail.ingest import ingest
    from echo_core.mail.sources import RawMessage

    raw = b"From: Uma <uma@umbra.example>\nSubject: Studio\nMessage-ID: <audit-1@umbra.example>\n\nA studio?\n"
    ingest(session=session, messages=[RawMessage("a.eml", raw)], actor=BROKER, auto_draft=False)
    deal_id = session.scalar(select(Deal.id).where(Deal.seeker_email == "uma@umbra.example"))
    assert deal_id is not None
    [(who, action, changes)] = trail(session, "deal", deal_id)
    assert (who, action, changes["seeker_email"]["to"]) == (BROKER.email, "created_from_mail", "uma@umbra.example")
