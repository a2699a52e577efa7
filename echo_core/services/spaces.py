"""Space inventory changes: add and edit spaces, JSON shapes checked by echo_core.schemas."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from echo_core.db.models import Space
from echo_core.errors import InvalidInput, NotFound, StaleRecord
from echo_core.permissions import Action, Actor
from echo_core.schemas import Amenities, Availability, DetailedAmenities, parse
from echo_core.services.actors import acting
from echo_core.services.audit import record_change, snapshot
from echo_core.services.deals import INT_MAX, _email, _text

EDITABLE = (
    "name", "address", "neighborhood", "host_company", "host_email", "host_context",
    "amenities", "availability", "monthly_rate", "detailed_amenities",
)


def _clean(field: str, value: Any) -> Any:
    """One field, validated and normalised the way the core stores it."""
    if field in ("name", "host_company"):
        return _text(value, field.replace("_", " "))
    if field == "address":
        return _text(value, "address", limit=1000)
    if field == "neighborhood":
        return _text(value, "neighborhood", limit=100) if (value or "").strip() else None
    if field == "host_email":
        return _email(value, "host email")
    if field == "host_context":
        return _text(value, "host context", limit=5000) if (value or "").strip() else None
    if field == "monthly_rate":
        if value is None or int(value) < 0:
            raise InvalidInput(f"The monthly rate cannot be negative (got {value}) — enter dollars per month.")
        if int(value) > INT_MAX:
            raise InvalidInput(f"The monthly rate {value} is too large — it must be at most {INT_MAX:,}.")
        return int(value)
    if field == "amenities":
        return parse(Amenities, {} if value is None else value, what="amenities (flags must be true or false)").dump()
    if field == "availability":
        return parse(Availability, value or {}, what="availability").dump()
    if field == "detailed_amenities":
        return parse(DetailedAmenities, value, what="detailed amenities").dump() if value else None
    raise InvalidInput(f"'{field}' is not an editable space field — use one of: {', '.join(EDITABLE)}.")


def create_space(
    *,
    session: Session,
    actor: Actor,
    name: str,
    address: str,
    host_company: str,
    host_email: str,
    monthly_rate: int,
    neighborhood: str | None = None,
    host_context: str | None = None,
    amenities: dict[str, Any] | None = None,
    availability: dict[str, Any] | None = None,
    detailed_amenities: dict[str, Any] | None = None,
) -> Space:
    actor = acting(session, actor, Action.EDIT_DEALS)
    given = {
        "name": name, "address": address, "neighborhood": neighborhood, "host_company": host_company,
        "host_email": host_email, "host_context": host_context, "amenities": amenities,
        "availability": availability, "monthly_rate": monthly_rate, "detailed_amenities": detailed_amenities,
    }
    space = Space(**{field: _clean(field, value) for field, value in given.items()})
    session.add(space)
    session.flush()
    record_change(session, actor=actor, action="created", entity="space", entity_id=space.id, before={},
                  after=snapshot(space, EDITABLE))
    session.commit()
    return space


def update_space(*, session: Session, space_id: int, actor: Actor, expected_lock_version: int | None = None,
                 **changes: Any) -> Space:
    """Change the given fields only; all are validated before any is written.

    `expected_lock_version`: the version the form read; another save in between refuses this one
    with StaleRecord (the first save's rate stays) instead of silently reverting it.
    """
    actor = acting(session, actor, Action.EDIT_DEALS)
    cleaned = {field: _clean(field, value) for field, value in changes.items()}
    space = session.scalar(select(Space).where(Space.id == space_id).with_for_update()
                           .execution_options(populate_existing=True))
    if space is None:
        raise NotFound(f"Space {space_id} does not exist — reload the spaces page.")
    if expected_lock_version is not None and space.lock_version != expected_lock_version:
        raise StaleRecord("space", space_id)
    before = snapshot(space, cleaned)
    for field, value in cleaned.items():
        setattr(space, field, value)
    if record_change(session, actor=actor, action="updated", entity="space", entity_id=space.id,
                     before=before, after=snapshot(space, cleaned)) is not None:
        space.lock_version += 1  # an unchanged form saves nothing and leaves other open forms current
    session.commit()
    return space


def parse_json_text(raw: str | None, *, what: str) -> dict[str, Any] | None:
    """A JSON object typed into a form; empty means none. One readable error otherwise."""
    if raw is None or not raw.strip():
        return None
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as error:
        raise InvalidInput(
            f"The {what} are not valid JSON (line {error.lineno}, column {error.colno}: {error.msg}) — "
            'write an object like {"parking": {"costMonthly": 250}}.'
        ) from None
    if not isinstance(value, dict):
        raise InvalidInput(f"The {what} must be a JSON object in {{…}}, not a {type(value).__name__}.")
    return value


def parse_slots(raw: str | None) -> list[str]:
    """"2pm, 4:30pm" -> ["2pm", "4:30pm"]; the times themselves are checked by Availability."""
    return [slot.strip() for slot in (raw or "").replace(";", ",").split(",") if slot.strip()]
