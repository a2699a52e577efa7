"""Revision 0019: drafts per (deal owner, status), kept exact by triggers, behind the queue's Mine / Unassigned counts.

After every kind of write the summary must equal a fresh count(*) over email_drafts joined to deals.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from echo_core.db import migrate
from echo_core.db.models import DRAFT_STATUSES
from echo_core.permissions import Actor, Role
from echo_core.queries import review
from echo_core.queries.review import QueueFilters
from echo_core.services.ownership import assign_deal, unassign
from tests.factories import make_deal, make_draft

LEAD = Actor("lead@tandem.space", Role.LEAD)
BROKER = Actor("broker@tandem.space", Role.BROKER)
OWNERS = ("broker@tandem.space", "other@tandem.space", "lead@tandem.space")
Counts = dict[tuple[int | None, str], int]


def kept(session: Session) -> Counts:
    rows = session.execute(text("SELECT owner_id, status, sum(drafts) FROM draft_owner_counts "
                                "GROUP BY owner_id, status HAVING sum(drafts) <> 0"))
    return {(r[0], r[1]): int(r[2]) for r in rows}


def counted(session: Session) -> Counts:
    rows = session.execute(text("SELECT deals.owner_id, d.status, count(*) FROM email_drafts d "
                                "JOIN deals ON deals.id = d.deal_id GROUP BY deals.owner_id, d.status"))
    return {(r[0], r[1]): int(r[2]) for r in rows}


def counted_by_query(session: Session, filters: QueueFilters) -> dict[str, int]:
    """status_counts through its counting query (an age filter that every draft passes forces it)."""
    return review.status_counts(session.connection(), replace(filters, max_age=timedelta(days=365_000)))


def delete_deal(session: Session, deal_id: int) -> None:
    """A deal with its drafts and emails, drafts first (email_drafts.deal_id has no ON DELETE action). A deal
    with an ownership history stays (deal_events is append-only), without its drafts."""
    for statement in ("DELETE FROM email_drafts WHERE deal_id = :d", "DELETE FROM emails WHERE deal_id = :d",
                      "DELETE FROM deal_spaces WHERE deal_id = :d"):
        session.execute(text(statement), {"d": deal_id})
    try:
        with session.begin_nested():
            session.execute(text("DELETE FROM deals WHERE id = :d"), {"d": deal_id})
    except IntegrityError:  # deal_events still points at it
        assert session.scalar(text("SELECT count(*) FROM deal_events WHERE deal_id = :d"), {"d": deal_id})


def test_inserts_status_changes_and_deletes_keep_the_owner_counts_exact(session: Session) -> None:
    owner = session.scalar(text("SELECT id FROM users WHERE email = 'broker@tandem.space'"))
    mine, free = make_deal(session, owner_id=owner), make_deal(session)
    drafts = [make_draft(session, deal=deal, status=status)
              for deal in (mine, free) for status in ("pending", "pending", "approved")]
    assert kept(session) == counted(session)
    session.execute(text("UPDATE email_drafts SET status = 'sent' WHERE id = :i"), {"i": drafts[0].id})
    session.execute(text("UPDATE email_drafts SET confidence_score = 7 WHERE deal_id IN (:a, :b)"),
                    {"a": mine.id, "b": free.id})  # no status change: no delta
    session.execute(text("UPDATE email_drafts SET status = 'archived' WHERE deal_id = :d"), {"d": free.id})
    assert kept(session) == counted(session)
    session.execute(text("UPDATE email_drafts SET deal_id = :d WHERE id = :i"), {"d": free.id, "i": drafts[1].id})
    assert kept(session) == counted(session)
    session.execute(text("DELETE FROM email_drafts WHERE id = :i"), {"i": drafts[2].id})
    assert kept(session) == counted(session)


def test_assigning_unassigning_and_reassigning_a_deal_moves_its_drafts_counts(session: Session) -> None:
    deal = make_deal(session)
    for status in ("pending", "pending", "approved", "sent"):
        make_draft(session, deal=deal, status=status)
    for filters in (QueueFilters(owner_view="mine", viewer_email=BROKER.email), QueueFilters(owner_view="unassigned")):
        assert review.status_counts(session.connection(), filters) == counted_by_query(session, filters)
    steps = [lambda: assign_deal(session=session, deal_id=deal.id, actor=BROKER),
             lambda: assign_deal(session=session, deal_id=deal.id, actor=LEAD, owner_email="other@tandem.space"),
             lambda: unassign(session=session, deal_id=deal.id, actor=LEAD),
             lambda: assign_deal(session=session, deal_id=deal.id, actor=LEAD, owner_email="lead@tandem.space")]
    for step in steps:
        step()
        assert kept(session) == counted(session)
        for viewer in OWNERS:
            mine = QueueFilters(owner_view="mine", viewer_email=viewer)
            assert review.status_counts(session.connection(), mine) == counted_by_query(session, mine)
        unassigned = QueueFilters(owner_view="unassigned")
        assert review.status_counts(session.connection(), unassigned) == counted_by_query(session, unassigned)


def test_the_mine_counts_are_the_viewers_deals_drafts_per_status(session: Session) -> None:
    viewer = session.scalar(text("SELECT id FROM users WHERE email = 'other@tandem.space'"))
    mine = QueueFilters(owner_view="mine", viewer_email="other@tandem.space")
    before = review.status_counts(session.connection(), mine)
    deal = make_deal(session, owner_id=viewer)
    make_draft(session, deal=deal, status="pending")
    make_draft(session, deal=deal, status="archived")
    after = review.status_counts(session.connection(), mine)
    assert {s: after[s] - before[s] for s in DRAFT_STATUSES} == {s: int(s in ("pending", "archived"))
                                                                 for s in DRAFT_STATUSES}
    nobody = QueueFilters(owner_view="mine", viewer_email="nobody@example.com")
    assert review.status_counts(session.connection(), nobody) == dict.fromkeys(DRAFT_STATUSES, 0)


def test_deleting_a_deal_with_its_drafts_subtracts_them_once(session: Session) -> None:
    owner = session.scalar(text("SELECT id FROM users WHERE email = 'broker@tandem.space'"))
    deal = make_deal(session, owner_id=owner)
    make_draft(session, deal=deal, status="pending")
    make_draft(session, deal=deal, status="sent")
    with pytest.raises(IntegrityError), session.begin_nested():  # drafts do not cascade: the deal stays
        session.execute(text("DELETE FROM deals WHERE id = :d"), {"d": deal.id})
    assert kept(session) == counted(session)
    delete_deal(session, deal.id)
    assert session.scalar(text("SELECT count(*) FROM deals WHERE id = :d"), {"d": deal.id}) == 0
    assert kept(session) == counted(session)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=st.lists(st.tuples(st.sampled_from(["draft", "status", "assign", "unassign", "delete_draft",
                                                "delete_deal"]),
                              st.integers(0, 5), st.sampled_from(DRAFT_STATUSES), st.sampled_from(OWNERS)),
                    min_size=1, max_size=12))
def test_random_sequences_of_writes_keep_the_owner_counts_exact(
    session: Session, ops: list[tuple[str, int, str, str]]
) -> None:
    deals = [make_deal(session) for _ in range(3)]
    for op, n, status, owner in ops:
        deal_id = deals[n % len(deals)].id
        alive = session.scalar(text("SELECT count(*) FROM deals WHERE id = :d"), {"d": deal_id})
        if not alive:
            continue
        drafts = session.scalars(text("SELECT id FROM email_drafts WHERE deal_id = :d ORDER BY id"),
                                 {"d": deal_id}).all()
        if op == "draft":
            make_draft(session, deal=deals[n % len(deals)], status=status)
        elif op == "status" and drafts:
            session.execute(text("UPDATE email_drafts SET status = :s WHERE id = :i"),
                            {"s": status, "i": drafts[n % len(drafts)]})
        elif op == "assign":
            assign_deal(session=session, deal_id=deal_id, actor=LEAD, owner_email=owner)
        elif op == "unassign":
            unassign(session=session, deal_id=deal_id, actor=LEAD)
        elif op == "delete_draft" and drafts:
            session.execute(text("DELETE FROM email_drafts WHERE id = :i"), {"i": drafts[n % len(drafts)]})
        elif op == "delete_deal":
            delete_deal(session, deal_id)
        assert kept(session) == counted(session)


def test_truncating_the_drafts_empties_the_owner_counts(fresh_engine: Engine) -> None:
    with Session(fresh_engine) as s:
        make_draft(s, deal=make_deal(s))
        s.commit()
        s.execute(text("TRUNCATE email_drafts CASCADE"))
        assert kept(s) == counted(s) == {}
        make_draft(s, deal=make_deal(s), status="approved")
        assert kept(s) == counted(s)
        s.commit()


def test_a_draft_written_while_its_deal_is_reassigned_is_counted_under_the_new_owner(fresh_engine: Engine) -> None:
    with Session(fresh_engine, expire_on_commit=False) as s:
        deal = make_deal(s)
        make_draft(s, deal=deal)
        owner = s.scalar(text("SELECT id FROM users WHERE email = 'broker@tandem.space'"))
        s.commit()
    with fresh_engine.connect() as reassigning:
        reassigning.execute(text("UPDATE deals SET owner_id = :o WHERE id = :d"), {"o": owner, "d": deal.id})

        def write_a_draft() -> None:  # waits for the owner change (FOR SHARE on the deal), then counts under it
            with Session(fresh_engine) as other:
                other.execute(text("UPDATE email_drafts SET status = 'approved' WHERE deal_id = :d"), {"d": deal.id})
                make_draft(other, deal=other.get(type(deal), deal.id))
                other.commit()

        writer = threading.Thread(target=write_a_draft)
        writer.start()
        writer.join(timeout=1.0)
        assert writer.is_alive()  # blocked on the deal until the reassignment commits
        reassigning.commit()
        writer.join(timeout=30)
        assert not writer.is_alive()
    with Session(fresh_engine) as s:
        assert kept(s) == counted(s)
        assert counted(s)[(owner, "pending")] == 1


def test_the_migration_goes_down_and_up_again_on_a_database_with_drafts(fresh_engine: Engine) -> None:
    with Session(fresh_engine) as s:
        owner = s.scalar(text("SELECT id FROM users WHERE email = 'broker@tandem.space'"))
        for deal in (make_deal(s, owner_id=owner), make_deal(s)):
            make_draft(s, deal=deal)
            make_draft(s, deal=deal, status="sent")
        s.commit()
    migrate.downgrade(fresh_engine, "0016")
    with fresh_engine.connect() as conn:
        assert conn.scalar(text("SELECT to_regclass('draft_owner_counts')")) is None
        conn.execute(text("UPDATE email_drafts SET status = 'archived' WHERE status = 'sent'"))  # while it is down
        conn.commit()
    migrate.upgrade(fresh_engine)
    assert migrate.drift(fresh_engine) == []
    with Session(fresh_engine) as s:
        assert kept(s) == counted(s)
        assert (owner, "archived") in counted(s)
