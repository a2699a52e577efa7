"""The inbox's session state for one open draft: what the broker read, what they typed, where they go next.

- `seen_lock`: the lock_version the broker read when the draft was (re)opened. Every action
  is sent with it, so someone else's change in between is a StaleDraft, never overwritten.
- The reply editor's widget key carries that version; after an action the key changes and
  the editor starts from the fresh text. A refusal keeps the key, so the typed text stays.
- `reload` (after a conflict) keeps what the broker typed: it becomes the new editor's text.
- `Inbox.open` / `Inbox.go_next`: the one place that changes which draft is open (ids only).
"""

from __future__ import annotations

import streamlit as st

from echo_core.queries.drafts import DraftDetail

OPEN_KEY = "open_draft"
CARRY_PREFIX = "carry_text_"
OPENED_PENDING_KEY = "opened_pending"  # a draft just opened: its panel marks that review began


def seen_lock(detail: DraftDetail) -> int:
    """The lock version this broker read when the draft was (re)opened; kept until an action or reload."""
    key = f"seen_lock_{detail.id}"
    if key not in st.session_state:
        st.session_state[key] = detail.lock_version
    return int(st.session_state[key])


def forget(draft_id: int) -> None:
    """Drop the read lock version: the next run takes the fresh one, and widgets keyed by it start afresh."""
    st.session_state.pop(f"seen_lock_{draft_id}", None)


def editor_key(draft_id: int, lock: int) -> str:
    return f"body_{draft_id}_{lock}"


def editor_text(detail: DraftDetail, lock: int) -> str:
    """What the broker sees in the reply editor now (their typing, once the field has lost focus)."""
    value = st.session_state.get(editor_key(detail.id, lock))
    return detail.body if value is None else str(value)


def initial_text(detail: DraftDetail) -> str:
    """The editor's starting text: the broker's kept text after a reload, else the stored body."""
    return str(st.session_state.pop(f"{CARRY_PREFIX}{detail.id}", detail.body))


def has_unsaved_text(detail: DraftDetail, lock: int) -> bool:
    return editor_text(detail, lock).strip() != detail.body.strip()


def reload(detail: DraftDetail, lock: int) -> bool:
    """Take the latest stored draft; the broker's unsaved text stays in the new editor. True if text was kept."""
    typed = editor_text(detail, lock)
    kept = typed.strip() != detail.body.strip() and bool(typed.strip())
    if kept:
        st.session_state[f"{CARRY_PREFIX}{detail.id}"] = typed
    forget(detail.id)
    return kept


def acted(draft_id: int) -> None:
    """An action on the draft succeeded: the next run reads it afresh (new lock version, fresh editor)."""
    forget(draft_id)


def open_draft(draft_id: int | None) -> None:
    """Open `draft_id` (or none): the one write of the open draft's id, before or during a run."""
    previous = st.session_state.get(OPEN_KEY)
    st.session_state[OPEN_KEY] = draft_id
    if previous != draft_id:
        st.session_state[OPENED_PENDING_KEY] = draft_id  # the page records "opened" once it renders it
