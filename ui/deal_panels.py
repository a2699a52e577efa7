"""One opened deal: its facts, stage, thread, spaces, fitting spaces, and "draft a reply"."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from echo_core.db.models import DEAL_SPACE_STATUSES, DEAL_STAGES
from echo_core.errors import EchoError
from echo_core.permissions import Action, Actor
from echo_core.queries.deals import DealDetail, needs_summary
from ui import commands, form_versions, text
from ui import deals_data as data
from ui.draft_actions import open_draft
from ui.formatting import local, money, relative, show_table
from ui.health import database_guard
from ui.text import md_escape, plain
from ui.widgets import dataframe_download

VIEWS = ("thread", "spaces", "fits")
VIEW_KEY = "deal_view"


@st.fragment
@database_guard()  # the database gone mid-run: the banner, not a traceback
def show_deal(engine: Engine, deal_id: int, actor: Actor) -> None:
    """The opened deal, rerun on its own (a fragment): picking a view or a space leaves the table alone.

    Only the chosen view (thread, linked spaces, spaces that fit) is drawn: a tab's body would run and be
    sent on every run, every email and every fitting space with its button, whether looked at or not.
    """
    try:
        deal = data.load_deal(engine, deal_id)
        thread = data.load_thread(engine, deal_id)
        linked = data.load_deal_spaces(engine, deal_id)
        fits = data.load_fitting_spaces(engine, deal_id)
    except EchoError as error:
        text.error(error)
        return
    st.subheader(f"Deal #{deal.id}")
    st.text(text.clean(f"{deal.company_name} — {deal.seeker_name} <{deal.seeker_email}>"))
    cols = st.columns(5)
    cols[0].metric("Team size", deal.team_size)
    cols[1].metric("Budget / month", money(deal.monthly_budget))
    cols[2].metric("Stage", deal.stage)
    cols[3].text(f"Needs: {text.clean(needs_summary(deal.requirements)) or 'nothing specific'}")
    cols[3].text(f"Location: {text.clean(deal.location) or 'anywhere'}")
    if actor.may(Action.EDIT_DEALS):  # analysts read only: no write controls at all
        with cols[4]:
            _stage_control(engine, deal, actor)
    labels = {"thread": f"Thread ({len(thread)})", "spaces": f"Spaces ({len(linked)})",
              "fits": f"Spaces that fit ({len(fits)})"}
    view = st.segmented_control("Show", VIEWS, default="thread", required=True, key=VIEW_KEY,
                                format_func=labels.__getitem__, label_visibility="collapsed")
    if view == "spaces":
        _linked_spaces(engine, deal, linked, actor)
    elif view == "fits":
        _fitting_spaces(engine, deal, fits, actor)
    else:
        _thread(engine, deal, thread, actor)


def _stage_control(engine: Engine, deal: DealDetail, actor: Actor) -> None:
    scope = f"deal_{deal.id}"
    seen = form_versions.read_version(scope, probe=f"deal_stage_pick_{deal.id}", version=deal.lock_version)
    stage = st.selectbox("Move to stage", DEAL_STAGES, index=DEAL_STAGES.index(deal.stage),
                         key=f"deal_stage_pick_{deal.id}")
    if st.button("Change stage", key="deal_set_stage", disabled=stage == deal.stage):
        done = commands.set_stage(engine, deal_id=deal.id, stage=stage, expect_version=seen, actor=actor)
        form_versions.forget_version(scope)  # saved, or refused as stale: the next draw reads the deal again
        if done.ok:
            st.rerun()


def _thread(engine: Engine, deal: DealDetail, thread: pd.DataFrame, actor: Actor) -> None:
    if thread.empty:
        st.info("No emails on this deal yet.")
    for mail in thread.itertuples():
        with st.container(border=True):
            st.caption(f"{md_escape(mail.sender)} → {md_escape(mail.recipient)} · {relative(mail.sent_at)}",
                       help=md_escape(local(mail.sent_at)))
            st.text(f"Subject: {text.clean(mail.subject)}")
            plain(mail.body)
    cols = st.columns([1, 2])
    with cols[0]:
        dataframe_download("Download thread (CSV)", thread, actor=actor, file_name=f"deal-{deal.id}-thread.csv",
                           key="deal_thread_csv")
    if actor.may(Action.REVIEW_DRAFTS) and cols[1].button(
        "Draft a reply", key="deal_draft_reply", type="primary",
        help="Write a pending draft for the latest inbound email that has no reply yet.",
    ):
        _draft_reply(engine, deal, actor)


def _draft_reply(engine: Engine, deal: DealDetail, actor: Actor) -> None:
    with st.spinner("Drafting a reply to the latest unanswered email…"):
        done = commands.draft_reply(engine, deal_id=deal.id, actor=actor)
    if not done.ok:
        return
    if done.value is None:
        st.info("Nothing to answer: every inbound email has a reply or a live draft.")
        return
    st.success(f"Draft #{done.value} is ready for review.")
    open_draft(done.value)  # the Draft review page opens it
    st.page_link("pages/drafts.py", label=f"Review draft #{done.value}", icon=":material/rate_review:")


def _linked_spaces(engine: Engine, deal: DealDetail, linked: pd.DataFrame, actor: Actor) -> None:
    if linked.empty:
        st.info("No spaces on this deal yet — add one from “Spaces that fit”.")
        return
    show_table(linked, key=f"deal_spaces_{deal.id}", money=("monthly_rate",))
    dataframe_download("Download spaces (CSV)", linked, actor=actor, file_name=f"deal-{deal.id}-spaces.csv",
                       key="deal_spaces_csv")
    if not actor.may(Action.EDIT_DEALS):
        return
    names = dict(zip(linked["space_id"].astype(int), linked["name"], strict=True))
    cols = st.columns([2, 2, 1])
    space_id = cols[0].selectbox("Space", list(names), format_func=lambda s: f"#{s} · {text.clean(names[s])}",
                                 key=f"deal_space_pick_{deal.id}")
    shown = dict(zip(linked["space_id"].astype(int), linked["status"], strict=True))
    scope = f"deal_space_{deal.id}_{int(space_id)}"
    seen = form_versions.read_version(scope, probe=f"deal_space_status_{deal.id}", version=shown.get(int(space_id)))
    status = cols[1].selectbox("Status", DEAL_SPACE_STATUSES, key=f"deal_space_status_{deal.id}")
    if cols[2].button("Set status", key="deal_space_set"):
        done = commands.set_space_status(engine, deal_id=deal.id, space_id=int(space_id), status=status,
                                         actor=actor, expected_status=seen)
        form_versions.forget_version(scope)  # saved, or refused as stale: the next draw reads the link again
        if done.ok:
            st.rerun()


def _fitting_spaces(engine: Engine, deal: DealDetail, fits: pd.DataFrame, actor: Actor) -> None:
    if fits.empty:
        st.info("No other space meets this deal's requirements, team size, budget and location.")
        return
    dataframe_download("Download fitting spaces (CSV)", fits, actor=actor, file_name=f"deal-{deal.id}-fits.csv",
                       key="deal_fits_csv")
    for fit in fits.itertuples():
        with st.container(border=True):
            cols = st.columns([5, 1])
            cols[0].text(text.clean(f"#{fit.space_id} · {fit.name} · {fit.neighborhood or 'no neighborhood'} · "
                                    f"{money(fit.monthly_rate)}/month"))
            cols[0].text(text.clean("\n".join(f"• {reason}" for reason in fit.reasons)))
            if actor.may(Action.EDIT_DEALS) and cols[1].button("Add to deal", key=f"deal_fit_add_{fit.space_id}") \
                    and commands.link_space(engine, deal_id=deal.id, space_id=int(fit.space_id), actor=actor).ok:
                st.rerun()
