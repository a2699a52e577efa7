"""The trigger-kept analytics rollups (revision 0011) agree with the base tables.

A seeded random history — drafts of every confidence and fact-check status, then approvals,
edits, sends, archives and restores by two brokers through the services — and afterwards every
figure the Analytics page shows, for the team and for each broker, equals a direct computation
over email_drafts, emails and draft_events; and the rollups equal a rebuild from scratch.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from statistics import mean
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from echo_core.db.models import Email, EmailDraft
from echo_core.lifecycle import ARCHIVE_CATEGORIES
from echo_core.permissions import Actor, Role
from echo_core.queries import analytics
from echo_core.services import draft_send, drafts
from tests.factories import ensure_accounts, make_deal, make_draft, make_email

T0 = datetime(2002, 1, 2, 8, 0, tzinfo=UTC)  # a Wednesday: the ranges below have ragged week edges
# Ragged weeks within a month, whole months (read from monthly rows), one day, and three ranges over a year
# (charted by month): whole months only, then drafts in the last month's ragged edge, then in the first's.
RANGES = [(date(2002, 1, 3), date(2002, 2, 20)), (date(2002, 1, 1), date(2002, 3, 31)),
          (date(2002, 1, 9), date(2002, 1, 9)), (date(2001, 2, 1), date(2002, 3, 31)),
          (date(2001, 3, 10), date(2002, 3, 20)), (date(2002, 1, 9), date(2003, 1, 31))]
LEAD = Actor("lead@tandem.space", Role.LEAD)
BROKERS = [Actor("ana@tandem.space", Role.BROKER), Actor("bo@tandem.space", Role.BROKER)]


@pytest.fixture(autouse=True)
def _broker_accounts(session: Session) -> None:
    """The services re-read the acting account: ana and bo are active brokers."""
    ensure_accounts(session, [(b.email, "broker") for b in BROKERS])


WORDS = "the space has parking dogs are welcome tour on tuesday at two rent is due monthly".split()


def _body(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 12)))


ALLOWED = {"approve": ("pending",), "edit": ("pending", "approved"), "send": ("approved",),
           "archive": ("pending", "approved", "sent"), "restore": ("archived",)}
WEIGHTS = {"approve": 3, "edit": 2, "send": 4, "archive": 1, "restore": 1}  # enough edited sends in 40 drafts


def _act(session: Session, rng: random.Random, draft: EmailDraft, at: datetime) -> None:
    """A few random actions by random brokers, each one the lifecycle allows from the draft's status."""
    for step in range(rng.randint(0, 6)):
        actor, now = rng.choice(BROKERS), at + timedelta(minutes=rng.randint(1, 3000) * (step + 1))
        action = rng.choice([a for a, statuses in ALLOWED.items() if draft.status in statuses
                             for _ in range(WEIGHTS[a])])
        if action == "approve":
            drafts.approve(session=session, draft_id=draft.id, actor=actor, override_failed_validation=True, now=now)
        elif action == "edit":
            drafts.edit(session=session, draft_id=draft.id, actor=actor, body=_body(rng), now=now)
        elif action == "send":
            draft_send.send(session=session, draft_id=draft.id, actor=actor, now=now)
        elif action == "archive":
            drafts.archive(session=session, draft_id=draft.id, actor=actor, reason=rng.choice(ARCHIVE_CATEGORIES),
                           now=now)
        else:
            drafts.restore(session=session, draft_id=draft.id, actor=actor)
        session.refresh(draft)


def _history(session: Session, seed: int) -> None:
    rng = random.Random(seed)
    deal = make_deal(session)
    for _ in range(40):
        created = T0 + timedelta(hours=rng.randint(0, 24 * 70))
        body = _body(rng)
        versions = [{"version": n, "body": body, "confidence": 50, "createdAt": created.isoformat(),
                     "prompt": "Make it shorter" if n else None} for n in range(rng.randint(1, 4))]
        check = rng.choice([None, "passed", "warnings", "failed"])
        draft = make_draft(session, deal=deal, body=body, confidence_score=rng.randint(0, 100), created_at=created,
                           draft_versions=versions,
                           validation=check and {"status": check, "issues": [], "checkedAt": created.isoformat()})
        _act(session, rng, draft, created)
    # Emails carrying timeSaved, one of them changed afterwards (the email trigger), one with text minutes.
    for n in range(6):
        saved = {"traditional": rng.randint(5, 30), "withAI": rng.randint(0, 4)} if n else {"traditional": "x"}
        make_email(session, deal=deal, sent_at=T0 + timedelta(days=rng.randint(0, 60)),
                   ai_metadata={"timeSaved": saved})
    sent = session.query(Email).filter(Email.deal_id == deal.id, Email.ai_generated.is_(True)).first()
    if sent is not None:
        sent.ai_metadata = {"timeSaved": {"traditional": 20, "withAI": 5}}
    session.flush()


def _dice(ai: str, sent: str) -> float:
    a, b = ai.strip().lower().split(), sent.strip().lower().split()
    common = sum(min(a.count(w), b.count(w)) for w in set(a))
    return 2 * common / (len(a) + len(b))


def _direct(session: Session, start: date, end: date, broker: str | None) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Drafts in range (scoped) straight from the base tables, and the time saved from emails."""
    bounds = {"start": start, "end": end + timedelta(days=1), "broker": broker}
    frame = pd.read_sql(text("""
        SELECT d.status, d.confidence_score, d.created_at, d.ai_generated_body, d.final_body,
               d.validation ->> 'status' AS validation, d.archive_category, d.archived_from_status, d.sent_email_id,
               extract(epoch FROM d.reviewed_at - d.created_at) AS review_s,
               extract(epoch FROM d.sent_at - d.created_at) AS send_s,
               (SELECT count(*) FROM jsonb_array_elements(coalesce(d.draft_versions, '[]')) v
                WHERE jsonb_typeof(v -> 'prompt') = 'string') AS refinements  -- hand edits are versions too
        FROM email_drafts d
        WHERE (d.created_at AT TIME ZONE 'UTC')::date >= :start AND (d.created_at AT TIME ZONE 'UTC')::date < :end
          AND (CAST(:broker AS text) IS NULL
               OR EXISTS (SELECT 1 FROM draft_events ev WHERE ev.draft_id = d.id AND ev.actor = :broker))
    """), session.connection(), params=bounds)
    saved = session.execute(text("""
        SELECT count(*) AS emails,
               sum(CASE WHEN jsonb_typeof(e.ai_metadata #> '{timeSaved,traditional}') = 'number'
                   THEN (e.ai_metadata #>> '{timeSaved,traditional}')::float
                        - (e.ai_metadata #>> '{timeSaved,withAI}')::float END) AS minutes
        FROM emails e
        WHERE (e.sent_at AT TIME ZONE 'UTC')::date >= :start AND (e.sent_at AT TIME ZONE 'UTC')::date < :end
          AND jsonb_typeof(e.ai_metadata -> 'timeSaved') = 'object'
          AND (CAST(:broker AS text) IS NULL OR EXISTS (
              SELECT 1 FROM email_drafts m JOIN draft_events ev ON ev.draft_id = m.id
              WHERE m.sent_email_id = e.id AND ev.actor = :broker))
    """), bounds).mappings().one()
    frame["was_sent"] = (frame["status"] == "sent") | frame["sent_email_id"].notna()
    frame["was_approved"] = frame["status"].isin(["approved", "sent"]) | frame["sent_email_id"].notna() | (
        frame["archived_from_status"].isin(["approved", "sent"]))
    frame["unedited"] = frame["was_sent"] & (
        frame["ai_generated_body"].str.strip() == frame["final_body"].fillna("").str.strip())
    return frame, dict(saved)


def _check_kpis(k: analytics.Kpis, frame: pd.DataFrame, saved: dict[str, Any]) -> None:
    sent = frame[frame["was_sent"]]
    decided = int((frame["status"] != "pending").sum())
    assert (k.written, k.approved, k.sent, k.archived, k.decided) == (
        len(frame), int(frame["was_approved"].sum()), len(sent), int((frame["status"] == "archived").sum()), decided)
    assert k.sent_unedited == int(frame["unedited"].sum())
    assert k.avg_confidence == (pytest.approx(frame["confidence_score"].mean()) if len(frame) else None)
    assert k.refinements_per_draft == (pytest.approx(frame["refinements"].clip(lower=0).mean()) if len(frame) else None)
    checked = frame[frame["validation"].notna()]
    assert k.validation_failure_rate == (
        pytest.approx((checked["validation"] == "failed").mean()) if len(checked) else None)
    similarity = [1.0 if row.unedited else _dice(row.ai_generated_body, row.final_body or "")
                  for row in sent.itertuples()]
    assert k.edit_similarity == (pytest.approx(mean(similarity)) if similarity else None)
    for measured, column in ((k.median_review, "review_s"), (k.median_send, "send_s")):
        values = frame[column].dropna().astype(float)
        if values.empty:
            assert measured is None
        else:  # the histogram's resolution: 8 steps per doubling
            assert measured is not None
            assert measured.total_seconds() == pytest.approx(max(values.median(), 1.0), rel=0.045)
    assert k.time_saved_emails == saved["emails"]
    assert k.time_saved_minutes == (None if saved["minutes"] is None else pytest.approx(saved["minutes"]))


def _check_breakdowns(b: analytics.Breakdowns, frame: pd.DataFrame) -> None:
    frame = frame.assign(bucket=(frame["confidence_score"] // 10).clip(upper=9) * 10)
    outcome = frame["was_sent"].map({True: "sent"}).where(frame["was_sent"], frame["status"].where(
        frame["status"] == "archived"))
    by_outcome = frame[outcome.notna()].groupby(["bucket", outcome[outcome.notna()]]).size()
    assert {(r.bucket, r.outcome): r.drafts for r in b.confidence_by_outcome.itertuples()} == by_outcome.to_dict()
    archived = frame[frame["status"] == "archived"]
    assert dict(zip(b.archive_reasons["category"], b.archive_reasons["drafts"], strict=True)) == (
        archived["archive_category"].fillna("other").value_counts().to_dict())
    assert dict(zip(b.validation_outcomes["validation"], b.validation_outcomes["drafts"], strict=True)) == (
        frame["validation"].fillna("not checked").value_counts().to_dict())
    days = [pd.Timestamp(t).tz_convert("UTC").date() for t in frame["created_at"]]
    points = pd.Series([d.replace(day=1) if b.volume_grain == "month" else d - timedelta(days=d.weekday())
                        for d in days], dtype=object)
    assert dict(zip(b.volume[b.volume_grain], b.volume["written"], strict=True)) == points.value_counts().to_dict()
    decided = frame[outcome.notna()]
    assert dict(zip(b.calibration["bucket"], b.calibration["decided"], strict=True)) == (
        decided.groupby("bucket").size().to_dict())


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_figure_matches_the_base_tables_for_the_team_and_each_broker(session: Session, seed: int) -> None:
    _history(session, seed)
    conn = session.connection()
    widest = analytics.kpis(conn, start=date(2002, 1, 1), end=date(2002, 3, 31), actor=LEAD)
    assert widest.sent and widest.archived and widest.similarity_measured and widest.time_saved_emails  # a real mix
    assert all(analytics.kpis(conn, start=date(2002, 1, 1), end=date(2002, 3, 31), actor=b).written for b in BROKERS)
    for start, end in RANGES:
        for actor in (LEAD, *BROKERS):
            broker = None if actor is LEAD else actor.email
            frame, saved = _direct(session, start, end, broker)
            _check_kpis(analytics.kpis(conn, start=start, end=end, actor=actor), frame, saved)
            _check_breakdowns(analytics.breakdowns(conn, start=start, end=end, actor=actor), frame)
            activity = analytics.broker_activity(conn, start=start, end=end, actor=actor)
            assert int(activity["total"].sum()) == session.scalar(text(
                "SELECT count(*) FROM draft_events WHERE action <> 'opened' AND (created_at AT TIME ZONE 'UTC')::date "
                "BETWEEN :start AND :end AND (CAST(:broker AS text) IS NULL OR actor = :broker)"),
                {"start": start, "end": end, "broker": broker})


ROLLUP_KEYS_AND_SUMS = {
    "analytics_draft_rollup": (("grain", "period", "broker", "bucket", "outcome", "validation", "category"),
                               ("drafts", "approved", "sent", "archived", "decided", "sent_unedited",
                                "confidence_sum", "refinements_sum", "similarity_sum", "similarity_n")),
    "analytics_duration_rollup": (("grain", "period", "broker", "kind", "step"), ("drafts",)),
    "analytics_activity_rollup": (("grain", "period", "actor", "action"), ("actions",)),
    "analytics_time_saved_rollup": (("grain", "period", "broker"), ("emails", "measured", "minutes")),
}


def _snapshot(session: Session) -> dict[str, list[tuple[Any, ...]]]:
    """Every rollup summed per key (a key may have several rows), zero sums left out; floats to 9 places."""
    out = {}
    for table, (keys, sums) in ROLLUP_KEYS_AND_SUMS.items():
        summed = ", ".join(f"round(sum({c})::numeric, 9)" for c in sums)
        rows = session.execute(text(f"SELECT {', '.join(keys)}, {summed} FROM {table} "
                                    f"GROUP BY {', '.join(keys)} ORDER BY {', '.join(keys)}")).all()
        out[table] = [tuple(r) for r in rows if any(r[len(keys):])]
    out["analytics_draft_brokers"] = [tuple(r) for r in session.execute(
        text("SELECT draft_id, broker FROM analytics_draft_brokers ORDER BY 1, 2")).all()]
    return out


def test_the_triggers_leave_exactly_what_a_rebuild_computes(session: Session) -> None:
    _history(session, 4)
    kept = _snapshot(session)
    assert kept["analytics_draft_rollup"] and kept["analytics_activity_rollup"]
    session.execute(text("SELECT analytics_rollup_rebuild()"))
    assert _snapshot(session) == kept


def test_each_month_holds_exactly_its_days(session: Session) -> None:
    _history(session, 5)
    for table, (keys, sums) in ROLLUP_KEYS_AND_SUMS.items():
        others = ", ".join(k for k in keys if k not in ("grain", "period"))
        summed = ", ".join(f"round(sum({c})::numeric, 9)" for c in sums)
        by = f"date_trunc('month', period)::date, {others}"
        months, days = (session.execute(text(
            f"SELECT {by}, {summed} FROM {table} WHERE grain = :g GROUP BY {by} ORDER BY {by}"), {"g": g}).all()
            for g in ("m", "d"))
        assert months == days and months, table


def test_a_brokers_first_action_on_a_draft_brings_it_into_their_figures(session: Session) -> None:
    draft = make_draft(session, created_at=T0, confidence_score=70)
    ana, bo = BROKERS
    span = {"start": T0.date(), "end": T0.date()}
    assert analytics.kpis(session.connection(), **span, actor=ana).written == 0
    drafts.approve(session=session, draft_id=draft.id, actor=ana, override_failed_validation=True,
                   now=T0 + timedelta(hours=1))
    assert analytics.kpis(session.connection(), **span, actor=ana).approved == 1
    assert analytics.kpis(session.connection(), **span, actor=bo).written == 0
    draft_send.send(session=session, draft_id=draft.id, actor=bo, now=T0 + timedelta(hours=2))
    for actor in (ana, bo):  # ana's figures follow the draft after she stopped acting on it
        k = analytics.kpis(session.connection(), **span, actor=actor)
        assert (k.written, k.sent, k.sent_unedited) == (1, 1, 1)
    mine = analytics.broker_activity(session.connection(), **span, actor=bo)
    assert mine[["broker", "send", "total"]].to_dict("records") == [{"broker": bo.email, "send": 1, "total": 1}]
    everyone = analytics.broker_activity(session.connection(), **span, actor=LEAD)
    assert dict(zip(everyone["broker"], everyone["total"], strict=True)) == {ana.email: 1, bo.email: 1}
