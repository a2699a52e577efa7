"""Running a broker action from the review page: the service call, the error message, the fresh data.

Every action is sent with the lock version the broker read (`seen_lock`), so a change made
by someone else in between fails with StaleDraft instead of being overwritten.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st
from sqlalchemy import Engine

from echo_core.db.engine import session_factory
from echo_core.errors import EchoError
from echo_core.permissions import Actor
from echo_core.queries.review import DraftDetail
from ui import text
from ui.review_data import after_action, reload_draft


def seen_lock(detail: DraftDetail) -> int:
    """The lock version this broker read when the draft was (re)opened; kept until an action or reload."""
    key = f"seen_lock_{detail.id}"
    if key not in st.session_state:
        st.session_state[key] = detail.lock_version
    return int(st.session_state[key])


def forget(draft_id: int) -> None:
    """Drop the read lock version: the next run takes the fresh one, and widgets keyed by it start afresh."""
    st.session_state.pop(f"seen_lock_{draft_id}", None)


def run_action(
    engine: Engine,
    detail: DraftDetail,
    actor: Actor,
    service: Callable[..., Any],
    done: str,
    *,
    new_email: bool = False,
    **arguments: Any,
) -> EchoError | None:
    """Call `service`; a broken rule becomes st.error(str(e)) and is returned, success clears caches and reruns."""
    try:
        with session_factory(engine)() as session:
            service(session=session, draft_id=detail.id, actor=actor,
                    expected_lock_version=seen_lock(detail), **arguments)
    except EchoError as error:
        text.error(error)
        return error
    forget(detail.id)
    after_action(engine, draft_id=detail.id, deal_id=detail.deal_id, new_email=new_email)
    st.toast(f"Draft #{detail.id} {done}.")  # fixed words and an id only
    st.rerun()
    return None  # unreachable: st.rerun() raises


def reload(engine: Engine, detail: DraftDetail) -> None:
    forget(detail.id)
    reload_draft(engine, draft_id=detail.id, deal_id=detail.deal_id)
    st.rerun()
