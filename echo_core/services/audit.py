"""The append-only audit trail of draft actions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from echo_core.db.models import DraftEvent
from echo_core.permissions import Actor


def record_event(
    session: Session,
    *,
    draft_id: int,
    actor: Actor,
    action: str,
    from_status: str | None,
    to_status: str | None,
    details: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> DraftEvent:
    """Add one event in the caller's transaction; it commits or rolls back with the action."""
    event = DraftEvent(
        draft_id=draft_id,
        actor=actor.email,
        action=action,
        from_status=from_status,
        to_status=to_status,
        details=details or {},
    )
    if at is not None:  # a service's explicit clock (tests, demo timelines); else the DB's now()
        event.created_at = at
    session.add(event)
    return event
