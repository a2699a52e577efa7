"""What team leads see: KPIs and chart data for drafts created in a date range.

Everything is aggregated in PostgreSQL and comes back as one small row or a few small
DataFrames: one pass over email_drafts for the KPIs, one GROUPING SETS pass for every
draft-level chart, one over draft_events for activity per broker.

Every function takes the actor: it needs VIEW_ANALYTICS, and without VIEW_ALL_BROKERS (a
broker) the figures cover only the drafts that broker acted on and only their own activity.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import text

from echo_core.lifecycle import ARCHIVE_REASONS
from echo_core.permissions import Action, Actor, require
from echo_core.queries.reading import Bind, reading

# Per-draft facts shared by both passes. The sent body is final_body: `send` copies it into the
# email and a sent draft can never be edited again, so no join to emails is needed (a join on
# the mostly-NULL sent_email_id also made PostgreSQL's hash join degenerate at 300k drafts).
# "Approved" means a broker approved it at some point that still stands: approved, sent,
# or archived from either.
_BASE = """
    SELECT d.id, d.status, d.confidence_score, d.created_at, d.reviewed_at, d.sent_at,
           d.validation ->> 'status' AS validation_status, d.archive_category,
           greatest(coalesce(jsonb_array_length(d.draft_versions), 1) - 1, 0) AS refinements,
           (d.status IN ('approved', 'sent') OR d.sent_email_id IS NOT NULL
            OR d.archived_from_status IN ('approved', 'sent')) AS was_approved,
           (d.status = 'sent' OR d.sent_email_id IS NOT NULL) AS was_sent,
           CASE WHEN d.status = 'sent' OR d.sent_email_id IS NOT NULL
                THEN btrim(d.ai_generated_body) = btrim(coalesce(d.final_body, '')) END AS sent_unedited
    FROM email_drafts d
    WHERE d.created_at >= :start AND d.created_at < :end
      AND (CAST(:broker AS text) IS NULL
           OR EXISTS (SELECT 1 FROM draft_events ev WHERE ev.draft_id = d.id AND ev.actor = :broker))
"""

# A broker's own sent emails: replies to drafts they acted on (for the time-saved figures).
_MINE = """(CAST(:broker AS text) IS NULL OR EXISTS (
    SELECT 1 FROM email_drafts m JOIN draft_events ev ON ev.draft_id = m.id
    WHERE m.sent_email_id = e.id AND ev.actor = :broker))"""

_KPIS = text(
    f"""
    WITH base AS ({_BASE}),
    -- How much brokers edit: a word-level Dice coefficient between the AI body and the sent body.
    -- Untouched sends count 1.0 exactly; the split-and-intersect costs ~0.4 ms a row, so the edited
    -- ones are measured on a fixed pseudo-random sample (md5 of the id) of at most :sample drafts.
    edited AS (
        SELECT id FROM base WHERE was_sent AND NOT sent_unedited ORDER BY md5(id::text) LIMIT :sample
    ),
    overlap AS (
        SELECT avg(2.0 * (SELECT count(*) FROM (SELECT unnest(w.ai) INTERSECT ALL SELECT unnest(w.sent)) i)
                   / nullif(cardinality(w.ai) + cardinality(w.sent), 0)) AS similarity,
               count(*) AS measured
        FROM edited x
        JOIN email_drafts d ON d.id = x.id
        CROSS JOIN LATERAL (
            SELECT regexp_split_to_array(lower(btrim(d.ai_generated_body)), '\\s+') AS ai,
                   regexp_split_to_array(lower(btrim(coalesce(d.final_body, ''))), '\\s+') AS sent
        ) w
    )
    SELECT count(*) AS written,
           count(*) FILTER (WHERE was_approved) AS approved,
           count(*) FILTER (WHERE was_sent) AS sent,
           count(*) FILTER (WHERE status = 'archived') AS archived,
           count(*) FILTER (WHERE status <> 'pending') AS decided,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM reviewed_at - created_at))
               FILTER (WHERE reviewed_at IS NOT NULL) AS median_review_seconds,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM sent_at - created_at))
               FILTER (WHERE sent_at IS NOT NULL) AS median_send_seconds,
           avg(confidence_score) AS avg_confidence,
           count(*) FILTER (WHERE validation_status = 'failed') AS validation_failed,
           count(*) FILTER (WHERE validation_status IS NOT NULL) AS validated,
           avg(refinements) AS refinements_per_draft,
           (SELECT similarity FROM overlap) AS edited_similarity,
           (SELECT measured FROM overlap) AS similarity_measured,
           count(*) FILTER (WHERE sent_unedited) AS sent_unedited,
           (SELECT sum((e.ai_metadata #>> '{{timeSaved,traditional}}')::float
                       - (e.ai_metadata #>> '{{timeSaved,withAI}}')::float)
            FROM emails e WHERE e.sent_at >= :start AND e.sent_at < :end
              AND jsonb_typeof(e.ai_metadata -> 'timeSaved') = 'object' AND {_MINE}) AS time_saved_minutes,
           (SELECT count(*) FROM emails e WHERE e.sent_at >= :start AND e.sent_at < :end
              AND jsonb_typeof(e.ai_metadata -> 'timeSaved') = 'object' AND {_MINE}) AS time_saved_emails
    FROM base
    """
)

# One pass, five charts: GROUPING() tells which grouping set each row belongs to.
_BREAKDOWNS = text(
    f"""
    WITH base AS ({_BASE}),
    tagged AS (
        SELECT *,
               least(confidence_score / 10, 9) * 10 AS bucket,
               CASE WHEN was_sent THEN 'sent' WHEN status = 'archived' THEN 'archived' END AS outcome,
               CASE WHEN status = 'archived' THEN coalesce(archive_category, 'other') END AS category,
               coalesce(validation_status, 'not checked') AS validation,
               date_trunc('week', created_at AT TIME ZONE 'UTC')::date AS week
        FROM base
    )
    SELECT GROUPING(bucket, outcome, category, validation, week) AS grouping_id,
           bucket, outcome, category, validation, week,
           count(*) AS drafts,
           count(*) FILTER (WHERE was_sent) AS sent,
           count(*) FILTER (WHERE status = 'archived') AS archived,
           count(*) FILTER (WHERE outcome IS NOT NULL) AS decided,
           count(*) FILTER (WHERE sent_unedited) AS sent_unedited
    FROM tagged
    GROUP BY GROUPING SETS ((bucket, outcome), (bucket), (category), (validation), (week))
    """
)

# GROUPING(bucket, outcome, category, validation, week): a bit is set for each column NOT grouped.
_BY_BUCKET_OUTCOME = 0b00111
_BY_BUCKET = 0b01111
_BY_CATEGORY = 0b11011
_BY_VALIDATION = 0b11101
_BY_WEEK = 0b11110

_ACTIVITY = text(
    """
    SELECT actor AS broker, action, count(*) AS actions
    FROM draft_events
    WHERE created_at >= :start AND created_at < :end AND (CAST(:broker AS text) IS NULL OR actor = :broker)
    GROUP BY actor, action
    ORDER BY actor, action
    """
)


@dataclass(frozen=True)
class Kpis:
    written: int
    approved: int
    sent: int
    archived: int
    decided: int
    approval_rate: float | None  # approved / drafts no longer pending
    median_review: timedelta | None
    median_send: timedelta | None
    avg_confidence: float | None
    validation_failure_rate: float | None  # failed / fact-checked
    refinements_per_draft: float | None
    edit_similarity: float | None  # mean AI-vs-sent similarity over sent drafts, 1.0 = untouched
    sent_unedited: int
    similarity_measured: int  # edited sent drafts whose overlap was measured (all of them, up to the sample)
    time_saved_minutes: float | None
    time_saved_emails: int


@dataclass(frozen=True)
class Breakdowns:
    confidence_by_outcome: pd.DataFrame  # bucket, outcome, drafts
    calibration: pd.DataFrame  # bucket, decided, sent_unedited, share_sent_unedited
    archive_reasons: pd.DataFrame  # category, reason, drafts
    validation_outcomes: pd.DataFrame  # validation, drafts
    weekly_volume: pd.DataFrame  # week, written, sent, archived


def date_bounds(start: date, end: date) -> dict[str, datetime]:
    """Bind parameters for an inclusive date range, read as UTC days."""
    return {
        "start": datetime.combine(start, time.min, tzinfo=UTC),
        "end": datetime.combine(end + timedelta(days=1), time.min, tzinfo=UTC),
    }


def _params(actor: Actor, start: date, end: date) -> dict[str, datetime | str | None]:
    """The date range, and the broker to restrict to (None: everyone) — after the permission check."""
    require(actor, Action.VIEW_ANALYTICS)
    broker = None if actor.may(Action.VIEW_ALL_BROKERS) else actor.email
    return {**date_bounds(start, end), "broker": broker}


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _seconds(value: Any) -> timedelta | None:
    return None if value is None else timedelta(seconds=float(value))


SIMILARITY_SAMPLE = 2000  # edited sends measured per query: bounds the cost, ±1% on the mean


def _edit_similarity(sent: int, unedited: int, edited_mean: Any) -> float | None:
    """Mean over all sent drafts: untouched ones are exactly 1.0, edited ones their (sampled) mean."""
    if not sent:
        return None
    edited = sent - unedited
    if edited and edited_mean is None:  # nothing measured (a zero sample): unknown, not "untouched"
        return None
    return (unedited + edited * (float(edited_mean) if edited else 0.0)) / sent


def kpis(engine: Bind, *, start: date, end: date, actor: Actor, sample: int = SIMILARITY_SAMPLE) -> Kpis:
    params = {**_params(actor, start, end), "sample": sample}
    with reading(engine) as conn:
        row = conn.execute(_KPIS, params).mappings().one()
    sent, unedited = int(row["sent"]), int(row["sent_unedited"])
    return Kpis(
        written=int(row["written"]), approved=int(row["approved"]), sent=int(row["sent"]),
        archived=int(row["archived"]), decided=int(row["decided"]),
        approval_rate=_ratio(int(row["approved"]), int(row["decided"])),
        median_review=_seconds(row["median_review_seconds"]), median_send=_seconds(row["median_send_seconds"]),
        avg_confidence=_float(row["avg_confidence"]),
        validation_failure_rate=_ratio(int(row["validation_failed"]), int(row["validated"])),
        refinements_per_draft=_float(row["refinements_per_draft"]),
        edit_similarity=_edit_similarity(sent, unedited, row["edited_similarity"]), sent_unedited=unedited,
        similarity_measured=int(row["similarity_measured"]),
        time_saved_minutes=_float(row["time_saved_minutes"]), time_saved_emails=int(row["time_saved_emails"]),
    )


def status_funnel(k: Kpis) -> pd.DataFrame:
    """Written → reviewed → approved → sent, from the KPI pass (no extra query)."""
    return pd.DataFrame(
        {"stage": ["1 written", "2 reviewed", "3 approved", "4 sent"],
         "drafts": [k.written, k.decided, k.approved, k.sent]}
    )


def breakdowns(engine: Bind, *, start: date, end: date, actor: Actor) -> Breakdowns:
    params = _params(actor, start, end)
    with reading(engine) as conn:
        rows = pd.read_sql(_BREAKDOWNS, conn, params=params)
    part = {gid: rows[rows["grouping_id"] == gid] for gid in rows["grouping_id"].unique()}
    empty = rows.iloc[0:0]

    def of(gid: int) -> pd.DataFrame:
        return part.get(gid, empty)

    confidence = of(_BY_BUCKET_OUTCOME)
    confidence = confidence[confidence["outcome"].notna()][["bucket", "outcome", "drafts"]]
    calibration = of(_BY_BUCKET)[["bucket", "decided", "sent_unedited"]]
    calibration = calibration[calibration["decided"] > 0].assign(
        share_sent_unedited=lambda f: (f["sent_unedited"] / f["decided"]).round(3)
    )
    reasons = of(_BY_CATEGORY)
    reasons = reasons[reasons["category"].notna()][["category", "drafts"]]
    reasons = reasons.assign(reason=reasons["category"].map(lambda c: ARCHIVE_REASONS.get(c, "Other")))
    weekly = of(_BY_WEEK)[["week", "drafts", "sent", "archived"]].rename(columns={"drafts": "written"})
    return Breakdowns(
        confidence_by_outcome=_tidy(confidence, "bucket", "outcome"),
        calibration=_tidy(calibration, "bucket"),
        archive_reasons=_tidy(reasons[["category", "reason", "drafts"]], "category"),
        validation_outcomes=_tidy(of(_BY_VALIDATION)[["validation", "drafts"]], "validation"),
        weekly_volume=_tidy(weekly, "week"),
    )


def _tidy(frame: pd.DataFrame, *order: str) -> pd.DataFrame:
    """Plain ints for bucket columns and a fresh index, sorted for display."""
    frame = frame.sort_values(list(order)).reset_index(drop=True)
    if "bucket" in frame:
        frame["bucket"] = frame["bucket"].astype(int)
    return frame


def broker_activity(engine: Bind, *, start: date, end: date, actor: Actor) -> pd.DataFrame:
    """One row per broker, one column per action, from the audit trail (a broker: their own row only)."""
    params = _params(actor, start, end)
    with reading(engine) as conn:
        rows = pd.read_sql(_ACTIVITY, conn, params=params)
    if rows.empty:
        return pd.DataFrame(columns=["broker", "total"])
    wide = rows.pivot_table(index="broker", columns="action", values="actions", aggfunc="sum", fill_value=0)
    wide.columns = [str(c) for c in wide.columns]
    wide["total"] = wide.sum(axis=1)
    return wide.sort_values("total", ascending=False).reset_index()
