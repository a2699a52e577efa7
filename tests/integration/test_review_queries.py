"""The review page's read side against real PostgreSQL (rows live in the test's rolled-back transaction)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from echo_core.errors import DraftNotFound
from echo_core.queries import review
from echo_core.queries.drafts import draft_detail
from echo_core.queries.review import QueueFilters
from tests.factories import make_deal, make_draft, make_email

NOW = datetime.now(UTC)


def _checked(status: str) -> dict[str, object]:
    return {"status": status, "issues": [f"{status} issue"], "checkedAt": NOW.isoformat()}


@pytest.fixture
def drafts(session: Session) -> dict[str, object]:
    """Five drafts of two deals, created 10, 8, 6, 4 and 2 days ago."""
    acme, beta = make_deal(session, company_name="Acme"), make_deal(session, company_name="Beta")
    specs = [
        (acme, "pending", 90, _checked("passed"), 10),
        (acme, "approved", 70, _checked("warnings"), 8),
        (beta, "pending", 40, _checked("failed"), 6),
        (beta, "sent", 85, None, 4),
        (acme, "archived", 55, _checked("passed"), 2),
    ]
    rows = [
        make_draft(session, deal=deal, status=status, confidence_score=conf, validation=validation,
                   created_at=NOW - timedelta(days=days))
        for deal, status, conf, validation, days in specs
    ]
    return {"acme": acme, "beta": beta, "ids": [d.id for d in rows]}


def _ids(bind: object, filters: QueueFilters, **kw: object) -> list[int]:
    return [int(i) for i in review.queue(bind, filters, **kw).rows["draft_id"]]  # type: ignore[arg-type]


def _only(session: Session, drafts: dict[str, object], filters: QueueFilters) -> list[int]:
    """Queue ids restricted to this test's drafts (the shared database may hold others)."""
    mine = set(drafts["ids"])  # type: ignore[arg-type]
    return [i for i in _ids(session.connection(), filters, limit=10_000) if i in mine]


def test_queue_lists_the_oldest_draft_first(session: Session, drafts: dict[str, object]) -> None:
    everything = QueueFilters(statuses=())
    assert _only(session, drafts, everything) == drafts["ids"]


@pytest.mark.parametrize(
    ("filters", "expected_positions"),
    [
        (QueueFilters(statuses=("pending",)), [0, 2]),
        (QueueFilters(statuses=("pending", "approved")), [0, 1, 2]),
        (QueueFilters(statuses=(), validation=("failed",)), [2]),
        (QueueFilters(statuses=(), validation=("not checked",)), [3]),
        (QueueFilters(statuses=(), min_confidence=60, max_confidence=88), [1, 3]),
        (QueueFilters(statuses=(), min_age=timedelta(days=5)), [0, 1, 2]),
        (QueueFilters(statuses=(), max_age=timedelta(days=5)), [3, 4]),
    ],
)
def test_queue_filters_narrow_the_rows(
    session: Session, drafts: dict[str, object], filters: QueueFilters, expected_positions: list[int]
) -> None:
    ids = drafts["ids"]
    assert _only(session, drafts, filters) == [ids[p] for p in expected_positions]  # type: ignore[index]


def test_queue_filters_by_deal(session: Session, drafts: dict[str, object]) -> None:
    beta = drafts["beta"]
    rows = _ids(session.connection(), QueueFilters(statuses=(), deal_id=beta.id))  # type: ignore[attr-defined]
    assert rows == [drafts["ids"][2], drafts["ids"][3]]  # type: ignore[index]


def test_keyset_pages_cover_every_row_once_in_order(session: Session) -> None:
    deal = make_deal(session)
    inbound = make_email(session, deal=deal)
    same_moment = NOW - timedelta(days=400)  # ties on created_at are broken by id
    made = [make_draft(session, deal=deal, inbound=inbound, created_at=same_moment) for _ in range(7)]
    filters = QueueFilters(statuses=(), deal_id=deal.id)
    seen: list[int] = []
    after: int | None = None
    pages = 0
    while True:
        page = review.queue(session.connection(), filters, after_id=after, limit=3)
        seen += [int(i) for i in page.rows["draft_id"]]
        pages += 1
        if page.next_after_id is None:
            break
        after = page.next_after_id
    assert seen == [d.id for d in made]
    assert pages == 3


def test_status_counts_ignore_the_status_filter_but_keep_the_others(
    session: Session, drafts: dict[str, object]
) -> None:
    beta = drafts["beta"]
    counts = review.status_counts(
        session.connection(), QueueFilters(statuses=("pending",), deal_id=beta.id)  # type: ignore[attr-defined]
    )
    assert counts == {"pending": 1, "approved": 0, "sent": 1, "archived": 0}


def test_draft_detail_carries_the_inbound_email_validation_and_owner(session: Session) -> None:
    deal = make_deal(session, company_name="Gamma")
    inbound = make_email(session, deal=deal, subject="Parking?", body="<script>alert(1)</script>")
    coverage = {"status": "incomplete", "asks": 3, "unanswered": ["tour time"]}
    draft = make_draft(session, deal=deal, inbound=inbound, validation={**_checked("failed"), "coverage": coverage},
                       final_body="Edited", reasoning={"needsHumanReview": ["Confirm the dog size limit"]})
    detail = draft_detail(session.connection(), draft.id)
    assert (detail.company, detail.inbound_subject, detail.inbound_body) == ("Gamma", "Parking?", inbound.body)
    assert (detail.validation_status, detail.validation_issues) == ("failed", ["failed issue"])
    assert (detail.coverage.status, detail.coverage.asks, detail.coverage.unanswered) == (
        "incomplete", 3, ("tour time",))
    assert detail.needs_human_review == ["Confirm the dog size limit"]
    assert detail.body == "Edited" and detail.owner_email is None
    assert detail.lock_version == 1


def test_a_draft_without_a_coverage_check_reads_as_unknown(session: Session) -> None:
    draft = make_draft(session, validation=_checked("passed"))
    assert draft_detail(session.connection(), draft.id).coverage.status == "unknown"


def test_draft_detail_of_a_missing_draft_is_named(session: Session) -> None:
    with pytest.raises(DraftNotFound):
        draft_detail(session.connection(), 987_654_321)


def test_thread_is_in_the_order_it_was_sent(session: Session) -> None:
    deal = make_deal(session)
    later = make_email(session, deal=deal, subject="second", sent_at=NOW - timedelta(hours=1))
    earlier = make_email(session, deal=deal, subject="first", sent_at=NOW - timedelta(days=1))
    assert list(review.thread(session.connection(), deal.id)["email_id"]) == [earlier.id, later.id]


def test_deal_options_search_company_or_seeker_and_keep_the_chosen_deal(session: Session) -> None:
    acme = make_deal(session, company_name="Acme_100% Robotics", seeker_name="Ann")
    zed = make_deal(session, company_name="Zed Labs", seeker_name="Bob Acmeson")
    idle = make_deal(session, company_name="Acme Idle")  # no drafts: never offered
    for deal in (acme, zed):
        make_draft(session, deal=deal)
    found = review.deal_options(session.connection(), "acme")
    assert {acme.id, zed.id} <= set(found["deal_id"]) and idle.id not in set(found["deal_id"])
    literal = review.deal_options(session.connection(), "_100%")  # LIKE wildcards are taken literally
    assert list(literal["deal_id"]) == [acme.id]
    kept = review.deal_options(session.connection(), "no such company", include=zed.id)
    assert list(kept["deal_id"]) == [zed.id]


def _coverage(status: str) -> dict[str, object]:
    return {**_checked("passed"), "coverage": {"status": status, "asks": 2, "unanswered": []}}


def test_the_queue_filters_on_coverage_and_drafts_never_checked_count_as_unknown(session: Session) -> None:
    deal = make_deal(session)
    complete = make_draft(session, deal=deal, validation=_coverage("complete"))
    incomplete = make_draft(session, deal=deal, validation=_coverage("incomplete"))
    unchecked = make_draft(session, deal=deal, validation=None)
    older = make_draft(session, deal=deal, validation=_checked("passed"))  # checked before coverage existed

    def ids(*coverage: str) -> list[int]:
        return _ids(session.connection(), QueueFilters(deal_id=deal.id, coverage=coverage))

    assert ids("complete") == [complete.id]
    assert ids("incomplete") == [incomplete.id]
    assert ids("unknown") == [unchecked.id, older.id]
    rows = review.queue(session.connection(), QueueFilters(deal_id=deal.id)).rows
    assert list(rows["coverage"]) == ["complete", "incomplete", "unknown", "unknown"]


def test_the_queue_views_mine_unassigned_and_all(session: Session) -> None:
    from tests.factories import make_user

    me = make_user(session, email="me@tandem.space")
    mine, free = make_deal(session, owner_id=me.id), make_deal(session)
    own, other = make_draft(session, deal=mine), make_draft(session, deal=free)

    def ids(view: str) -> set[int]:
        filters = QueueFilters(owner_view=view, viewer_email="me@tandem.space")
        return set(_ids(session.connection(), filters, limit=10_000)) & {own.id, other.id}

    assert ids("mine") == {own.id}
    assert ids("unassigned") == {other.id}
    assert ids("all") == {own.id, other.id}
    row = review.queue(session.connection(), QueueFilters(deal_id=mine.id)).rows.iloc[0]
    assert row["owner_email"] == "me@tandem.space"


def test_the_row_counts_the_flags_a_human_must_check(session: Session) -> None:
    deal = make_deal(session)
    make_draft(session, deal=deal, reasoning={"needsHumanReview": ["a", "b"]})
    make_draft(session, deal=deal, reasoning={"needsHumanReview": "not a list"})
    assert list(review.queue(session.connection(), QueueFilters(deal_id=deal.id)).rows["flags"]) == [2, 0]


@pytest.mark.parametrize("filters", [
    {"statuses": ("pending", "approved")}, {"statuses": ("pending", "archived", "sent")},
    {"statuses": ("pending",), "min_confidence": 50},
    {"statuses": ("approved", "pending"), "max_age": timedelta(days=3)},
])
def test_next_is_the_queue_pages_next_row_under_any_filter(session: Session, filters: dict[str, object]) -> None:
    deal = make_deal(session)
    for hours, status, confidence in ((9, "pending", 40), (8, "approved", 70), (7, "sent", 90), (6, "pending", 80),
                                      (5, "archived", 60), (4, "pending", 55), (99, "pending", 95)):
        make_draft(session, deal=deal, status=status, confidence_score=confidence,
                   created_at=NOW - timedelta(hours=hours))
    narrowed = QueueFilters(deal_id=deal.id, **filters)  # type: ignore[arg-type]
    ids = [int(i) for i in review.queue(session.connection(), narrowed).rows["draft_id"]]
    assert len(ids) >= 2
    assert [review.neighbour(session.connection(), narrowed, i) for i in ids] == [*ids[1:], None]


def test_next_and_previous_follow_the_queue_even_from_a_draft_that_left_it(session: Session) -> None:
    deal = make_deal(session)
    first, second, third = (make_draft(session, deal=deal, created_at=NOW - timedelta(hours=h)) for h in (3, 2, 1))
    filters = QueueFilters(deal_id=deal.id)
    assert review.neighbour(session.connection(), filters, first.id) == second.id
    assert review.neighbour(session.connection(), filters, second.id, forward=False) == first.id
    assert review.neighbour(session.connection(), filters, third.id) is None
    assert review.neighbour(session.connection(), filters, first.id, forward=False) is None
    second.status = "sent"  # it left the open queue: the draft after it is still the third
    session.flush()
    assert review.neighbour(session.connection(), filters, second.id) == third.id
    assert review.neighbour(session.connection(), filters, third.id, forward=False) == first.id
