"""CSV exports that are safe to open in a spreadsheet.

- Every string cell that a spreadsheet would read as a formula (it begins with `=`, `+`, `-`,
  `@`, a tab or a carriage return) gets a leading single quote, flattened JSON included.
- JSONB columns are flattened into dotted columns (`requirements.dogFriendly`,
  `detailed_amenities.parking.costMonthly`); lists become one text cell.
- Every export entry point (`write_csv`, `table_csv_bytes`, `dataframe_to_csv_bytes`) takes the
  actor and requires `Action.EXPORT` first, so the CLI and the dashboard apply the same rule.
- Table exports stream: the set of JSON columns is found in SQL first, then rows are read
  through a server-side cursor and written as they arrive, so memory stays flat at any size.
"""

from __future__ import annotations

import csv
import io
import json
import math
import numbers
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TextIO

import pandas as pd
from sqlalchemy import Connection, Engine, text

from echo_core.errors import InvalidInput
from echo_core.permissions import Action, Actor, require
from echo_core.queries.reading import Bind, reading

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
BATCH_ROWS = 500


def neutralise(value: Any) -> Any:
    """Prefix a quote to strings a spreadsheet would evaluate; other values pass through."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _text(value: Any) -> str:
    """One CSV cell as text: empty for missing, ISO for times, JSON-ish for lists."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and math.isnan(value):
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, pd.Timestamp):
        return "" if pd.isna(value) else value.isoformat()
    if isinstance(value, list | tuple):
        if all(isinstance(v, str | int | float | bool) or v is None for v in value):
            return "; ".join(_text(v) for v in value)
        return json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str) if value else ""
    return str(value)


def cell(value: Any) -> str:
    """The spreadsheet-safe text of one cell; real numbers stay numbers (-5 is not a formula)."""
    if isinstance(value, numbers.Number) and not isinstance(value, bool):
        return _text(value)
    return str(neutralise(_text(value)))


def flatten(value: Any, prefix: str) -> dict[str, Any]:
    """Nested objects become dotted keys under `prefix`.

    {"parking": {"costMonthly": 250}} under "detailed_amenities" -> {"detailed_amenities.parking.costMonthly": 250}
    """
    if not isinstance(value, Mapping):
        return {prefix: value}
    flat: dict[str, Any] = {}
    for key, inner in value.items():
        flat.update(flatten(inner, f"{prefix}.{key}"))
    return flat


# --- DataFrames (page tables, chart data) -------------------------------------------------
def flatten_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Replace every column holding JSON objects by its dotted leaf columns."""
    parts: list[pd.DataFrame] = []
    for column in df.columns:
        series = df[column]
        if series.dtype == object and any(isinstance(v, Mapping) for v in series):
            rows = [flatten(v, str(column)) if isinstance(v, Mapping) else {} for v in series]
            expanded = pd.DataFrame(rows, index=df.index, dtype=object)
            parts.append(expanded[sorted(expanded.columns)])
        else:
            parts.append(series.to_frame())
    return pd.concat(parts, axis=1) if parts else df


def dataframe_to_csv_bytes(df: pd.DataFrame, *, actor: Actor) -> bytes:
    """UTF-8 CSV of a DataFrame: JSON flattened, every string cell neutralised."""
    require(actor, Action.EXPORT)
    flat = flatten_frame(df)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([cell(str(c)) for c in flat.columns])
    for row in flat.itertuples(index=False, name=None):
        writer.writerow([cell(v) for v in row])
    return buffer.getvalue().encode("utf-8")


# --- whole tables, streamed ----------------------------------------------------------------
@dataclass(frozen=True)
class Dataset:
    """One exportable table: fixed SQL pieces (never user text), its JSON columns, its time column."""

    table: str
    columns: tuple[tuple[str, str], ...]  # (CSV header, SQL expression)
    json_columns: tuple[str, ...]
    since_column: str
    order_by: str


def _plain(*names: str) -> tuple[tuple[str, str], ...]:
    return tuple((name, name) for name in names)


DATASETS: dict[str, Dataset] = {
    "deals": Dataset(
        "deals",
        _plain("id", "created_at", "seeker_name", "seeker_email", "company_name", "team_size", "monthly_budget",
               "stage"),
        ("requirements",), "created_at", "created_at DESC, id DESC",
    ),
    "spaces": Dataset(
        "spaces",
        _plain("id", "created_at", "name", "address", "neighborhood", "host_company", "host_email", "host_context",
               "monthly_rate"),
        ("amenities", "availability", "detailed_amenities"), "created_at", "created_at DESC, id DESC",
    ),
    "emails": Dataset(
        "emails",
        (("id", "id"), ("deal_id", "deal_id"), ("from", '"from"'), ("to", '"to"'), ("subject", "subject"),
         ("body", "body"), ("sent_at", "sent_at"), ("ai_generated", "ai_generated")),
        ("ai_metadata",), "sent_at", "sent_at, id",
    ),
    "drafts": Dataset(
        "email_drafts",
        _plain("id", "deal_id", "inbound_email_id", "status", "confidence_score", "ai_generated_body", "edited_body",
               "final_body", "regeneration_count", "last_regeneration_at", "current_version", "draft_versions",
               "created_at", "reviewed_at", "reviewed_by", "sent_at", "sent_email_id", "archived_at", "archived_by",
               "archive_category", "archive_reason", "archived_from_status", "lock_version"),
        ("reasoning", "metadata", "validation"), "created_at", "created_at, id",
    ),
    "events": Dataset(
        "draft_events",
        _plain("id", "draft_id", "actor", "action", "from_status", "to_status", "created_at"),
        ("details",), "created_at", "created_at, id",
    ),
}


def parse_since(value: str | None) -> datetime | None:
    """`--since` as the start of that day (or that instant); a clear error otherwise."""
    if value is None or value == "":
        return None
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(
            f"--since must be a date like 2026-01-31 (or 2026-01-31T09:00), not '{value[:40]}'."
        ) from None


def _where(dataset: Dataset, where: str | None, params: Mapping[str, Any] | None,
           since: datetime | None) -> tuple[str, dict[str, Any]]:
    clauses = [f"({where})"] if where else []
    binds = dict(params or {})
    if since is not None:
        clauses.append(f"{dataset.since_column} >= :export_since")
        binds["export_since"] = since
    return (" AND ".join(clauses) or "TRUE"), binds


def _json_paths(conn: Connection, dataset: Dataset, where: str, binds: dict[str, Any]) -> list[str]:
    """Every leaf key path in the dataset's JSON columns, found in SQL (no rows come to Python)."""
    if not dataset.json_columns:
        return []
    docs = ", ".join(f"('{c}', {c})" for c in dataset.json_columns)
    sql = text(
        f"""
        WITH RECURSIVE src AS (
            SELECT j.col, j.doc FROM {dataset.table} CROSS JOIN LATERAL (VALUES {docs}) AS j(col, doc)
            WHERE {where}
        ), walk(path, value) AS (
            SELECT ARRAY[src.col, e.key], e.value FROM src,
                jsonb_each(CASE WHEN jsonb_typeof(src.doc) = 'object' THEN src.doc ELSE '{{}}'::jsonb END) AS e
            UNION ALL
            SELECT w.path || e.key, e.value FROM walk w,
                jsonb_each(CASE WHEN jsonb_typeof(w.value) = 'object' THEN w.value ELSE '{{}}'::jsonb END) AS e
        )
        SELECT DISTINCT array_to_string(path, '.') AS path, path[1] AS col FROM walk
        WHERE jsonb_typeof(value) <> 'object'
        """
    )
    rows = conn.execute(sql, binds).all()
    order = {c: i for i, c in enumerate(dataset.json_columns)}
    return [r.path for r in sorted(rows, key=lambda r: (order[r.col], r.path))]


def stream_rows(bind: Bind, name: str, *, where: str | None = None, params: Mapping[str, Any] | None = None,
                since: datetime | None = None) -> Iterable[list[str]]:
    """Header, then one list of safe cells per row, read through a server-side cursor.

    The primitive under `write_csv` (and the bench's timing); callers on behalf of a person
    go through `write_csv` / `table_csv_bytes`, which check the actor may export.
    """
    dataset = DATASETS[name]
    where_sql, binds = _where(dataset, where, params, since)
    select_list = ", ".join(f"{expr} AS c{i}" for i, (_, expr) in enumerate(dataset.columns))
    json_list = ", ".join(f"{c} AS j_{c}" for c in dataset.json_columns)
    sql = text(
        f"SELECT {select_list}{', ' if json_list else ''}{json_list} FROM {dataset.table} "
        f"WHERE {where_sql} ORDER BY {dataset.order_by}"
    )
    # REPEATABLE READ: the column discovery and the rows see the same snapshot.
    if isinstance(bind, Engine):
        bind = bind.execution_options(isolation_level="REPEATABLE READ")
    with reading(bind) as conn:
        paths = _json_paths(conn, dataset, where_sql, binds)
        yield [cell(header) for header, _ in dataset.columns] + [cell(p) for p in paths]
        # Per statement, not per connection: a caller's connection keeps its own options.
        result = conn.execute(sql, binds, execution_options={"stream_results": True, "yield_per": BATCH_ROWS})
        width = len(dataset.columns)
        for row in result:
            flat: dict[str, Any] = {}
            for i, column in enumerate(dataset.json_columns):
                value = row[width + i]
                if isinstance(value, Mapping):
                    flat.update(flatten(value, column))
                elif value is not None:
                    flat[column] = value
            yield [cell(v) for v in row[:width]] + [cell(flat.get(p)) for p in paths]


def write_csv(bind: Bind, name: str, out: TextIO, *, actor: Actor, where: str | None = None,
              params: Mapping[str, Any] | None = None, since: datetime | None = None) -> int:
    """Write the dataset to `out` row by row; returns the number of data rows."""
    require(actor, Action.EXPORT)
    if name not in DATASETS:
        raise InvalidInput(f"Unknown export '{name}' — choose one of: {', '.join(DATASETS)}.")
    writer = csv.writer(out)
    count = -1
    for count, row in enumerate(stream_rows(bind, name, where=where, params=params, since=since)):  # noqa: B007
        writer.writerow(row)
    return max(count, 0)


def table_csv_bytes(bind: Bind, name: str, *, actor: Actor, where: str | None = None,
                    params: Mapping[str, Any] | None = None) -> bytes:
    """A whole (filtered) table as CSV bytes, for a dashboard download button."""
    buffer = io.StringIO()
    write_csv(bind, name, buffer, actor=actor, where=where, params=params)
    return buffer.getvalue().encode("utf-8")
