"""The append-only audit trail of draft actions."""

from __future__ import annotations

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
    session.add(event)
    return event
