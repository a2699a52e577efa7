"""What team leads see: KPIs and chart data for drafts created in a date range.

Everything is read from the rollups of revision 0011, which triggers keep exact in the same
transaction as every draft action, audit event and email: a few thousand pre-summed rows
instead of 300k drafts, 1M emails and the audit trail. Three statements serve the page: the
KPIs, one GROUPING SETS pass for every draft-level chart, and activity per broker.

A range reads its whole ISO weeks from weekly rows and the days at either edge from daily rows
(dates are UTC days). Medians come from a log-spaced histogram, 8 steps per doubling: each
middle value is read as the geometric middle of its step, so the median is within ±4.4 % of
percentile_cont(0.5) over the drafts (anything under a second reads as about a second).

Every function takes the actor: it needs VIEW_ANALYTICS, and without VIEW_ALL_BROKERS (a
broker) the figures cover only the drafts that broker acted on and only their own activity.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import text

from echo_core.lifecycle import ARCHIVE_REASONS
from echo_core.permissions import Action, Actor, require
from echo_core.queries.reading import Bind, reading

HISTOGRAM_STEPS_PER_DOUBLING = 8
TEAM = ""  # the rollups' broker key for the whole team

# Whole weeks from 'w' rows, the edge days from 'd' rows: never both for one day.
_PERIOD = """((grain = 'w' AND period >= :weeks_start AND period < :weeks_end)
    OR (grain = 'd' AND period >= :start AND period <= :end AND (period < :weeks_start OR period >= :weeks_end)))"""

_KPIS = text(
    f"""
    WITH drafts AS (SELECT * FROM analytics_draft_rollup WHERE broker = :scope AND {_PERIOD}),
    histogram AS (
        SELECT kind, step, sum(drafts) AS n FROM analytics_duration_rollup
        WHERE broker = :scope AND {_PERIOD} GROUP BY kind, step HAVING sum(drafts) > 0
    ),
    running AS (
        SELECT kind, step, sum(n) OVER (PARTITION BY kind ORDER BY step) AS below,
               sum(n) OVER (PARTITION BY kind) AS total
        FROM histogram
    ),
    -- The steps of the lower and upper middle values (the same one for an odd count).
    medians AS (
        SELECT kind, min(step) FILTER (WHERE 2 * below >= total) AS lower,
               min(step) FILTER (WHERE 2 * below > total) AS upper
        FROM running GROUP BY kind
    ),
    saved AS (
        SELECT sum(emails) AS emails, sum(measured) AS measured, sum(minutes) AS minutes
        FROM analytics_time_saved_rollup WHERE broker = :scope AND {_PERIOD}
    )
    SELECT coalesce(sum(drafts), 0) AS written,
           coalesce(sum(approved), 0) AS approved,
           coalesce(sum(sent), 0) AS sent,
           coalesce(sum(archived), 0) AS archived,
           coalesce(sum(decided), 0) AS decided,
           sum(confidence_sum)::float / nullif(sum(drafts), 0) AS avg_confidence,
           coalesce(sum(drafts) FILTER (WHERE validation = 'failed'), 0) AS validation_failed,
           coalesce(sum(drafts) FILTER (WHERE validation <> 'not checked'), 0) AS validated,
           sum(refinements_sum)::float / nullif(sum(drafts), 0) AS refinements_per_draft,
           coalesce(sum(sent_unedited), 0) AS sent_unedited,
           sum(similarity_sum) AS similarity_sum,
           coalesce(sum(similarity_n), 0) AS similarity_measured,
           (SELECT ARRAY[lower, upper] FROM medians WHERE kind = 'review') AS review_steps,
           (SELECT ARRAY[lower, upper] FROM medians WHERE kind = 'send') AS send_steps,
           (SELECT CASE WHEN measured > 0 THEN minutes END FROM saved) AS time_saved_minutes,
           (SELECT coalesce(emails, 0) FROM saved) AS time_saved_emails
    FROM drafts
    """
)

# One pass, five charts: GROUPING() tells which grouping set each row belongs to.
_BREAKDOWNS = text(
    f"""
    WITH tagged AS (
        SELECT bucket, nullif(outcome, '') AS outcome, nullif(category, '') AS category, validation,
               CASE grain WHEN 'w' THEN period ELSE date_trunc('week', period)::date END AS week,
               drafts, sent, archived, sent_unedited
        FROM analytics_draft_rollup WHERE broker = :scope AND {_PERIOD}
    )
    SELECT GROUPING(bucket, outcome, category, validation, week) AS grouping_id,
           bucket, outcome, category, validation, week,
           sum(drafts) AS drafts,
           sum(sent) AS sent,
           sum(archived) AS archived,
           coalesce(sum(drafts) FILTER (WHERE outcome IS NOT NULL), 0) AS decided,
           sum(sent_unedited) AS sent_unedited
    FROM tagged
    GROUP BY GROUPING SETS ((bucket, outcome), (bucket), (category), (validation), (week))
    HAVING sum(drafts) > 0
    """
)

# GROUPING(bucket, outcome, category, validation, week): a bit is set for each column NOT grouped.
_BY_BUCKET_OUTCOME = 0b00111
_BY_BUCKET = 0b01111
_BY_CATEGORY = 0b11011
_BY_VALIDATION = 0b11101
_BY_WEEK = 0b11110

_ACTIVITY = text(
    f"""
    SELECT actor AS broker, action, sum(actions) AS actions
    FROM analytics_activity_rollup
    WHERE {_PERIOD} AND (:scope = '' OR actor = :scope) AND action <> 'opened'  -- reading is not work
    GROUP BY actor, action
    HAVING sum(actions) > 0
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
    similarity_measured: int  # edited sent drafts whose overlap was measured: all of them
    time_saved_minutes: float | None
    time_saved_emails: int


@dataclass(frozen=True)
class Breakdowns:
    confidence_by_outcome: pd.DataFrame  # bucket, outcome, drafts
    calibration: pd.DataFrame  # bucket, decided, sent_unedited, share_sent_unedited
    archive_reasons: pd.DataFrame  # category, reason, drafts
    validation_outcomes: pd.DataFrame  # validation, drafts
    weekly_volume: pd.DataFrame  # week, written, sent, archived


def period_params(start: date, end: date) -> dict[str, date]:
    """Bind parameters for an inclusive range of UTC days: its whole ISO weeks, and its edges."""
    after = min(end, date.max - timedelta(days=1)) + timedelta(days=1)
    weeks_start = start + timedelta(days=-start.weekday() % 7)  # the first Monday on or after start
    weeks_end = max(after - timedelta(days=after.weekday()), weeks_start)  # the last Monday on or before end + 1
    return {"start": start, "end": end, "weeks_start": weeks_start, "weeks_end": weeks_end}


def _params(actor: Actor, start: date, end: date) -> dict[str, date | str]:
    """The date range, and the rollup scope: '' (everyone) or the broker — after the permission check."""
    require(actor, Action.VIEW_ANALYTICS)
    scope = TEAM if actor.may(Action.VIEW_ALL_BROKERS) else actor.email
    return {**period_params(start, end), "scope": scope}


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _median(steps: Any) -> timedelta | None:
    """Like percentile_cont(0.5): the mean of the two middle values, each read as its step's geometric middle."""
    if steps is None:
        return None
    seconds = [2 ** ((int(step) + 0.5) / HISTOGRAM_STEPS_PER_DOUBLING) for step in steps]
    return timedelta(seconds=sum(seconds) / len(seconds))


def _edit_similarity(sent: int, unedited: int, similarity_sum: Any) -> float | None:
    """Mean over all sent drafts: untouched ones count exactly 1.0, edited ones their word overlap."""
    return (unedited + float(similarity_sum or 0.0)) / sent if sent else None


def kpis(engine: Bind, *, start: date, end: date, actor: Actor) -> Kpis:
    with reading(engine) as conn:
        row = conn.execute(_KPIS, _params(actor, start, end)).mappings().one()
    sent, unedited, measured = int(row["sent"]), int(row["sent_unedited"]), int(row["similarity_measured"])
    return Kpis(
        written=int(row["written"]), approved=int(row["approved"]), sent=sent,
        archived=int(row["archived"]), decided=int(row["decided"]),
        approval_rate=_ratio(int(row["approved"]), int(row["decided"])),
        median_review=_median(row["review_steps"]), median_send=_median(row["send_steps"]),
        avg_confidence=_float(row["avg_confidence"]),
        validation_failure_rate=_ratio(int(row["validation_failed"]), int(row["validated"])),
        refinements_per_draft=_float(row["refinements_per_draft"]),
        edit_similarity=_edit_similarity(sent, unedited, row["similarity_sum"]), sent_unedited=unedited,
        similarity_measured=measured,
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
    rows = _frame(engine, _BREAKDOWNS, params)
    for column in ("drafts", "sent", "archived", "decided", "sent_unedited"):
        rows[column] = rows[column].astype("int64")
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


def _frame(engine: Bind, sql: Any, params: dict[str, Any]) -> pd.DataFrame:
    """The rows as a DataFrame in one round trip (pandas.read_sql would first ask the catalog whether the
    statement names a table: two extra round trips per page load)."""
    with reading(engine) as conn:
        result = conn.execute(sql, params)
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def _tidy(frame: pd.DataFrame, *order: str) -> pd.DataFrame:
    """Plain ints for bucket columns and a fresh index, sorted for display."""
    frame = frame.sort_values(list(order)).reset_index(drop=True)
    if "bucket" in frame:
        frame["bucket"] = frame["bucket"].astype(int)
    return frame


def broker_activity(engine: Bind, *, start: date, end: date, actor: Actor) -> pd.DataFrame:
    """One row per broker, one column per action, from the audit trail (a broker: their own row only)."""
    params = _params(actor, start, end)
    rows = _frame(engine, _ACTIVITY, params)
    if rows.empty:
        return pd.DataFrame(columns=["broker", "total"])
    rows["actions"] = rows["actions"].astype("int64")
    wide = rows.pivot_table(index="broker", columns="action", values="actions", aggfunc="sum", fill_value=0)
    wide.columns = [str(c) for c in wide.columns]
    wide["total"] = wide.sum(axis=1)
    return wide.sort_values("total", ascending=False).reset_index()
