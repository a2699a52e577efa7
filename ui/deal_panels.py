"""One opened deal: its facts, stage, thread, spaces, fitting spaces, and "draft a reply"."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from echo_core.db.engine import session_factory
from echo_core.db.models import DEAL_SPACE_STATUSES, DEAL_STAGES
from echo_core.errors import EchoError
from echo_core.permissions import Action, Actor
from echo_core.queries.deals import DealDetail, needs_summary
from echo_core.services import deals as svc
from ui import deals_data as data
from ui import text
from ui.text import plain
from ui.widgets import dataframe_download, money


def show_deal(engine: Engine, deal_id: int, actor: Actor) -> None:
    try:
        deal = data.load_deal(engine, deal_id)
        thread = data.load_thread(engine, deal_id)
        linked = data.load_deal_spaces(engine, deal_id)
        fits = data.load_fitting_spaces(engine, deal_id)
    except EchoError as error:
        text.error(error)
        return
    st.subheader(f"Deal #{deal.id}")
    st.text(f"{deal.company_name} — {deal.seeker_name} <{deal.seeker_email}>")
    cols = st.columns(5)
    cols[0].metric("Team size", deal.team_size)
    cols[1].metric("Budget / month", money(deal.monthly_budget))
    cols[2].metric("Stage", deal.stage)
    cols[3].text(f"Needs: {needs_summary(deal.requirements) or 'nothing specific'}")
    cols[3].text(f"Location: {deal.location or 'anywhere'}")
    if actor.may(Action.EDIT_DEALS):  # analysts read only: no write controls at all
        with cols[4]:
            _stage_control(engine, deal, actor)
    thread_tab, spaces_tab, fits_tab = st.tabs(
        [f"Thread ({len(thread)})", f"Spaces ({len(linked)})", f"Spaces that fit ({len(fits)})"]
    )
    with thread_tab:
        _thread(engine, deal, thread, actor)
    with spaces_tab:
        _linked_spaces(engine, deal, linked, actor)
    with fits_tab:
        _fitting_spaces(engine, deal, fits, actor)


def _run(action: str, call: object) -> bool:
    """Run a service call; show its EchoError and report failure."""
    try:
        call()  # type: ignore[operator]
    except EchoError as error:
        text.error(f"{action}: {error}")
        return False
    return True


def _stage_control(engine: Engine, deal: DealDetail, actor: Actor) -> None:
    stage = st.selectbox("Move to stage", DEAL_STAGES, index=DEAL_STAGES.index(deal.stage),
                         key=f"deal_stage_pick_{deal.id}")
    if st.button("Change stage", key="deal_set_stage", disabled=stage == deal.stage):
        def call() -> None:
            with session_factory(engine)() as session:
                svc.set_stage(session=session, deal_id=deal.id, stage=stage, actor=actor)
        if _run("Stage not changed", call):
            data.after_stage_change(engine, deal.id)
            st.toast(f"Deal #{deal.id} moved to {stage}.")
            st.rerun()


def _thread(engine: Engine, deal: DealDetail, thread: pd.DataFrame, actor: Actor) -> None:
    if thread.empty:
        st.info("No emails on this deal yet.")
    for mail in thread.itertuples():
        with st.container(border=True):
            st.text(f"{mail.sent_at:%Y-%m-%d %H:%M} · {mail.sender} → {mail.recipient}\n{mail.subject}")
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
    from echo_core.services import generation  # lazily: loads the generation pipeline only when asked

    with st.status("Drafting a reply…", expanded=True) as status:
        try:
            with session_factory(engine)() as session:
                status.update(label="Finding the latest unanswered email…")
                email_id = generation.latest_unanswered_inbound(session, deal.id)
                if email_id is None:
                    status.update(label="Nothing to answer: every inbound email has a reply or a live draft.",
                                  state="complete")
                    return
                status.update(label=f"Drafting a reply to email #{email_id}…")
                draft_id = generation.generate_draft(session=session, inbound_email_id=email_id, actor=actor)
        except EchoError as error:
            status.update(label="No draft was written.", state="error")
            text.error(error)
            return
        status.update(label=f"Draft #{draft_id} is ready for review.", state="complete")
    data.after_draft_generated()
    st.session_state["open_draft"] = draft_id  # the Draft review page opens it
    st.page_link("pages/drafts.py", label=f"Review draft #{draft_id}", icon=":material/rate_review:")


def _linked_spaces(engine: Engine, deal: DealDetail, linked: pd.DataFrame, actor: Actor) -> None:
    if linked.empty:
        st.info("No spaces on this deal yet — add one from “Spaces that fit”.")
        return
    st.dataframe(linked, hide_index=True, width="stretch",
                 column_config={"monthly_rate": st.column_config.NumberColumn(format="$%d")})
    dataframe_download("Download spaces (CSV)", linked, actor=actor, file_name=f"deal-{deal.id}-spaces.csv",
                       key="deal_spaces_csv")
    if not actor.may(Action.EDIT_DEALS):
        return
    names = dict(zip(linked["space_id"].astype(int), linked["name"], strict=True))
    cols = st.columns([2, 2, 1])
    space_id = cols[0].selectbox("Space", list(names), format_func=lambda s: f"#{s} · {names[s]}",
                                 key=f"deal_space_pick_{deal.id}")
    status = cols[1].selectbox("Status", DEAL_SPACE_STATUSES, key=f"deal_space_status_{deal.id}")
    if cols[2].button("Set status", key="deal_space_set"):
        def call() -> None:
            with session_factory(engine)() as session:
                svc.set_deal_space_status(session=session, deal_id=deal.id, space_id=int(space_id), status=status,
                                          actor=actor)
        if _run("Status not changed", call):
            data.after_space_link_change(engine, deal.id)
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
            cols[0].text(f"#{fit.space_id} · {fit.name} · {fit.neighborhood or 'no neighborhood'} · "
                         f"{money(fit.monthly_rate)}/month")
            cols[0].text("\n".join(f"• {reason}" for reason in fit.reasons))
            if actor.may(Action.EDIT_DEALS) and cols[1].button("Add to deal", key=f"deal_fit_add_{fit.space_id}"):
                def call(space_id: int = int(fit.space_id)) -> None:
                    with session_factory(engine)() as session:
                        svc.link_space(session=session, deal_id=deal.id, space_id=space_id, actor=actor)
                if _run("Space not added", call):
                    data.after_space_link_change(engine, deal.id)
                    st.rerun()
