"""Analytics aggregates computed in PostgreSQL, checked against a small hand-made history.

The drafts are dated in 2001 so the date range isolates them from anything else in the
shared test database.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from echo_core.db.models import DraftEvent
from echo_core.permissions import Actor, Role
from echo_core.queries import analytics
from tests.factories import make_deal, make_draft, make_email

T0 = datetime(2001, 3, 5, 9, 0, tzinfo=UTC)  # a Monday
RANGE = {"start": date(2001, 3, 1), "end": date(2001, 3, 31)}
LEAD = Actor("lead@tandem.space", Role.LEAD)  # sees every broker
AI_BODY = "Hi Sam, the space allows dogs and parking is 250 a month"


def _validation(status: str) -> dict[str, object]:
    return {"status": status, "issues": [], "checkedAt": T0.isoformat()}


@pytest.fixture
def history(session: Session) -> None:
    deal = make_deal(session)

    def sent(conf: int, body: str, *, review_h: float, send_h: float, validation: str, created: datetime) -> None:
        email = make_email(session, deal=deal, from_addr="agent@tandem.space", to_addr=deal.seeker_email,
                           body=body, sent_at=created + timedelta(hours=send_h), ai_generated=True,
                           ai_metadata={"timeSaved": {"traditional": 12, "withAI": 2}})
        make_draft(session, deal=deal, body=AI_BODY, final_body=body, confidence_score=conf, status="sent",
                   validation=_validation(validation), created_at=created,
                   reviewed_at=created + timedelta(hours=review_h), sent_at=created + timedelta(hours=send_h),
                   sent_email_id=email.id)

    # Week 1: two sent (one untouched, one half rewritten), one archived for tone, one pending.
    sent(92, AI_BODY, review_h=1, send_h=2, validation="passed", created=T0)
    sent(81, "Hi Sam, sorry: no dogs allowed, parking is 300 a month", review_h=3, send_h=4,
         validation="warnings", created=T0 + timedelta(days=1))
    make_draft(session, deal=deal, confidence_score=35, status="archived", archive_category="wrong_tone",
               archived_from_status="pending", validation=_validation("failed"), created_at=T0 + timedelta(days=2),
               archived_at=T0 + timedelta(days=2, hours=5))
    make_draft(session, deal=deal, confidence_score=60, created_at=T0 + timedelta(days=3),
               draft_versions=[{"version": n, "body": "b", "confidence": 60, "createdAt": T0.isoformat(),
                                "prompt": "Make it shorter" if n else None} for n in range(3)])
    # Week 2: an archived draft with no category counts as "other"; an approved one.
    make_draft(session, deal=deal, confidence_score=38, status="archived", created_at=T0 + timedelta(days=8))
    make_draft(session, deal=deal, confidence_score=75, status="approved", validation=_validation("passed"),
               created_at=T0 + timedelta(days=9), reviewed_at=T0 + timedelta(days=9, hours=2))
    # Outside the range: never counted.
    make_draft(session, deal=deal, status="sent", created_at=T0 - timedelta(days=30))
    for actor, action, n in [("ana@example.com", "approve", 2), ("ana@example.com", "send", 2),
                             ("bo@example.com", "archive", 1)]:
        for _ in range(n):
            session.add(DraftEvent(draft_id=_any_draft(session), actor=actor, action=action, created_at=T0))
    session.flush()


def _any_draft(session: Session) -> int:
    from sqlalchemy import text

    return int(session.execute(text("SELECT min(id) FROM email_drafts")).scalar_one())


def test_kpis_count_drafts_and_rates_in_the_range(session: Session, history: None) -> None:
    k = analytics.kpis(session.connection(), **RANGE, actor=LEAD)
    assert (k.written, k.approved, k.sent, k.archived, k.decided) == (6, 3, 2, 2, 5)
    assert k.approval_rate == pytest.approx(3 / 5)
    # Medians come from a log-spaced histogram: within ±4.4 % (8 steps per doubling).
    assert k.median_review is not None and k.median_send is not None
    assert k.median_review / timedelta(hours=2) == pytest.approx(1, rel=0.045)  # 1h, 3h and 2h
    assert k.median_send / timedelta(hours=3) == pytest.approx(1, rel=0.045)  # 2h and 4h
    assert k.avg_confidence == pytest.approx((92 + 81 + 35 + 60 + 38 + 75) / 6)
    assert k.validation_failure_rate == pytest.approx(1 / 4)  # four fact-checked, one failed
    assert k.refinements_per_draft == pytest.approx(2 / 6)  # only the three-version draft was refined
    assert k.sent_unedited == 1
    assert k.time_saved_minutes == pytest.approx(20) and k.time_saved_emails == 2


def test_edit_similarity_is_one_for_untouched_and_word_overlap_for_edited_bodies(
    session: Session, history: None
) -> None:
    k = analytics.kpis(session.connection(), **RANGE, actor=LEAD)
    # The edited reply shares 7 of its 11 words with the AI's 12: Dice = 2·7 / (12 + 11).
    assert k.edit_similarity == pytest.approx((1.0 + 14 / 23) / 2)
    assert k.similarity_measured == 1


def test_edit_similarity_measures_every_edited_send(session: Session, history: None) -> None:
    deal = make_deal(session)
    email = make_email(session, deal=deal, body="Completely different words here", sent_at=T0 + timedelta(days=5))
    make_draft(session, deal=deal, body=AI_BODY, final_body=email.body, status="sent", sent_email_id=email.id,
               created_at=T0 + timedelta(days=4), sent_at=T0 + timedelta(days=5))
    k = analytics.kpis(session.connection(), **RANGE, actor=LEAD)
    assert k.similarity_measured == 2
    assert k.edit_similarity == pytest.approx((1.0 + 14 / 23 + 0.0) / 3)


def test_kpis_of_an_empty_range_are_zero_or_unknown(session: Session) -> None:
    k = analytics.kpis(session.connection(), start=date(1990, 1, 1), end=date(1990, 1, 2), actor=LEAD)
    assert (k.written, k.approval_rate, k.median_send, k.avg_confidence, k.time_saved_minutes) == (
        0, None, None, None, None,
    )


def test_breakdowns_split_confidence_by_outcome(session: Session, history: None) -> None:
    b = analytics.breakdowns(session.connection(), **RANGE, actor=LEAD)
    assert b.confidence_by_outcome.to_dict("records") == [
        {"bucket": 30, "outcome": "archived", "drafts": 2},
        {"bucket": 80, "outcome": "sent", "drafts": 1},
        {"bucket": 90, "outcome": "sent", "drafts": 1},
    ]


def test_calibration_gives_the_share_sent_untouched_per_bucket(session: Session, history: None) -> None:
    b = analytics.breakdowns(session.connection(), **RANGE, actor=LEAD)
    shares = dict(zip(b.calibration["bucket"], b.calibration["share_sent_unedited"], strict=True))
    assert shares == {30: 0.0, 80: 0.0, 90: 1.0}


def test_archive_reasons_use_lifecycle_labels_and_fall_back_to_other(session: Session, history: None) -> None:
    b = analytics.breakdowns(session.connection(), **RANGE, actor=LEAD)
    assert b.archive_reasons.to_dict("records") == [
        {"category": "other", "reason": "Other", "drafts": 1},
        {"category": "wrong_tone", "reason": "Wrong tone", "drafts": 1},
    ]


def test_validation_outcomes_and_weekly_volume(session: Session, history: None) -> None:
    b = analytics.breakdowns(session.connection(), **RANGE, actor=LEAD)
    assert dict(zip(b.validation_outcomes["validation"], b.validation_outcomes["drafts"], strict=True)) == {
        "failed": 1, "not checked": 2, "passed": 2, "warnings": 1,
    }
    assert b.volume_grain == "week"
    weeks = b.volume.to_dict("records")
    assert [(str(w["week"]), w["written"], w["sent"], w["archived"]) for w in weeks] == [
        ("2001-03-05", 4, 2, 1),
        ("2001-03-12", 2, 0, 1),
    ]


def test_status_funnel_narrows_from_written_to_sent(session: Session, history: None) -> None:
    funnel = analytics.status_funnel(analytics.kpis(session.connection(), **RANGE, actor=LEAD))
    assert list(funnel["drafts"]) == [6, 5, 3, 2]


def test_broker_activity_has_one_row_per_broker_and_a_column_per_action(
    session: Session, history: None
) -> None:
    activity = analytics.broker_activity(session.connection(), **RANGE, actor=LEAD)
    assert activity.to_dict("records") == [
        {"broker": "ana@example.com", "approve": 2, "archive": 0, "send": 2, "total": 4},
        {"broker": "bo@example.com", "approve": 0, "archive": 1, "send": 0, "total": 1},
    ]


def test_broker_activity_counts_actions_outside_the_registry_as_other_and_leaves_out_opened(
    session: Session, history: None
) -> None:
    draft = _any_draft(session)
    for action in ("merged_by_hand", "opened", "validate"):
        session.add(DraftEvent(draft_id=draft, actor="bo@example.com", action=action, created_at=T0))
    session.flush()
    activity = analytics.broker_activity(session.connection(), **RANGE, actor=LEAD)
    assert list(activity.columns) == ["broker", "approve", "archive", "send", "validate", "other", "total"]
    assert activity.to_dict("records")[1] == {"broker": "bo@example.com", "approve": 0, "archive": 1, "send": 0,
                                              "validate": 1, "other": 1, "total": 3}


def test_breakdowns_of_an_empty_range_are_empty_frames_with_their_columns(session: Session) -> None:
    b = analytics.breakdowns(session.connection(), start=date(1990, 1, 1), end=date(1990, 1, 2), actor=LEAD)
    assert list(b.confidence_by_outcome.columns) == ["bucket", "outcome", "drafts"]
    assert list(b.calibration.columns) == ["bucket", "decided", "sent_unedited", "share_sent_unedited"]
    assert list(b.volume.columns) == ["week", "written", "sent", "archived"]
    assert all(frame.empty for frame in (b.confidence_by_outcome, b.calibration, b.archive_reasons,
                                         b.validation_outcomes, b.volume))
