"""Shared read-side helpers: a connection from an Engine or Connection, LIKE escaping, keyset pages.

Pages pass the process engine; tests pass `session.connection()` so that rows made by
factories inside a rolled-back transaction are visible to the query.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, text

from echo_core.db.engine import readable_db_errors

if TYPE_CHECKING:  # pandas is imported where a page needs it: the CLI export starts without it
    import pandas as pd

Bind = Engine | Connection


@contextmanager
def reading(bind: Bind) -> Iterator[Connection]:
    """A connection with driver errors turned into readable ones; closed only if opened here."""
    engine = bind if isinstance(bind, Engine) else bind.engine
    with readable_db_errors(engine):
        if isinstance(bind, Connection):
            yield bind
        else:
            with bind.connect() as conn:
                yield conn


def bindable(values: tuple[str, ...] | list[str]) -> list[str]:
    """Filter values as bind parameters: PostgreSQL refuses NUL in text, and no stored value has one."""
    return [str(v).replace("\x00", "") for v in values]


def contains_pattern(text: str) -> str:
    """An ILIKE pattern matching `text` anywhere, with % _ and \\ taken literally (use ESCAPE '\\')."""
    text = text.replace("\x00", "")  # no stored text contains NUL (PostgreSQL refuses it), nor may a parameter
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@dataclass(frozen=True)
class Cursor:
    """Where a keyset page ends: the (created_at, id) of its last row, in ORDER BY created_at DESC, id DESC."""

    created_at: datetime
    id: int


@dataclass(frozen=True)
class Page:
    """One keyset page of rows and the cursor of the next page (None on the last)."""

    rows: pd.DataFrame
    next_cursor: Cursor | None


def keyset_page(conn: Connection, select_sql: str, where: str, params: dict[str, Any], *,
                after: Cursor | None, limit: int) -> Page:
    """Run `select_sql WHERE … ORDER BY created_at DESC, id DESC` one page at a time (no OFFSET)."""
    clauses = [where] if where else []
    binds = dict(params)
    if after is not None:
        # Row comparison walks the (created_at, id) order exactly, ties on created_at included.
        clauses.append("(created_at, id) < (:after_created_at, :after_id)")
        binds.update(after_created_at=after.created_at, after_id=after.id)
    where_sql = " AND ".join(f"({c})" for c in clauses) or "TRUE"
    sql = text(f"{select_sql} WHERE {where_sql} ORDER BY created_at DESC, id DESC LIMIT :page_limit")
    import pandas as pd

    rows = pd.read_sql_query(sql, conn, params={**binds, "page_limit": limit + 1})
    more = len(rows) > limit
    rows = rows.iloc[:limit].reset_index(drop=True)
    last = rows.iloc[-1] if more else None
    cursor = Cursor(last["created_at"].to_pydatetime(), int(last["id"])) if last is not None else None
    return Page(rows, cursor)
