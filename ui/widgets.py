"""Reusable rendering helpers: readable amenities, the availability grid, CSV download buttons.

Values from the database are shown with `st.text` / dataframes only; the only markdown here
is fixed section titles written in this file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd
import streamlit as st

from echo_core.export import dataframe_to_csv_bytes
from echo_core.permissions import Actor
from echo_core.schemas import WEEKDAYS
from ui import formatting, text

# (section key, title, [(field, label, kind)]) — kind: money, bool, list, text
_SECTIONS: tuple[tuple[str, str, tuple[tuple[str, str, str], ...]], ...] = (
    ("parking", "Parking", (
        ("type", "Type", "text"), ("location", "Where", "text"), ("costMonthly", "Cost per month", "money"),
        ("costPerDay", "Cost per day", "money"), ("spotsAvailable", "Spots available", "text"),
        ("provider", "Provider", "text"), ("sharedSpots", "Shared spots", "bool"), ("note", "Note", "text"))),
    ("dogPolicy", "Dog policy", (
        ("allowed", "Dogs allowed", "bool"), ("sizeLimit", "Size limit", "text"), ("deposit", "Deposit", "money"),
        ("reason", "Reason", "text"), ("flexibility", "Flexibility", "text"), ("alternative", "Alternative", "text"),
        ("note", "Note", "text"))),
    ("access", "Access", (
        ("system", "System", "text"), ("hours", "Hours", "text"), ("afterHours", "After-hours access", "bool"),
        ("costPerCard", "Cost per card", "money"), ("cost", "Cost", "money"), ("process", "How to get access", "text"),
        ("advanceNotice", "Advance notice", "text"), ("securityContact", "Security contact", "text"))),
    ("meetingRooms", "Meeting rooms", (
        ("count", "Rooms", "text"), ("sizes", "Seats per room", "list"), ("bookingSystem", "Booking", "text"),
        ("maxHoursPerBooking", "Max hours per booking", "text"), ("note", "Note", "text"))),
    ("rentInclusions", "Included in the rent", (
        ("utilities", "Utilities", "bool"), ("internet", "Internet", "text"), ("janitorial", "Cleaning", "text"),
        ("hvac", "HVAC", "bool"), ("kitchen", "Kitchen", "text"))),
)
_HOST = (("hostStatus", "Host status"), ("lastContact", "Last contact"))


money = formatting.money  # one money format everywhere ($12,000)


def _show(value: Any, kind: str) -> str:
    if kind == "bool":
        return "yes" if value else "no"
    if kind == "money":
        return money(value)
    if kind == "list" and isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def amenity_sections(details: Mapping[str, Any] | None) -> list[tuple[str, list[str]]]:
    """Detailed amenities as titled groups of "Label: value" lines; unknown keys keep their own names."""
    details = details or {}
    sections: list[tuple[str, list[str]]] = []
    for key, title, fields in _SECTIONS:
        block = details.get(key)
        if not isinstance(block, Mapping):
            continue
        known = {name for name, _, _ in fields}
        lines = [f"{label}: {_show(block[name], kind)}" for name, label, kind in fields if block.get(name) is not None]
        lines += [f"{name}: {_show(value, 'list')}" for name, value in block.items() if name not in known]
        sections.append((title, lines))
    host = [f"{label}: {details[key]}" for key, label in _HOST if details.get(key)]
    if host:
        sections.append(("Host", host))
    return sections


def show_detailed_amenities(details: Mapping[str, Any] | None) -> None:
    sections = amenity_sections(details)
    if not sections:
        st.info("No detailed amenities recorded for this space.")
        return
    columns = st.columns(min(3, len(sections)))
    for i, (title, lines) in enumerate(sections):
        with columns[i % len(columns)]:
            st.markdown(f"**{title}**")  # fixed titles from this module, never data
            st.text("\n".join(lines) if lines else "(nothing recorded)")


_TIME = re.compile(r"^(\d{1,2})(?::(\d{2}))?(am|pm)$")


def _minutes(slot: str) -> int:
    match = _TIME.match(slot.strip().lower().replace(" ", ""))
    if not match:
        return 24 * 60
    hour, minute, half = int(match.group(1)) % 12, int(match.group(2) or 0), match.group(3)
    return (hour + (12 if half == "pm" else 0)) * 60 + minute


def availability_grid(availability: Mapping[str, Any] | None) -> pd.DataFrame:
    """Weekday rows × tour-time columns, "✓" where the host offers a slot."""
    availability = availability or {}
    days = [d for d in WEEKDAYS if availability.get(d)]
    times = sorted({str(t) for d in days for t in availability[d]}, key=_minutes)
    grid = pd.DataFrame("", index=[d.capitalize() for d in days], columns=times)
    for day in days:
        for slot in availability[day]:
            grid.loc[day.capitalize(), str(slot)] = "✓"
    return grid


def show_availability(availability: Mapping[str, Any] | None) -> None:
    grid = availability_grid(availability)
    if grid.empty:
        st.info("No tour times offered.")
    else:
        st.dataframe(text.frame(grid), width="content")


def csv_download(label: str, data: Callable[[], bytes], *, file_name: str, key: str) -> None:
    """A CSV download built only when clicked (a whole filtered table can be large)."""
    st.download_button(label, data=data, file_name=file_name, mime="text/csv", key=key, on_click="ignore",
                       icon=":material/download:")


def dataframe_download(label: str, frame: pd.DataFrame, *, actor: Actor, file_name: str, key: str) -> None:
    """A CSV download of a table already on the page: JSON flattened, formulas neutralised."""
    csv_download(label, lambda: dataframe_to_csv_bytes(frame, actor=actor), file_name=file_name, key=key)


def clickable_table(rows: pd.DataFrame, *, key: str, page: int, open_key: str,
                    column_config: Mapping[str, Any] | None = None, money_columns: tuple[str, ...] = ()) -> list[int]:
    """One page of rows whose click — on the row's checkbox or on any of its cells — opens the row:
    `st.session_state[open_key]` becomes its id.

    A click is applied once, not on every rerun (the dataframe keeps reporting its selection).
    Returns the page's row ids.
    """
    ss = st.session_state
    event = st.dataframe(text.frame(rows), key=key, on_select="rerun", selection_mode=["single-row", "single-cell"],
                         hide_index=True, width="stretch", placeholder=formatting.MISSING,
                         column_config=formatting.table_config(rows, money=money_columns, extra=column_config))
    row_ids = [int(i) for i in rows["id"]]
    # A clicked cell first (the newest gesture), then a ticked row.
    picked = [int(cell[0]) for cell in (event.selection.cells if event else [])]
    picked += list(event.selection.rows) if event else []
    marker = f"{key}_picked_row"
    if picked and ss.get(marker) != (page, picked[0]):
        ss[marker] = (page, picked[0])
        ss[open_key] = row_ids[picked[0]]
    return row_ids
