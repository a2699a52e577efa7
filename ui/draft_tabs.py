"""Below the reply: why the model wrote it, the fact check and coverage, versions and their diff, refine, history."""

from __future__ import annotations

import streamlit as st
from sqlalchemy import Engine

from echo_core.config import get_settings
from echo_core.errors import EchoError
from echo_core.lifecycle import UNDER_REVIEW
from echo_core.permissions import Action, Actor
from echo_core.queries.drafts import DraftDetail
from ui import commands
from ui.diff_view import show_diff
from ui.draft_actions import acted, has_unsaved_text
from ui.draft_frames import (
    default_comparison,
    diff_versions,
    facts_frame,
    history_frame,
    questions_frame,
    version_label,
    versions_frame,
)
from ui.draft_panels import rerun_panel
from ui.formatting import show_table
from ui.review_data import load_history
from ui.text import md_escape, plain

TABS = ("Versions & diff", "Reasoning", "Fact check & coverage", "Refine", "History")
TABS_KEY = "draft_tabs"


def _bullets(items: list[str]) -> None:
    plain("\n".join(f"• {item}" for item in items) if items else "(none)")


def show_tabs(engine: Engine, detail: DraftDetail, lock: int, actor: Actor) -> None:
    """The details under the reply, one at a time and only when asked for: nothing is drawn (or queried) until
    the broker picks one, and the pick stays for the next drafts (the same key), so a broker who reads the diff
    on every draft keeps it open. Opening a draft therefore draws the email and the reply, not five tabs."""
    shown = st.segmented_control("Details", TABS, key=TABS_KEY, label_visibility="collapsed", persist_state="session")
    if shown == TABS[0]:
        _versions(engine, detail, lock, actor)
    elif shown == TABS[1]:
        _reasoning(detail)
    elif shown == TABS[2]:
        _checks(detail)
    elif shown == TABS[3]:
        _refine(engine, detail, lock, actor)
    elif shown == TABS[4]:
        try:
            show_table(history_frame(load_history(engine, detail.id)), key=f"history_{detail.id}")
        except EchoError as error:
            st.error(md_escape(error))


def _reasoning(detail: DraftDetail) -> None:
    st.markdown("**Questions answered**")
    show_table(questions_frame(detail.reasoning), key=f"questions_{detail.id}")
    st.markdown("**Records used** (where each fact comes from)")
    show_table(facts_frame(detail.reasoning), key=f"facts_{detail.id}")
    cols = st.columns(2)
    with cols[0]:
        st.markdown("**Scheduling logic**")
        _bullets(detail.reasoning_list("schedulingLogic"))
    with cols[1]:
        st.markdown("**Requirement mismatches**")
        _bullets(detail.reasoning_list("requirementMismatches"))


def _checks(detail: DraftDetail) -> None:
    checked = (detail.validation or {}).get("checkedAt")
    st.text(f"Fact check: {detail.validation_status}" + (f" (checked {checked})" if checked else ""))
    _bullets(detail.validation_issues)
    coverage = detail.coverage
    if coverage.status == "unknown":
        st.text("Coverage: not checked — this draft was written before the coverage check existed.")
    else:
        st.text(f"Coverage: {coverage.status} — {coverage.asks} asks in the seeker's email.")
        if coverage.unanswered:
            st.text("Not answered or deferred:")
            _bullets(list(coverage.unanswered))
    st.markdown("**Needs human review**")
    _bullets(detail.needs_human_review)


def _versions(engine: Engine, detail: DraftDetail, lock: int, actor: Actor) -> None:
    if not detail.versions:
        st.info("This draft has no stored versions.")
        return
    entries = {int(v.get("version", 0)): v for v in detail.versions}
    numbers = sorted(entries)
    older, newer = default_comparison(detail)
    cols = st.columns(2)

    def label(number: int) -> str:
        return version_label(entries[number])

    left = cols[0].selectbox("Compare", numbers, index=numbers.index(older), format_func=label,
                             key=f"diff_from_{detail.id}_{lock}")
    right = cols[1].selectbox("with", numbers, index=numbers.index(newer), format_func=label,
                              key=f"diff_to_{detail.id}_{lock}")
    try:
        show_diff(diff_versions(detail, int(left), int(right)), older=label(left), newer=label(right))
    except EchoError as error:
        st.error(md_escape(error))
    show_table(versions_frame(detail), key=f"versions_{detail.id}")
    if detail.status not in UNDER_REVIEW or not actor.may(Action.REVIEW_DRAFTS):
        return
    pick, use = st.columns([2, 1], vertical_alignment="bottom")
    chosen = pick.selectbox("Make this version current", numbers, format_func=label,
                            index=numbers.index(detail.current_version) if detail.current_version in numbers else 0,
                            key=f"use_{detail.id}_{lock}")
    if use.button("Use this version", key=f"use_btn_{detail.id}_{lock}", disabled=chosen == detail.current_version):
        if has_unsaved_text(detail, lock):
            st.error("You have unsaved changes in the reply — Save them first (this replaces the text).")
        elif commands.use_version(engine, draft_id=detail.id, version=int(chosen), expect_version=lock,
                                  actor=actor).ok:
            acted(detail.id)
            rerun_panel()


def _refine(engine: Engine, detail: DraftDetail, lock: int, actor: Actor) -> None:
    settings = get_settings()
    if detail.refinements_left:
        st.text(f"{detail.refinements_left} of {settings.refine_limit} refinements left.")
    elif detail.refine_available_at is not None:
        st.text(f"All {settings.refine_limit} refinements are used — the next one is possible at "
                f"{detail.refine_available_at:%Y-%m-%d %H:%M} UTC. Edit the text by hand meanwhile.")
    else:
        st.text("Refinement is turned off (ECHO_REFINE_LIMIT=0) — edit the text by hand.")
    if detail.status not in UNDER_REVIEW:
        st.text(f"A {detail.status} draft cannot be refined.")
        return
    if not actor.may(Action.REVIEW_DRAFTS):
        return
    prompt = st.text_area("Instruction", key=f"refine_prompt_{detail.id}_{lock}", height=90,
                          placeholder="e.g. Shorter, and offer Tuesday 2pm for the tour")
    if st.button("Refine", key=f"refine_{detail.id}_{lock}", disabled=not detail.refinements_left,
                 icon=":material/auto_fix:"):
        if has_unsaved_text(detail, lock):
            st.error("You have unsaved changes in the reply — Save them first (refining rewrites the saved text).")
            return
        with st.spinner("Rewriting the draft…"):
            done = commands.refine(engine, draft_id=detail.id, prompt=prompt or "", expect_version=lock, actor=actor)
        if done.ok:
            acted(detail.id)
            rerun_panel()

