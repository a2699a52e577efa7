"""Time saved by one sent reply: `ai_metadata.timeSaved = {traditional, withAI}`, in minutes.

- `traditional`: what the reply costs by hand, from a stated model (config.Settings, README "Time saved"):
  reading the thread (every email of the deal up to the one answered, quoted history left out) at
  ECHO_TIME_SAVED_READ_WPM words a minute, plus writing the text actually sent at
  ECHO_TIME_SAVED_WRITE_WPM words a minute.
- `withAI`: measured from the audit trail: from the first time a broker opened the draft (the earliest
  `opened` draft event) to the send. A draft never opened in the dashboard (CLI, API, demo timelines)
  starts at its first broker event instead (the earliest approve/edit/refine/use_version/archive/restore:
  the first moment a person worked on it); failing that, at the draft's creation.

Written in the send's own transaction (draft_send.py), so the figure and the sent email commit together.
"""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from echo_core.config import get_settings
from echo_core.db.models import DraftEvent, Email, EmailDraft
from echo_core.generation.seeker_text import new_text
from echo_core.lifecycle import DraftAction
from echo_core.schemas import TimeSaved

OPENED = "opened"
# The broker actions that show someone worked on the draft (not the generation, not a background check).
BROKER_ACTIONS = tuple(a.value for a in DraftAction if a is not DraftAction.SEND)


def words(text: str) -> int:
    return len(re.findall(r"\w+(?:['’-]\w+)*", text))


def traditional_minutes(thread: list[str], sent_body: str) -> float:
    """Reading the thread plus writing the sent text at the configured speeds."""
    settings = get_settings()
    read = sum(words(new_text(body)) for body in thread) / settings.time_saved_read_wpm
    write = words(sent_body) / settings.time_saved_write_wpm
    return round(read + write, 1)


def review_started(session: Session, draft: EmailDraft) -> datetime:
    """When a broker started on the draft: first `opened` event, else first broker event, else its creation."""
    for actions in ((OPENED,), BROKER_ACTIONS):
        first = session.scalar(
            select(DraftEvent.created_at)
            .where(DraftEvent.draft_id == draft.id, DraftEvent.action.in_(actions))
            .order_by(DraftEvent.created_at, DraftEvent.id).limit(1)
        )
        if first is not None:
            return first
    return draft.created_at


def measure(session: Session, *, draft: EmailDraft, inbound: Email, body: str, sent_at: datetime) -> TimeSaved:
    thread = session.scalars(
        select(Email.body).where(Email.deal_id == inbound.deal_id, Email.sent_at <= inbound.sent_at)
        .order_by(Email.sent_at, Email.id)
    ).all()
    started = review_started(session, draft)
    with_ai = max(0.0, (sent_at - started).total_seconds() / 60)
    return TimeSaved.model_validate({"traditional": traditional_minutes(list(thread), body),
                                     "withAI": round(with_ai, 1)})


def time_saved_help(emails: int) -> str:
    """The assumptions behind the Analytics "Time saved" figure, for its help tooltip."""
    settings = get_settings()
    return (f"Sum over {emails} sent replies of (by hand − with AI), in hours. By hand: reading the thread at "
            f"{settings.time_saved_read_wpm:g} words/min plus writing the sent text at "
            f"{settings.time_saved_write_wpm:g} words/min (ECHO_TIME_SAVED_READ_WPM / _WRITE_WPM). With AI: measured "
            "from the first time a broker opened the draft (else their first action on it) to the send.")
