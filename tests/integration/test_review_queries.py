"""The review page's read side against real PostgreSQL (rows live in the test's rolled-back transaction)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from echo_core.errors import DraftNotFound, VersionNotFound
from echo_core.queries import review
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


def test_draft_detail_carries_the_inbound_email_and_validation(session: Session) -> None:
    deal = make_deal(session, company_name="Gamma")
    inbound = make_email(session, deal=deal, subject="Parking?", body="<script>alert(1)</script>")
    draft = make_draft(session, deal=deal, inbound=inbound, validation=_checked("failed"), final_body="Edited")
    detail = review.draft_detail(session.connection(), draft.id)
    assert (detail.company, detail.inbound_subject, detail.inbound_body) == ("Gamma", "Parking?", inbound.body)
    assert (detail.validation_status, detail.validation_issues) == ("failed", ["failed issue"])
    assert detail.body == "Edited"
    assert detail.lock_version == 1


def test_draft_detail_of_a_missing_draft_is_named(session: Session) -> None:
    with pytest.raises(DraftNotFound):
        review.draft_detail(session.connection(), 987_654_321)


def test_thread_is_in_the_order_it_was_sent(session: Session) -> None:
    deal = make_deal(session)
    later = make_email(session, deal=deal, subject="second", sent_at=NOW - timedelta(hours=1))
    earlier = make_email(session, deal=deal, subject="first", sent_at=NOW - timedelta(days=1))
    assert list(review.thread(session.connection(), deal.id)["email_id"]) == [earlier.id, later.id]


def test_reasoning_frames_show_each_question_and_each_database_field() -> None:
    reasoning = {
        "questionsAddressed": [{"question": "Dogs?", "answer": "Yes, under 50 lbs", "sourceEmailId": 3}],
        "dataUsed": [{"dataPoint": "dog policy", "sourceType": "space", "sourceId": 7,
                      "fieldPath": "detailed_amenities.dogPolicy.allowed", "value": True}],
    }
    questions = review.questions_frame(reasoning)
    facts = review.facts_frame(reasoning)
    assert questions.to_dict("records") == [
        {"question": "Dogs?", "answer": "Yes, under 50 lbs", "source email": "3", "asked as": ""}
    ]
    assert facts.iloc[0].to_dict() == {
        "fact": "dog policy", "source type": "space", "source id": "7",
        "field path": "detailed_amenities.dogPolicy.allowed", "value": "true",
    }
    assert review.questions_frame({}).empty


def test_version_diff_is_a_unified_diff_between_two_versions() -> None:
    versions = [{"version": 0, "body": "Hello\nParking is $250."}, {"version": 1, "body": "Hello\nParking is $300."}]
    diff = review.version_diff(versions, 0, 1)
    assert "--- version 0" in diff and "+++ version 1" in diff
    assert "-Parking is $250." in diff and "+Parking is $300." in diff
    assert review.version_diff(versions, 1, 1) == "The two versions are identical."
    with pytest.raises(VersionNotFound):
        review.version_diff(versions, 0, 5)


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
