"""The open draft, beside its thread: header, flags to check, the thread, the reply and its actions.

Everything from an email or a model is shown with `st.text` / `ui.text.plain` or escaped
markdown, never as markup. Actions send the text in the editor with the lock version the
broker read; Send, Approve & send and Archive then open the next draft in the queue.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pandas as pd
import streamlit as st
from sqlalchemy import Engine
from streamlit.runtime.scriptrunner import get_script_run_ctx

from echo_core.db.models import EmailDraft
from echo_core.errors import EchoError, InvalidTransition, StaleDraft, ValidationFailed
from echo_core.lifecycle import ARCHIVE_REASONS, UNDER_REVIEW
from echo_core.permissions import Action, Actor
from echo_core.queries.drafts import DraftDetail
from echo_core.queries.outbox import delivery_state
from ui import commands, keyboard
from ui.draft_actions import acted, editor_key, editor_text, has_unsaved_text, initial_text, reload
from ui.draft_frames import confidence_color, coverage_badge, fact_check_badge
from ui.formatting import article, dash, local, relative
from ui.health import callback_guard, database_guard
from ui.text import clean, md_escape, plain

Next = Callable[[], None]  # opens the next draft in the queue (after send / archive)


def rerun_panel() -> None:
    """After an action on the open draft: rerun the draft panel (ui/draft_panel.py's fragment) only — when
    this run is the panel's own; a full run (the panel drawn with the page) reruns the page."""
    ctx = get_script_run_ctx()
    if ctx is not None and ctx.fragment_ids_this_run:
        st.rerun(scope="fragment")
    st.rerun()


def header(engine: Engine, detail: DraftDetail, lock: int, actor: Actor) -> None:
    title, take = st.columns([5, 1], vertical_alignment="center")
    title.subheader(f"Draft #{detail.id} · {md_escape(detail.company)}", anchor=False)
    if detail.owner_email is None and actor.may(Action.REVIEW_DRAFTS) and take.button(
        "Assign to me", key=f"assign_{detail.deal_id}", icon=":material/person_add:",
        help="Take this deal: its drafts then show under “Mine”",
    ) and commands.assign_to_me(engine, deal_id=detail.deal_id, expected_owner=None, actor=actor).ok:
        st.rerun()
    owner = md_escape(detail.owner_email) if detail.owner_email else "no owner yet"
    st.caption(f"{md_escape(detail.seeker_name)} <{md_escape(detail.seeker_email)}> · deal #{detail.deal_id} "
               f"({owner}) · drafted {relative(detail.created_at)}",
               help=md_escape(f"Drafted {local(detail.created_at)}"))
    facts, cover = fact_check_badge(detail.validation_status), coverage_badge(detail.coverage.status,
                                                                            detail.coverage.asks)
    version = f"v{detail.current_version}{' · hand edit' if detail.edited else ''}"
    badges = [(detail.status.capitalize(), "blue"), (f"{detail.confidence_score}% confident",
              confidence_color(detail.confidence_score)), (facts.text, facts.color), (cover.text, cover.color),
              (version, "gray")]
    st.markdown(" ".join(f":{color}-badge[{md_escape(label)}]" for label, color in badges),
                help=md_escape(f"{facts.help} {cover.help}"))
    if detail.lock_version != lock:
        st.warning("This draft changed since you opened it — reload to see the latest (your typed text is kept).")
        st.button("Reload the draft", key=f"reload_{detail.id}", icon=":material/refresh:", on_click=keep_and_reload,
                  args=(detail, lock))


def keep_and_reload(detail: DraftDetail, lock: int) -> None:
    """A button callback: the fresh draft on the next run, the broker's typed text kept in its editor."""
    reload(detail, lock)


def flags(detail: DraftDetail) -> None:
    """What the model asked a human to check, and the asks the reply leaves open: above the reply."""
    lines = [f"• {item}" for item in detail.needs_human_review]
    lines += [f"• Not answered: {ask}" for ask in detail.coverage.unanswered]
    if detail.validation_status == "failed":
        lines += [f"• Fact check: {issue}" for issue in detail.validation_issues]
    if lines:
        with st.container(border=True, key="inbox_flags"):
            st.markdown(":orange[:material/flag: **Check before sending**]")
            plain("\n".join(lines))


THREAD_REST_KEY = "thread_rest"  # show the rest of the thread: the broker's choice, kept for the next drafts


def thread(detail: DraftDetail, mails: pd.DataFrame, *, height: int) -> None:
    """The email this draft answers, then (on demand) the rest of the thread, newest first.

    A deal's thread is ten emails on average and over a hundred at most: drawn on every open, it was most of what
    the browser had to lay out. The rest is one toggle away, and the toggle stays as the broker left it.
    """
    with st.container(height=height, border=True, key="inbox_thread"):
        st.caption(f"From {md_escape(detail.inbound_from)} · received {relative(detail.inbound_sent_at)}",
                   help=md_escape(f"Received {local(detail.inbound_sent_at)}"))
        st.text(f"Subject: {clean(detail.inbound_subject)}")
        plain(detail.inbound_body)
        ids = mails["email_id"].tolist()  # a boolean mask over the frame costs ~5 ms a run; the list, nothing
        rest = len(ids) - ids.count(detail.inbound_email_id)
        if not rest:
            return
        st.divider()
        count = f"{rest} other email{'s' if rest != 1 else ''}"
        if not st.toggle(f"Rest of the thread · {count}, newest first", key=THREAD_REST_KEY, persist_state="session"):
            return
        for mail in mails[mails["email_id"] != detail.inbound_email_id].iloc[::-1].itertuples():
            who = "Sent by us" if mail.ai_generated else f"From {mail.sender}"
            st.text(f"{clean(who)} → {clean(mail.recipient)} · {relative(mail.sent_at)} · email #{mail.email_id}\n"
                    f"Subject: {clean(mail.subject)}\n\n{clean(mail.body) or '(empty)'}")


def reply(engine: Engine, detail: DraftDetail, lock: int, actor: Actor, *, on_done: Next) -> None:
    may_act = actor.may(Action.REVIEW_DRAFTS)
    editable = detail.status in UNDER_REVIEW and may_act
    key = editor_key(detail.id, lock)
    if key not in st.session_state:
        st.session_state[key] = initial_text(detail)
    with st.container(key=keyboard.REPLY_CONTAINER):
        st.text_area("Reply", key=key, height=300, disabled=not editable, persist_state="session",
                     help="Approve and Send act on this text — unsaved changes are saved with them, and they "
                     "stay here if you open another draft and come back.")
    _show_refusal(detail, lock)
    if not may_act:
        st.info(f"Read only: {article(actor.role.value)} may not review drafts.")
    elif editable:
        _actions(engine, detail, lock, actor, on_done=on_done)
    _afterwards(engine, detail, lock, actor, may_act=may_act)


def _actions(engine: Engine, detail: DraftDetail, lock: int, actor: Actor, *, on_done: Next) -> None:
    body = editor_text(detail, lock)
    unsaved = has_unsaved_text(detail, lock)
    if unsaved:
        st.caption(":material/edit: Unsaved changes — Approve and Send save them with the approval.")
    failed_ids: list[int] = st.session_state.setdefault(FAILED_CHECK_KEY, [])
    offered = detail.validation_status == "failed" or detail.id in failed_ids
    if offered:  # read by the buttons' callbacks
        st.checkbox("Approve despite failed fact-check", key=f"override_{detail.id}_{lock}")
    send_label = "Send" if detail.status == "approved" and not unsaved else "Approve & send"

    def send(typed: str, override: bool) -> commands.Outcome[EmailDraft]:
        return commands.approve_and_send(engine, draft_id=detail.id, body=typed, expect_version=lock, actor=actor,
                                         override=override, quiet=True)

    def approve(typed: str, override: bool) -> commands.Outcome[EmailDraft]:
        return commands.approve(engine, draft_id=detail.id, body=typed, expect_version=lock, actor=actor,
                                override=override, quiet=True)

    st.button(send_label, key=f"send_{detail.id}_{lock}", type="primary", icon=":material/send:",
              shortcut=keyboard.SEND.keys, width="stretch", on_click=_act, args=(send, detail, lock, on_done))
    cols = st.columns(3, gap="small")
    if detail.status == "pending":
        cols[0].button("Approve", key=f"approve_{detail.id}_{lock}", shortcut=keyboard.APPROVE.keys, width="stretch",
                       on_click=_act, args=(approve, detail, lock, lambda: None))
    if cols[1].button("Save", key=f"save_{detail.id}_{lock}", shortcut=keyboard.SAVE.keys, width="stretch"):
        if not unsaved:
            st.info("Nothing to save — edit the reply first.")
        elif commands.save_edit(engine, draft_id=detail.id, body=body, expect_version=lock, actor=actor).ok:
            acted(detail.id)
            rerun_panel()
    cols[2].button("Archive", key=f"archive_open_{detail.id}_{lock}", shortcut=keyboard.ARCHIVE.keys,
                   width="stretch", on_click=_ask_archive, args=(detail.id,))
    if st.session_state.get(ARCHIVING) == detail.id:
        _archive_form(engine, detail, lock, actor, on_done=on_done)


ARCHIVING = "archive_dialog_for"  # the draft whose archive form is open (it stays open across reruns)


def _ask_archive(draft_id: int) -> None:
    st.session_state[ARCHIVING] = draft_id


def _close_archive() -> None:
    st.session_state.pop(ARCHIVING, None)


REFUSED_KEY = "draft_refused"  # (draft id, lock, place, message, stale): the last refusal, shown once by the next run
FAILED_CHECK_KEY = "fact_check_failed_ids"  # drafts whose fact check failed at approval: the override is offered
Act = Callable[[str, bool], commands.Outcome[EmailDraft]]  # (the editor's text, the override) -> what it did


def _refuse(detail: DraftDetail, lock: int, message: object, *, place: str = "reply") -> None:
    """Keep a refusal for the run the click starts, to be shown at `place`: under the reply, or in the archive form.
    A draft that moved meanwhile (stale, sent, archived) also gets the reload."""
    stale = isinstance(message, StaleDraft | InvalidTransition)
    st.session_state[REFUSED_KEY] = (detail.id, lock, place, str(message), stale)


def _act(act: Act, detail: DraftDetail, lock: int, then: Next) -> None:
    """Approve, send: the button's callback, run before the panel's run, so that one run draws what it did (the
    next draft after a send) instead of the panel up to the button, then again. Success moves on. A failed fact
    check offers the explicit override; a draft that moved meanwhile offers a reload. Either way the typed text
    stays in the editor."""
    override = bool(st.session_state.get(f"override_{detail.id}_{lock}", False))
    with callback_guard(lambda line: _refuse(detail, lock, line)):
        done = act(editor_text(detail, lock), override)
        if done.ok:
            acted(detail.id)
            then()
            return
        failed_ids: list[int] = st.session_state.setdefault(FAILED_CHECK_KEY, [])
        if isinstance(done.error, ValidationFailed) and detail.id not in failed_ids:
            failed_ids.append(detail.id)
        _refuse(detail, lock, done.error)


def _show_refusal(detail: DraftDetail, lock: int, place: str = "reply") -> None:
    """The refusal kept for this run at this place: one line, and the reload when the draft moved."""
    refused = st.session_state.get(REFUSED_KEY)
    if not (isinstance(refused, tuple) and refused[:3] == (detail.id, lock, place)):
        return
    del st.session_state[REFUSED_KEY]
    st.error(md_escape(refused[3]))
    if refused[4]:
        st.button("Reload the draft (your text is kept)", key=f"reload_now_{detail.id}_{lock}",
                  icon=":material/refresh:", on_click=keep_and_reload, args=(detail, lock))


def _archive_form(engine: Engine, detail: DraftDetail, lock: int, actor: Actor, *, on_done: Next) -> None:
    """The reason (and a note) under the buttons, in the panel: archiving reruns the panel only and opens the next
    draft, where a modal dialog's close reran the whole page."""
    with st.container(border=True, key=f"archive_form_{detail.id}"):
        st.radio(f"Archive draft #{detail.id} — why?", list(ARCHIVE_REASONS),
                 format_func=ARCHIVE_REASONS.__getitem__, index=None, horizontal=True,
                 key=f"archive_reason_{detail.id}_{lock}")
        st.text_input("Note (optional)", key=f"archive_note_{detail.id}_{lock}", max_chars=2000)
        go, cancel = st.columns(2)
        cancel.button("Cancel", key=f"archive_cancel_{detail.id}_{lock}", width="stretch", on_click=_close_archive)
        go.button("Archive", key=f"archive_{detail.id}_{lock}", type="primary", width="stretch",
                  on_click=_archive, args=(engine, detail, lock, actor, on_done))
        _show_refusal(detail, lock, "archive")


def _archive(engine: Engine, detail: DraftDetail, lock: int, actor: Actor, on_done: Next) -> None:
    """The archive form's callback (one run draws the next draft): the reason is required; unsaved text is saved
    with the draft first, never dropped."""
    reason = st.session_state.get(f"archive_reason_{detail.id}_{lock}")
    note = st.session_state.get(f"archive_note_{detail.id}_{lock}") or None
    if reason is None:
        _refuse(detail, lock, "Pick a reason — it tells the team why drafts are set aside.", place="archive")
        return
    with callback_guard(lambda line: _refuse(detail, lock, line, place="archive")):
        expect = lock
        if has_unsaved_text(detail, lock):
            saved = commands.save_edit(engine, draft_id=detail.id, body=editor_text(detail, lock),
                                       expect_version=lock, actor=actor, quiet=True)
            if not saved.ok or saved.value is None:
                _refuse(detail, lock, saved.error, place="archive")
                return
            expect = saved.value.lock_version
        done = commands.archive(engine, draft_id=detail.id, reason=str(reason), note=note, expect_version=expect,
                                actor=actor, quiet=True)
        if not done.ok:
            _refuse(detail, lock, done.error, place="archive")
            return
        _close_archive()
        acted(detail.id)
        on_done()


def _afterwards(engine: Engine, detail: DraftDetail, lock: int, actor: Actor, *, may_act: bool) -> None:
    """Sent, archived: what happened, and Restore for an archived draft."""
    if detail.sent_email_id is not None:
        st.text(f"Sent {relative(detail.sent_at, datetime.now(UTC))} as email #{detail.sent_email_id}.")
        _delivery(engine, detail.id)
    if detail.status == "archived":
        why = ARCHIVE_REASONS.get(detail.archive_category or "other", "Other")
        st.text(clean(f"Archived by {dash(detail.archived_by)} {relative(detail.archived_at)} · {why}\n"
                      f"Note: {dash(detail.archive_reason)}"))
        if may_act and st.button("Restore", key=f"restore_{detail.id}_{lock}", icon=":material/undo:"):
            if commands.restore(engine, draft_id=detail.id, expect_version=lock, actor=actor).ok:
                acted(detail.id)
                rerun_panel()


_IN_FLIGHT = ("queued", "sending")
DELIVERY_POLL_SECONDS = 3.0


def _delivery_line(engine: Engine, draft_id: int) -> None:
    try:  # not cached: the mail worker moves it along on its own
        state = delivery_state(engine, draft_id=draft_id)
    except EchoError as error:
        st.caption(md_escape(error))
        return
    st.caption(f"Delivery: {md_escape(state.describe()) if state else 'not queued for delivery'}")


def _delivery(engine: Engine, draft_id: int) -> None:
    """While the worker still has the reply in hand, the line is a fragment that re-reads its state every few
    seconds (only this line reruns), so "queued" turns into "delivered" without a click."""
    try:
        state = delivery_state(engine, draft_id=draft_id)
    except EchoError:
        state = None
    if state is None or state.status not in _IN_FLIGHT:
        _delivery_line(engine, draft_id)
        return

    @st.fragment(run_every=DELIVERY_POLL_SECONDS)
    @database_guard()  # the database gone mid-run: the banner, not a traceback
    def watch() -> None:
        _delivery_line(engine, draft_id)

    watch()
