"""Analytics for team leads: KPIs and charts over drafts created in a date range."""

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from echo_core.errors import EchoError
from echo_core.permissions import Action
from echo_core.queries.analytics import status_funnel
from echo_core.services.time_saved import time_saved_help
from ui import charts, figures, flash
from ui.actor import current_actor
from ui.analytics_data import TTL_SECONDS, load_activity, load_breakdowns, load_kpis
from ui.figures import Shown
from ui.formatting import ACTION_LABELS, article, hours, show_table
from ui.resources import get_engine
from ui.text import md_escape
from ui.widgets import dataframe_download

engine = get_engine()
actor = current_actor()

# The charts: drawn on the server as HTML (ui.charts says why not Vega-Lite).
BUCKET = "confidence (bucket start)"
CONFIDENCE = charts.Bars("bucket", "drafts", x_title=BUCKET, y_title="drafts", color="outcome",
                         color_domain=("sent", "archived"))
CALIBRATION = charts.Bars("bucket", "share_sent_unedited", x_title=BUCKET, y_title="share sent untouched",
                          percent=True)
REASONS = charts.HorizontalBars("reason", "drafts", category_title="reason", value_title="drafts")
FUNNEL = charts.HorizontalBars("stage", "drafts", category_title="stage", value_title="drafts")
VOLUME_SERIES = ("written", "sent", "archived")
VOLUME = {grain: charts.Lines(grain, VOLUME_SERIES, x_title=grain, y_title="drafts", monthly=grain == "month")
          for grain in ("week", "month")}
TABS = ("Confidence", "Volume and funnel", "Archive and fact checks", "Activity per broker")
VALIDATION = charts.Bars("validation", "drafts", x_title="validation", y_title="drafts")


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def num(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def duration(value: timedelta | None) -> str:
    if value is None:
        return "—"
    span = value.total_seconds() / 3600
    return f"{span * 60:.0f} min" if span < 1 else f"{span:.1f} h" if span < 48 else f"{span / 24:.1f} days"


def chart_data(title: str, frame: pd.DataFrame, key: str) -> None:
    """The chart's numbers as a CSV download (formula cells neutralised), for those who may export; the CSV is
    built when clicked, not on every run of the page."""
    if not actor.may(Action.EXPORT):
        return
    dataframe_download(f"Download {title} (CSV)", frame, actor=actor, file_name=f"{key}.csv", key=f"csv_{key}")


def chart_panel(heading: str, frame: pd.DataFrame, spec: charts.Spec, key: str, *, empty: str | None,
                note: str | None = None, csv_title: str | None = None) -> None:
    """A chart under its heading (or the `empty` line when there is nothing to draw), then its CSV download."""
    st.subheader(heading)
    if note:
        st.caption(note)
    if empty is not None and frame.empty:
        st.info(empty)
    else:
        charts.show(frame, spec, name=heading, key=f"chart_{key}")
    chart_data(csv_title or heading.lower(), frame, key)


st.title("Analytics")
flash.show()
if not actor.may(Action.VIEW_ANALYTICS):
    st.error(md_escape(f"{actor.email} is signed in as {article(actor.role.value)} and may not view analytics."))
    st.stop()

today = date.today()
picked = st.date_input("Drafts created between", value=(today - timedelta(days=90), today), key="analytics_range")
if not isinstance(picked, tuple) or len(picked) != 2:
    st.info("Pick the last day of the range.")
    st.stop()
start, end = picked
st.caption(f"Figures reflect every action within {TTL_SECONDS // 60} minute; dates are UTC days.")

try:
    kpis = load_kpis(engine, start, end, actor)
    parts = load_breakdowns(engine, start, end, actor)
except EchoError as error:
    st.error(md_escape(error))
    st.stop()

period = f"drafts created {start:%-d %b %Y} – {end:%-d %b %Y}"
figures.row(*(figures.defined(figure, f"{figures.volume_value(kpis, figure):,}", period=period)
              for figure in figures.VOLUME))
figures.row(Shown("Approval rate", pct(kpis.approval_rate), "Approved ÷ drafts no longer pending"),
            Shown("Median draft → review", duration(kpis.median_review)),
            Shown("Median draft → send", duration(kpis.median_send)),
            Shown("Average confidence", num(kpis.avg_confidence, 0)))
figures.row(
    Shown("Fact-check failure rate", pct(kpis.validation_failure_rate), "Failed ÷ fact-checked drafts"),
    Shown("Refinements per draft", num(kpis.refinements_per_draft, 2)),
    Shown("AI text kept when sent", pct(kpis.edit_similarity),
          "Word overlap between the AI draft and the email sent (100% = sent untouched). "
          f"{kpis.sent_unedited} of {kpis.sent} sent without edits; the edited ones measured on "
          f"{kpis.similarity_measured} of {kpis.sent - kpis.sent_unedited} (a fixed sample when there are many)."),
    Shown("Time saved", hours(kpis.time_saved_minutes), time_saved_help(kpis.time_saved_emails)),
)

# One tab's charts at a time: a click draws two charts instead of six and a table; a hidden tab's content does
# not run at all.
quality, volume, outcomes, people = st.tabs(TABS, key="analytics_tab", on_change="rerun")
if quality.open:
    with quality:
        left, right = st.columns(2)
        with left:
            chart_panel("Confidence by outcome", parts.confidence_by_outcome, CONFIDENCE, "confidence_by_outcome",
                        empty="No sent or archived drafts in this range.")
        with right:
            chart_panel("Calibration", parts.calibration, CALIBRATION, "calibration",
                        empty="No decided drafts in this range.",
                        note="Per confidence bucket: the share of decided drafts sent without edits.")

if volume.open:
    with volume:
        left, right = st.columns(2)
        with left:
            # A range longer than a year is charted by calendar month (echo_core.queries.analytics_periods).
            chart_panel(f"{parts.volume_grain.capitalize()}ly volume", parts.volume, VOLUME[parts.volume_grain],
                        "volume", empty="No drafts in this range.")
        with right:
            chart_panel("Status funnel", status_funnel(kpis), FUNNEL, "status_funnel", empty=None)

if outcomes.open:
    with outcomes:
        left, right = st.columns(2)
        with left:
            chart_panel("Archive reasons", parts.archive_reasons, REASONS, "archive_reasons",
                        empty="No archived drafts in this range.")
        with right:
            chart_panel("Fact-check outcomes", parts.validation_outcomes, VALIDATION, "validation_outcomes",
                        empty="No drafts in this range.")

if people.open:
    with people:
        try:
            activity = load_activity(engine, start, end, actor)
        except EchoError as error:
            st.error(md_escape(error))
            st.stop()
        st.subheader("Activity per broker")
        if not actor.may(Action.VIEW_ALL_BROKERS):  # echo_core.queries.analytics scopes every figure to this broker
            st.caption("Your own work: the drafts you acted on and your actions. Leads and analysts see the whole "
                       "team.")
        if activity.empty:
            st.info("No draft actions in this range.")
        else:
            show_table(activity.rename(columns=ACTION_LABELS), key="analytics_activity")
        chart_data("activity per broker", activity, "broker_activity")
