"""Revision 0010's read paths: merged per-status queue pages and the trigger-kept status counts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from echo_core.db.models import DRAFT_STATUSES
from echo_core.queries import home, review
from echo_core.queries.review import QueueFilters
from tests.factories import make_deal, make_draft

NOW = datetime.now(UTC)


def _counted(session: Session) -> dict[str, int]:
    rows = session.execute(text("SELECT status, count(*) FROM email_drafts GROUP BY status")).all()
    return {status: dict(rows).get(status, 0) for status in DRAFT_STATUSES}


def _kept(session: Session) -> dict[str, int]:
    rows = session.execute(text("SELECT status, sum(drafts) FROM draft_status_counts GROUP BY status")).all()
    return {status: int(dict(rows).get(status, 0)) for status in DRAFT_STATUSES}


@pytest.mark.parametrize("statuses", [("approved", "sent"), ("pending", "sent", "archived"), ("sent", "pending")])
def test_a_queue_over_several_statuses_pages_to_exactly_the_unpaginated_rows(
    session: Session, statuses: tuple[str, ...]
) -> None:
    deal = make_deal(session)
    same_time = NOW - timedelta(days=3)  # ties on created_at are broken by id
    for i, status in enumerate(["pending", "approved", "sent", "archived"] * 3):
        make_draft(session, deal=deal, status=status, created_at=same_time if i % 2 else NOW - timedelta(days=i))
    filters = QueueFilters(statuses=statuses, deal_id=deal.id)
    whole = list(review.queue(session.connection(), filters, limit=1000).rows["draft_id"])
    seen: list[int] = []
    after = None
    while True:
        page = review.queue(session.connection(), filters, after_id=after, limit=2)
        seen += [int(i) for i in page.rows["draft_id"]]
        if page.next_after_id is None:
            break
        after = page.next_after_id
    assert seen == whole
    assert len(whole) == 3 * len(statuses)


def test_the_status_counts_table_follows_inserts_updates_and_deletes(session: Session) -> None:
    deal = make_deal(session)
    drafts = [make_draft(session, deal=deal, status=s) for s in ("pending", "pending", "approved")]
    assert _kept(session) == _counted(session)
    session.execute(text("UPDATE email_drafts SET status = 'sent' WHERE id = :i"), {"i": drafts[0].id})
    session.execute(text("UPDATE email_drafts SET confidence_score = 1 WHERE deal_id = :d"), {"d": deal.id})
    assert _kept(session) == _counted(session)
    session.execute(text("DELETE FROM email_drafts WHERE id = :i"), {"i": drafts[2].id})
    assert _kept(session) == _counted(session)
    assert review.status_counts(session.connection(), QueueFilters()) == _counted(session)
    assert home.draft_status_counts(session.connection()) == _counted(session)  # type: ignore[arg-type]


def test_folding_the_deltas_keeps_every_count(session: Session) -> None:
    before = session.scalar(text("SELECT count(*) FROM draft_status_counts")) or 0
    draft = make_draft(session, deal=make_deal(session))
    for status in ["approved", "pending"] * 300:  # ~2% of statements fold: never folding is a 1-in-200,000 event
        session.execute(text("UPDATE email_drafts SET status = :s WHERE id = :i"), {"s": status, "i": draft.id})
    assert _kept(session) == _counted(session)
    unfolded = before + 1 + 2 * 600  # one delta row for the insert, two per status change
    assert (session.scalar(text("SELECT count(*) FROM draft_status_counts")) or 0) < unfolded


def test_home_table_counts_are_exact_for_small_tables(session: Session) -> None:
    make_deal(session, stage="closed")
    counts = home.table_counts(session.connection())  # type: ignore[arg-type]
    exact = session.execute(text("SELECT (SELECT count(*) FROM deals), (SELECT count(*) FROM spaces), "
                                 "(SELECT count(*) FROM emails), "
                                 "(SELECT count(*) FROM deals WHERE stage <> 'closed')")).one()
    assert (counts["deals"], counts["spaces"], counts["emails"], counts["open_deals"]) == tuple(exact)
