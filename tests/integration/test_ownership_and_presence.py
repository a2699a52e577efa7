"""Deal owners (assign to me, a lead assigning anyone, the queue's views) and soft presence on drafts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from echo_core import presence
from echo_core.db.models import Deal
from echo_core.errors import DraftNotFound, InvalidInput, NoActiveAccount, NotFound, PermissionDenied
from echo_core.permissions import Actor, Role
from echo_core.queries.ownership import OWNER_EMAIL_SQL, assignable_owners, deal_owner, owner_clause
from echo_core.services.ownership import StaleOwner, assign_deal, unassign
from tests.factories import make_deal, make_draft, make_user

MAYA = Actor("maya.own@tandem.space", Role.BROKER)
LEO = Actor("leo.own@tandem.space", Role.BROKER)
JORDAN = Actor("jordan.own@tandem.space", Role.LEAD)
ANNA = Actor("anna.own@tandem.space", Role.ANALYST)


@pytest.fixture
def team(session: Session) -> None:
    for actor in (MAYA, LEO, JORDAN, ANNA):
        make_user(session, email=actor.email, role=actor.role.value)


def events(session: Session, deal_id: int) -> list[tuple[str, str, dict[str, object]]]:
    rows = session.execute(text("SELECT actor, action, details FROM deal_events WHERE deal_id = :d ORDER BY id"),
                           {"d": deal_id})
    return [(r.actor, r.action, r.details) for r in rows]


def test_a_broker_takes_an_unassigned_deal_and_it_is_audited(session: Session, team: None) -> None:
    deal = make_deal(session)
    assert assign_deal(session=session, deal_id=deal.id, actor=MAYA, expected_owner_email=None) == MAYA.email
    assert deal_owner(session.connection(), deal.id) == MAYA.email
    assert events(session, deal.id) == [(MAYA.email, "assigned", {"from": None, "to": MAYA.email})]
    assign_deal(session=session, deal_id=deal.id, actor=MAYA)  # already hers: nothing changes, no second row
    assert len(events(session, deal.id)) == 1


def test_a_broker_may_not_take_someone_elses_deal_nor_assign_others(session: Session, team: None) -> None:
    deal = make_deal(session)
    assign_deal(session=session, deal_id=deal.id, actor=LEO)
    with pytest.raises(PermissionDenied, match="ask a lead to reassign"):
        assign_deal(session=session, deal_id=deal.id, actor=MAYA)
    other = make_deal(session)
    with pytest.raises(PermissionDenied, match="assign deals to someone else"):
        assign_deal(session=session, deal_id=other.id, actor=MAYA, owner_email=LEO.email)
    with pytest.raises(PermissionDenied, match="ask a lead"):
        unassign(session=session, deal_id=deal.id, actor=MAYA)
    assert deal_owner(session.connection(), deal.id) == LEO.email


def test_a_lead_assigns_anyone_reassigns_and_unassigns(session: Session, team: None) -> None:
    deal = make_deal(session)
    assign_deal(session=session, deal_id=deal.id, actor=JORDAN, owner_email=LEO.email)
    assign_deal(session=session, deal_id=deal.id, actor=JORDAN, owner_email="Maya.Own@Tandem.Space",
                expected_owner_email=LEO.email)
    unassign(session=session, deal_id=deal.id, actor=JORDAN, expected_owner_email=MAYA.email)
    assert deal_owner(session.connection(), deal.id) is None
    assert [(a, act) for a, act, _ in events(session, deal.id)] == [
        (JORDAN.email, "assigned"), (JORDAN.email, "assigned"), (JORDAN.email, "unassigned")]


def test_a_broker_unassigns_their_own_deal(session: Session, team: None) -> None:
    deal = make_deal(session)
    assign_deal(session=session, deal_id=deal.id, actor=MAYA)
    unassign(session=session, deal_id=deal.id, actor=MAYA)
    assert deal_owner(session.connection(), deal.id) is None


def test_a_stale_click_is_refused_and_changes_nothing(session: Session, team: None) -> None:
    deal = make_deal(session)
    assign_deal(session=session, deal_id=deal.id, actor=LEO)  # Leo took it while Maya's page still said "unassigned"
    with pytest.raises(StaleOwner, match=f"assigned to {LEO.email} by someone else meanwhile — reload") as stale:
        assign_deal(session=session, deal_id=deal.id, actor=JORDAN, owner_email=MAYA.email, expected_owner_email=None)
    assert stale.value.exit_code == 13
    assert deal_owner(session.connection(), deal.id) == LEO.email


@pytest.mark.parametrize(("owner", "message"), [
    (ANNA.email, "not an active broker or lead"), ("ghost@tandem.space", "not an active broker or lead"),
    ("not an email", "not an email address"),
])
def test_only_active_brokers_and_leads_can_own_deals(session: Session, team: None, owner: str, message: str) -> None:
    deal = make_deal(session)
    with pytest.raises(InvalidInput, match=message):
        assign_deal(session=session, deal_id=deal.id, actor=JORDAN, owner_email=owner)


def test_analysts_disabled_accounts_and_missing_deals_are_refused(session: Session, team: None) -> None:
    deal = make_deal(session)
    with pytest.raises(PermissionDenied):
        assign_deal(session=session, deal_id=deal.id, actor=ANNA)
    session.execute(text("UPDATE users SET active = false WHERE email = :e"), {"e": LEO.email})
    with pytest.raises(NoActiveAccount):
        assign_deal(session=session, deal_id=deal.id, actor=LEO)  # the role is re-read, not trusted from the page
    with pytest.raises(InvalidInput, match="not a deal number"):
        assign_deal(session=session, deal_id=2**31, actor=JORDAN)
    with pytest.raises(NotFound, match="does not exist"):
        assign_deal(session=session, deal_id=2_000_000_000, actor=JORDAN)


def test_the_queue_views_pick_mine_unassigned_and_all(session: Session, team: None) -> None:
    tag = "OwnerViewCo"
    mine, leos, nobodys = (make_deal(session, company_name=f"{tag} {i}") for i in range(3))
    assign_deal(session=session, deal_id=mine.id, actor=MAYA)
    assign_deal(session=session, deal_id=leos.id, actor=LEO)

    def view(name: str) -> list[tuple[int, str | None]]:
        where, params = owner_clause(name, actor_email=MAYA.email)
        rows = session.execute(text(f"SELECT deals.id, {OWNER_EMAIL_SQL} AS owner_email FROM deals "
                                    f"WHERE deals.company_name LIKE :tag AND {where} ORDER BY deals.id"),
                               {"tag": f"{tag}%", **params})
        return [(r.id, r.owner_email) for r in rows]

    assert view("mine") == [(mine.id, MAYA.email)]
    assert view("unassigned") == [(nobodys.id, None)]
    assert view("all") == [(mine.id, MAYA.email), (leos.id, LEO.email), (nobodys.id, None)]
    with pytest.raises(InvalidInput, match="not a queue view"):
        owner_clause("everyone; DROP TABLE deals", actor_email=MAYA.email)
    assert {MAYA.email, LEO.email, JORDAN.email} <= set(assignable_owners(session.connection()))
    assert ANNA.email not in assignable_owners(session.connection())


def test_the_owner_column_is_indexed_and_refuses_unknown_accounts(session: Session) -> None:
    session.execute(text("SET LOCAL enable_seqscan = off"))
    plan = "\n".join(r[0] for r in session.execute(text("EXPLAIN SELECT id FROM deals WHERE owner_id = 1")))
    assert "idx_deals_owner_id" in plan
    deal = make_deal(session)
    with pytest.raises(DBAPIError, match="foreign key"), session.begin_nested():
        session.execute(text("UPDATE deals SET owner_id = 2000000000 WHERE id = :d"), {"d": deal.id})
    session.execute(text("INSERT INTO deal_events (deal_id, actor, action) VALUES (:d, 'x@tandem.space', 'assigned')"),
                    {"d": deal.id})
    for statement in ("DELETE FROM deal_events", "UPDATE deal_events SET actor = 'y@tandem.space'"):
        with pytest.raises(DBAPIError, match="append-only"), session.begin_nested():
            session.execute(text(statement))
    assert session.get(Deal, deal.id) is not None


# --- presence -------------------------------------------------------------------------------------------


NOW = datetime.now(UTC)


def test_others_see_who_has_the_draft_open_but_not_themselves(session: Session, team: None) -> None:
    draft = make_draft(session)
    presence.heartbeat(session=session, draft_id=draft.id, actor=MAYA, now=NOW)
    presence.heartbeat(session=session, draft_id=draft.id, actor=LEO, now=NOW + timedelta(seconds=5))
    seen_by_leo = presence.others(session=session, draft_id=draft.id, actor=LEO, now=NOW + timedelta(seconds=6))
    assert [v.email for v in seen_by_leo] == [MAYA.email]
    assert seen_by_leo[0].opened_at == NOW
    seen_by_jordan = presence.others(session=session, draft_id=draft.id, actor=JORDAN, now=NOW + timedelta(seconds=6))
    assert [v.email for v in seen_by_jordan] == [MAYA.email, LEO.email]  # earliest opener first


def test_presence_expires_without_heartbeats_and_a_later_visit_starts_anew(session: Session, team: None) -> None:
    draft = make_draft(session)
    presence.heartbeat(session=session, draft_id=draft.id, actor=MAYA, now=NOW)
    presence.heartbeat(session=session, draft_id=draft.id, actor=MAYA, now=NOW + timedelta(seconds=45))
    later = NOW + timedelta(seconds=45) + presence.TTL
    assert [v.email for v in presence.others(session=session, draft_id=draft.id, actor=LEO, now=later)] == [MAYA.email]
    gone = later + timedelta(seconds=1)
    assert presence.others(session=session, draft_id=draft.id, actor=LEO, now=gone) == []
    presence.heartbeat(session=session, draft_id=draft.id, actor=MAYA, now=gone)  # she comes back
    [back] = presence.others(session=session, draft_id=draft.id, actor=LEO, now=gone)
    assert back.opened_at == gone  # a new visit, not the old one


def test_leaving_removes_presence_at_once(session: Session, team: None) -> None:
    draft = make_draft(session)
    presence.heartbeat(session=session, draft_id=draft.id, actor=MAYA, now=NOW)
    presence.leave(session=session, draft_id=draft.id, actor=MAYA)
    assert presence.others(session=session, draft_id=draft.id, actor=LEO, now=NOW) == []


def test_a_beat_on_the_next_draft_leaves_the_previous_one_and_only_the_actors_own_row(
    session: Session, team: None
) -> None:
    first, second = make_draft(session), make_draft(session)
    presence.heartbeat(session=session, draft_id=first.id, actor=MAYA, now=NOW)
    presence.heartbeat(session=session, draft_id=first.id, actor=LEO, now=NOW)
    presence.heartbeat(session=session, draft_id=second.id, actor=MAYA, left=first.id, now=NOW)
    assert [v.email for v in presence.others(session=session, draft_id=first.id, actor=JORDAN, now=NOW)] == [LEO.email]
    assert [v.email for v in presence.others(session=session, draft_id=second.id, actor=JORDAN, now=NOW)] == [
        MAYA.email]
    presence.heartbeat(session=session, draft_id=second.id, actor=MAYA, left=second.id, now=NOW)  # same draft: stays
    assert [v.email for v in presence.others(session=session, draft_id=second.id, actor=LEO, now=NOW)] == [MAYA.email]


def test_a_beat_refused_leaves_nothing_behind(session: Session, team: None) -> None:
    draft = make_draft(session)
    presence.heartbeat(session=session, draft_id=draft.id, actor=MAYA, now=NOW)
    with pytest.raises(DraftNotFound):
        presence.heartbeat(session=session, draft_id=2_000_000_000, actor=MAYA, left=draft.id, now=NOW)
    assert [v.email for v in presence.others(session=session, draft_id=draft.id, actor=LEO, now=NOW)] == [MAYA.email]
    with pytest.raises(InvalidInput):
        presence.heartbeat(session=session, draft_id=draft.id, actor=MAYA, left=-1, now=NOW)


def test_a_heartbeat_on_a_missing_or_malformed_draft_or_by_a_disabled_account_is_refused(
    session: Session, team: None
) -> None:
    with pytest.raises(InvalidInput):
        presence.heartbeat(session=session, draft_id=-3, actor=MAYA)
    draft = make_draft(session)
    session.execute(text("UPDATE users SET active = false WHERE email = :e"), {"e": LEO.email})
    with pytest.raises(NoActiveAccount):
        presence.heartbeat(session=session, draft_id=draft.id, actor=LEO)
    with pytest.raises(DraftNotFound):
        presence.heartbeat(session=session, draft_id=2_000_000_000, actor=MAYA)
