"""The opened draft on the review page: thread and body side by side, reasoning, versions, refinement, actions.

Every text that came from an email or a model is shown with `ui.text.plain`, `st.text`,
`st.code` or a dataframe — never as markdown — and widget keys carry the lock version the
broker read, so after any action the widgets start from the fresh row.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from echo_core.config import get_settings
from echo_core.errors import EchoError, ValidationFailed
from echo_core.lifecycle import ARCHIVE_REASONS, refinement_allowance
from echo_core.permissions import Action, Actor
from echo_core.queries import review
from echo_core.queries.outbox import delivery_state
from echo_core.queries.review import DraftDetail
from echo_core.services import drafts
from ui.draft_actions import reload, run_action, seen_lock
from ui.review_data import load_draft, load_events, load_thread
from ui.text import plain


def _bullets(items: list[str]) -> None:
    plain("\n".join(f"• {item}" for item in items) if items else "(none)")


def show_draft(engine: Engine, draft_id: int, actor: Actor) -> None:
    try:
        detail = load_draft(engine, draft_id)
        thread = load_thread(engine, detail.deal_id)
    except EchoError as error:
        st.error(str(error))
        return
    lock = seen_lock(detail)
    st.subheader(f"Draft #{detail.id}")
    st.text(f"{detail.company} · {detail.seeker} <{detail.seeker_email}> · created {detail.created_at:%Y-%m-%d %H:%M}")
    if detail.lock_version != lock:
        st.warning("This draft changed since you opened it.")
        if st.button("Reload the draft", key=f"reload_{detail.id}"):
            reload(engine, detail)
    top = st.columns(4)
    top[0].metric("Status", detail.status)
    top[1].metric("Confidence", f"{detail.confidence}/100")
    top[2].metric("Fact check", detail.validation_status)
    top[3].metric("Version", f"v{detail.current_version}")

    left, right = st.columns(2)
    with left:
        _inbound_and_thread(detail, thread)
    with right:
        _body_and_actions(engine, detail, lock, actor)

    tabs = st.tabs(["Reasoning", "Fact check", "Versions", "Refine", "History"])
    with tabs[0]:
        _reasoning(detail)
    with tabs[1]:
        st.text(f"Status: {detail.validation_status}")
        _bullets(detail.validation_issues)
    with tabs[2]:
        _versions(engine, detail, lock, actor)
    with tabs[3]:
        _refine(engine, detail, lock, actor)
    with tabs[4]:
        st.dataframe(load_events(engine, detail.id), hide_index=True, width="stretch")


def _inbound_and_thread(detail: DraftDetail, thread: pd.DataFrame) -> None:
    st.markdown("**Inbound email**")
    st.text(f"From: {detail.inbound_from}\nSubject: {detail.inbound_subject}\n"
            f"Received: {detail.inbound_sent_at:%Y-%m-%d %H:%M}")
    plain(detail.inbound_body, height=220)
    st.markdown("**Whole thread, oldest first**")
    with st.container(height=360):
        for mail in thread.itertuples():
            marker = "  ← this draft answers it" if mail.email_id == detail.inbound_email_id else ""
            st.text(f"{mail.sent_at:%Y-%m-%d %H:%M} · {mail.sender} → {mail.recipient}{marker}\n{mail.subject}")
            plain(mail.body)
            st.divider()


def _body_and_actions(engine: Engine, detail: DraftDetail, lock: int, actor: Actor) -> None:
    may_act = actor.may(Action.REVIEW_DRAFTS)
    editable = detail.status in ("pending", "approved") and may_act
    body = st.text_area("Reply body", value=detail.body, height=360, key=f"body_{detail.id}_{lock}",
                        disabled=not editable)
    if not may_act:
        st.info(f"Read only: a {actor.role.value} may not review drafts.")
        if detail.sent_email_id is not None:
            st.text(f"Sent {detail.sent_at:%Y-%m-%d %H:%M} as email #{detail.sent_email_id}.")
        return
    if editable and st.button("Save edit", key=f"save_{detail.id}_{lock}", icon=":material/save:"):
        if (body or "").strip() == detail.body.strip():
            st.info("Nothing changed — edit the text before saving.")
        else:
            run_action(engine, detail, actor, drafts.edit, "saved", body=body or "")

    if detail.status == "pending":
        _approve(engine, detail, lock, actor)
    if detail.status == "approved" and st.button(
        "Send", key=f"send_{detail.id}_{lock}", type="primary", icon=":material/send:"
    ):
        run_action(engine, detail, actor, drafts.send, "sent", new_email=True)
    if detail.sent_email_id is not None:
        st.text(f"Sent {detail.sent_at:%Y-%m-%d %H:%M} as email #{detail.sent_email_id}.")
        try:  # not cached: the mail worker moves it along on its own
            state = delivery_state(engine, draft_id=detail.id)
        except EchoError as error:
            st.error(str(error))
        else:
            st.text(f"Delivery: {state.describe() if state else 'not queued for delivery'}")

    if detail.status == "archived":
        st.text(f"Archived by {detail.archived_by} · {ARCHIVE_REASONS.get(detail.archive_category or 'other')}"
                f"\nNote: {detail.archive_reason or '(none)'}")
        if st.button("Restore", key=f"restore_{detail.id}_{lock}", icon=":material/undo:"):
            run_action(engine, detail, actor, drafts.restore, "restored")
        return
    with st.expander("Archive this draft"):
        reason = st.selectbox("Reason", list(ARCHIVE_REASONS), format_func=ARCHIVE_REASONS.__getitem__,
                              key=f"archive_reason_{detail.id}_{lock}")
        note = st.text_input("Note (optional)", key=f"archive_note_{detail.id}_{lock}", max_chars=2000)
        if st.button("Archive", key=f"archive_{detail.id}_{lock}", icon=":material/archive:"):
            run_action(engine, detail, actor, drafts.archive, "archived", reason=reason, note=note or None)


def _approve(engine: Engine, detail: DraftDetail, lock: int, actor: Actor) -> None:
    """Approval re-runs the fact check; when it fails the broker may override, explicitly."""
    failed_ids: list[int] = st.session_state.setdefault("fact_check_failed_ids", [])
    label, key = "Approve despite failed fact-check", f"override_{detail.id}_{lock}"
    offered = detail.validation_status == "failed" or detail.id in failed_ids
    override = st.checkbox(label, key=key) if offered else False
    if st.button("Approve", key=f"approve_{detail.id}_{lock}", type="primary", icon=":material/check:"):
        error = run_action(engine, detail, actor, drafts.approve, "approved", override_failed_validation=override)
        if isinstance(error, ValidationFailed) and not offered:
            failed_ids.append(detail.id)
            st.checkbox(label, key=key)


def _reasoning(detail: DraftDetail) -> None:
    st.markdown("**Questions answered**")
    st.dataframe(review.questions_frame(detail.reasoning), hide_index=True, width="stretch")
    st.markdown("**Database fields used** (source type, id, field path, value)")
    st.dataframe(review.facts_frame(detail.reasoning), hide_index=True, width="stretch")
    cols = st.columns(3)
    with cols[0]:
        st.markdown("**Scheduling logic**")
        _bullets(review.reasoning_list(detail.reasoning, "schedulingLogic"))
    with cols[1]:
        st.markdown("**Needs human review**")
        _bullets(review.reasoning_list(detail.reasoning, "needsHumanReview"))
    with cols[2]:
        st.markdown("**Requirement mismatches**")
        _bullets(review.reasoning_list(detail.reasoning, "requirementMismatches"))


def _versions(engine: Engine, detail: DraftDetail, lock: int, actor: Actor) -> None:
    if not detail.versions:
        st.info("This draft has no stored versions.")
        return
    st.dataframe(review.versions_frame(detail.versions, detail.current_version), hide_index=True, width="stretch")
    numbers = [int(v.get("version", 0)) for v in detail.versions]
    cols = st.columns(2)
    older = cols[0].selectbox("Compare version", numbers, index=0, key=f"diff_from_{detail.id}_{lock}")
    newer = cols[1].selectbox("with version", numbers, index=len(numbers) - 1, key=f"diff_to_{detail.id}_{lock}")
    try:
        st.code(review.version_diff(detail.versions, older, newer), language="diff")
    except EchoError as error:
        st.error(str(error))
    if detail.status not in ("pending", "approved") or not actor.may(Action.REVIEW_DRAFTS):
        return
    pick, use = st.columns([2, 1])
    chosen = pick.selectbox("Make this version current", numbers, index=numbers.index(detail.current_version)
                               if detail.current_version in numbers else 0, key=f"use_{detail.id}_{lock}")
    if use.button("Use this version", key=f"use_btn_{detail.id}_{lock}", disabled=chosen == detail.current_version):
        run_action(engine, detail, actor, drafts.use_version, f"switched to version {chosen}", version=chosen)


def _refine(engine: Engine, detail: DraftDetail, lock: int, actor: Actor) -> None:
    settings = get_settings()
    allowance = refinement_allowance(
        count=detail.regeneration_count, last_at=detail.last_regeneration_at, now=datetime.now(UTC),
        limit=settings.refine_limit, cooldown=timedelta(hours=settings.refine_cooldown_hours),
    )
    if allowance.left:
        st.text(f"{allowance.left} of {settings.refine_limit} refinements left.")
    elif allowance.available_at is not None:
        st.text(f"All {settings.refine_limit} refinements are used — the next one is possible at "
                f"{allowance.available_at:%Y-%m-%d %H:%M} UTC. Edit the text by hand meanwhile.")
    else:
        st.text("Refinement is turned off (ECHO_REFINE_LIMIT=0) — edit the text by hand.")
    if detail.status not in ("pending", "approved"):
        st.text(f"A {detail.status} draft cannot be refined.")
        return
    if not actor.may(Action.REVIEW_DRAFTS):
        return
    prompt = st.text_area("Instruction", key=f"refine_prompt_{detail.id}_{lock}",
                          placeholder="e.g. Shorter, and offer Tuesday 2pm for the tour", height=90)
    if st.button("Refine", key=f"refine_{detail.id}_{lock}", disabled=not allowance.left, icon=":material/auto_fix:"):
        with st.spinner("Rewriting the draft…"):
            run_action(engine, detail, actor, drafts.refine, "refined", prompt=prompt or "")
