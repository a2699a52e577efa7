"""The append-only audit trails: draft actions (draft_events) and every other change (audit_log).

Both are written in the caller's transaction: an event commits or rolls back with its action.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy.orm import Session

from echo_core.db.models import DraftEvent
from echo_core.db.models_audit import AUDIT_ENTITIES, AuditEntry
from echo_core.errors import StaleRecord
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


def _plain(value: Any) -> Any:
    """A JSON value of a column's value (timestamps as ISO text)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def snapshot(row: object, fields: Iterable[str]) -> dict[str, Any]:
    return {field: _plain(getattr(row, field)) for field in fields}


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """{field: {"from": old, "to": new}} for the fields whose value changed (a new row: from None)."""
    return {field: {"from": before.get(field), "to": value}
            for field, value in after.items() if before.get(field) != value or field not in before}


def record_change(session: Session, *, actor: Actor, action: str, entity: str, entity_id: int,
                  before: Mapping[str, Any], after: Mapping[str, Any], always: bool = False) -> AuditEntry | None:
    """One audit_log row for the changed fields, in the caller's transaction; None when nothing changed
    (unless `always`: an action such as a retry is worth a row even with no field diff)."""
    if entity not in AUDIT_ENTITIES:
        raise ValueError(f"unknown audit entity {entity!r}")  # a programming error, not user input
    changes = diff(before, after)
    if not changes and not always:
        return None
    entry = AuditEntry(actor=actor.email, action=action, entity=entity, entity_id=entity_id, changes=changes)
    session.add(entry)
    return entry


class Versioned(Protocol):
    id: Any
    lock_version: Any


def compare_and_bump(row: Versioned, expected: int | None, *, what: str) -> None:
    """The optimistic lock of a row the caller holds FOR UPDATE: refuse a write based on an older read.

    `expected` None: the caller read nothing first (a script's blind set), so there is nothing to be stale.
    """
    if expected is not None and row.lock_version != expected:
        raise StaleRecord(what, row.id)  # the caller's session rolls back: nothing of this action is kept
    row.lock_version = row.lock_version + 1
