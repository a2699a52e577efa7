"""How the dashboard writes values: times, money, missing values, column labels, articles — one way each.

- Times: relative ("2 h ago") with the local time (the browser's time zone) for hover text;
  tables show local times in the browser's zone as well.
- Money: "$12,000" (cents only when there are any), in text and in tables alike.
- Missing values: "—", never "None".
- Column labels: human words, from one table, so a snake_case header never reaches a page.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd
import streamlit as st

from ui import text

MISSING = "—"

LABELS: dict[str, str] = {
    "draft_id": "Draft", "deal_id": "Deal", "email_id": "Email", "space_id": "Space", "id": "#",
    "status": "Status", "created_at": "Created", "sent_at": "Sent", "at": "When", "updated_at": "Updated",
    "company": "Company", "company_name": "Company", "seeker": "Seeker", "seeker_name": "Seeker",
    "seeker_email": "Seeker email", "inbound_subject": "Subject", "subject": "Subject",
    "confidence": "Confidence", "validation": "Fact check", "coverage": "Coverage", "owner_email": "Owner",
    "refinements": "Refinements", "team_size": "Team", "monthly_budget": "Budget / month", "budget": "Budget / month",
    "monthly_rate": "Rate / month", "stage": "Stage", "name": "Name", "neighborhood": "Neighborhood",
    "address": "Address", "host_company": "Host", "actor": "Who", "action": "Action", "from_status": "From",
    "to_status": "To", "sender": "From", "recipient": "To", "broker": "Broker", "total": "Total",
    "email": "Email", "role": "Role", "active": "Active", "attempts": "Attempts", "last_error": "Last error",
    "next_attempt_at": "Next attempt", "delivered_at": "Delivered", "outbox_id": "Outbox #",
}
ACTION_LABELS: dict[str, str] = {
    "approve": "Approved", "edit": "Edited by hand", "refine": "Refined", "use_version": "Switched version",
    "send": "Sent", "archive": "Archived", "restore": "Restored", "opened": "Opened", "generate": "Drafted",
}


def label(column: str) -> str:
    """The human label of a column; an unknown one is written as words ("last_seen" → "Last seen")."""
    return LABELS.get(column) or column.replace("_", " ").replace(".", " · ").strip().capitalize()


def browser_zone() -> ZoneInfo:
    """The viewer's time zone as the browser reports it; UTC when it does not (AppTest, old browsers)."""
    name = getattr(st.context, "timezone", None)
    try:
        return ZoneInfo(name) if name else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def local(moment: datetime | None, zone: ZoneInfo | None = None) -> str:
    """'Tue 4 Mar 2025, 09:05 CET' in the viewer's zone; "—" when there is no time."""
    if moment is None or pd.isna(moment):
        return MISSING
    when = _aware(moment).astimezone(zone or browser_zone())
    return f"{when:%a} {when.day} {when:%b %Y, %H:%M} {when.tzname() or ''}".rstrip()


def relative(moment: datetime | None, now: datetime | None = None) -> str:
    """'just now', '12 min ago', '2 h ago', '3 d ago', then the date ('4 Mar', '4 Mar 2024')."""
    if moment is None or pd.isna(moment):
        return MISSING
    now = _aware(now or datetime.now(UTC))
    moment = _aware(moment)
    seconds = (now - moment).total_seconds()
    if seconds < 0:
        return "in the future" if seconds < -60 else "just now"
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 86400:
        return f"{int(seconds // 3600)} h ago"
    if seconds < 7 * 86400:
        return f"{int(seconds // 86400)} d ago"
    day = moment.astimezone(browser_zone())
    return f"{day.day} {day:%b}" if day.year == now.year else f"{day.day} {day:%b %Y}"


def money(value: Any) -> str:
    """'$12,000', or '$12.50' when there are cents; '—' when missing."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return MISSING
    amount = float(value)
    return f"${amount:,.0f}" if amount == int(amount) else f"${amount:,.2f}"


def number(value: float, *, percent: bool = False) -> str:
    """1,234 (a whole number), 1,234.50, or 25% for a `percent` fraction."""
    if percent:
        return f"{float(value):.0%}"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def hours(minutes: float | None) -> str:
    """'12.5 h' from minutes, to a tenth; '—' when missing. A few seconds either side of zero is '0.0 h', not
    '-0.0 h'."""
    if minutes is None or pd.isna(minutes):
        return MISSING
    return f"{round(minutes / 60, 1) + 0.0:.1f} h"  # + 0.0 turns -0.0 into 0.0


def article(word: str) -> str:
    """'a broker', 'an analyst', 'a lead': the indefinite article by the word's first sound (letters here)."""
    return f"{'an' if word[:1].lower() in 'aeiou' else 'a'} {word}"


def dash(value: object) -> str:
    """A value for display: missing (None, NaN, '') is '—'."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value == "":
        return MISSING
    return str(value)


def money_column(column: str) -> Any:
    return st.column_config.NumberColumn(label(column), format="dollar", step=1)


def time_column(column: str) -> Any:
    zone = browser_zone().key
    return st.column_config.DatetimeColumn(label(column), format="calendar", timezone=zone,
                                           help=f"Local time ({zone})")


def table_config(frame: pd.DataFrame, *, money: Iterable[str] = (), extra: Mapping[str, Any] | None = None,
                 ) -> dict[str, Any]:
    """column_config for `frame`: human labels, local times, one money format; `extra` wins."""
    config: dict[str, Any] = {}
    money_columns = set(money)
    for column in frame.columns:
        name = str(column)
        if name in money_columns:
            config[name] = money_column(name)
        elif pd.api.types.is_datetime64_any_dtype(frame[column]):
            config[name] = time_column(name)
        else:
            config[name] = st.column_config.Column(label(name))
    config.update(extra or {})
    return config


def show_table(frame: pd.DataFrame, *, key: str | None = None, money: Iterable[str] = (),
               extra: Mapping[str, Any] | None = None, height: int | None = None) -> None:
    """A read-only table with human labels, local times and missing values shown as '—'."""
    st.dataframe(text.frame(frame), hide_index=True, width="stretch", key=key, height=height or "auto",
                 column_config=table_config(frame, money=money, extra=extra), placeholder=MISSING)
