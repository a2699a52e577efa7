"""The add / edit space form: structured inputs plus an "advanced JSON" area for detailed amenities."""

from __future__ import annotations

import json
from typing import Any

import streamlit as st
from sqlalchemy import Engine

from echo_core.errors import StaleRecord
from echo_core.permissions import Actor
from echo_core.queries.spaces import SpaceDetail
from echo_core.schemas import WEEKDAYS
from echo_core.services import spaces as svc
from ui import commands, form_versions

BASE_FLAGS = ("dogFriendly", "parking", "afterHours", "meetingRooms", "kitchen")


def space_form(engine: Engine, actor: Actor, flags: list[str], space: SpaceDetail | None = None) -> None:
    """Render the form; on submit validate through the service, show one error or save and rerun."""
    prefix = f"sf_{space.id}" if space else "sf_new"
    seen = form_versions.read_version(prefix, probe=f"{prefix}_name", version=space.lock_version) if space else None
    options = sorted({*BASE_FLAGS, *flags, *((space.amenities if space else {}) or {})})
    with st.form(prefix, clear_on_submit=False):
        cols = list(st.columns(3))
        name = cols[0].text_input("Name", value=space.name if space else "", key=f"{prefix}_name")
        neighborhood = cols[1].text_input("Neighborhood", value=(space.neighborhood or "") if space else "",
                                          key=f"{prefix}_neighborhood")
        rate = cols[2].number_input("Monthly rate ($)", value=space.monthly_rate if space else 10000, step=500,
                                    key=f"{prefix}_rate")
        address = st.text_input("Address", value=space.address if space else "", key=f"{prefix}_address")
        cols = list(st.columns(2))
        host = cols[0].text_input("Host company", value=space.host_company if space else "", key=f"{prefix}_host")
        host_email = cols[1].text_input("Host email", value=space.host_email if space else "",
                                        key=f"{prefix}_host_email")
        context = st.text_area("Host context (background for the AI)", value=(space.host_context or "") if space
                               else "", key=f"{prefix}_context", height=68)
        current = [k for k, v in (space.amenities if space else {}).items() if v is True]
        chosen = st.multiselect("Amenities", options, default=current, key=f"{prefix}_flags")
        st.caption("Tour times per weekday, comma separated (e.g. 2pm, 4:30pm)")
        day_cols = list(st.columns(len(WEEKDAYS)))
        slots = {day: day_cols[i].text_input(day[:3].capitalize(), key=f"{prefix}_{day}",
                                             value=", ".join((space.availability if space else {}).get(day, [])))
                 for i, day in enumerate(WEEKDAYS)}
        details = st.text_area(
            "Detailed amenities — advanced JSON (parking, dogPolicy, access, meetingRooms, rentInclusions)",
            value=json.dumps(space.detailed_amenities, indent=2) if space and space.detailed_amenities else "",
            key=f"{prefix}_details", height=200,
        )
        submitted = st.form_submit_button("Save changes" if space else "Add space", key=f"{prefix}_submit")
    if not submitted:
        return

    def fields() -> dict[str, Any]:
        return {
            "name": name, "neighborhood": neighborhood, "monthly_rate": int(rate), "address": address,
            "host_company": host, "host_email": host_email, "host_context": context,
            "amenities": {flag: flag in chosen for flag in options},
            "availability": {day: svc.parse_slots(raw) for day, raw in slots.items() if svc.parse_slots(raw)},
            "detailed_amenities": svc.parse_json_text(details, what="detailed amenities"),
        }

    saved = commands.save_space(engine, actor=actor, space_id=space.id if space else None, fields=fields,
                                expect_version=seen)
    if isinstance(saved.error, StaleRecord):  # the form keeps the broker's edits; the details above are the saved ones
        form_versions.forget_version(prefix)
        st.info("Your edits are still in the form; the details above show what was saved meanwhile. "
                "Save again to replace them with yours.")
    if saved.ok and saved.value is not None:
        form_versions.forget_version(prefix)
        st.session_state["spaces_open_next"] = saved.value.id
        st.rerun()
