"""CSV exports that are safe to open in a spreadsheet.

- Every string cell that a spreadsheet would read as a formula (it begins with `=`, `+`, `-`,
  `@`, a tab or a carriage return) gets a leading single quote, flattened JSON included.
- JSONB columns are flattened into dotted columns (`requirements.dogFriendly`,
  `detailed_amenities.parking.costMonthly`); lists become one text cell.
- Every export entry point (`write_csv`, `table_csv_bytes`, `dataframe_to_csv_bytes`) takes the
  actor and requires `Action.EXPORT` first, so the CLI and the dashboard apply the same rule.
- Table exports stream: the JSON columns are found in SQL first (from up to DISCOVERY_SAMPLE
  rows holding JSON — exact for smaller exports), then PostgreSQL computes every cell
  (`echo_core.export_sql`) and `COPY (SELECT …) TO STDOUT (FORMAT CSV)` streams the CSV,
  written chunk by chunk as it arrives: memory stays flat at any size, at about the speed
  of a raw COPY. Lines end with LF (as COPY writes them), the header included.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import math
import numbers
import sys
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, BinaryIO, TextIO, cast

import psycopg
from sqlalchemy import Connection, Engine, exc, text

from echo_core.errors import InvalidInput
from echo_core.export_filters import ByIds as ByIds  # re-exported: callers import the filters from here
from echo_core.export_filters import OfDeal as OfDeal
from echo_core.export_filters import OfDraft as OfDraft
from echo_core.export_filters import RowFilter
from echo_core.export_sql import column_cell, json_cell
from echo_core.permissions import Action, Actor, require
from echo_core.queries.reading import Bind, reading
from echo_core.redact import neutralise_controls

if TYPE_CHECKING:  # imported where DataFrames are exported: the CLI's table export starts without pandas
    import pandas as pd

    from echo_core.queries.audit import AuditFilters

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
BATCH_ROWS = 500
DISCOVERY_SAMPLE = 20_000  # rows holding JSON that the key discovery walks (see _json_paths)


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
    pandas = sys.modules.get("pandas")  # a pandas value can only exist once pandas is imported
    if pandas is not None and value is pandas.NaT:
        return ""  # NaT is a datetime: missing, not 'NaT'
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        if all(isinstance(v, str | int | float | bool) or v is None for v in value):
            return "; ".join(_text(v) for v in value)
        return json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str) if value else ""
    return str(value)


def cell(value: Any) -> str:
    """The spreadsheet-safe text of one cell; real numbers stay numbers (-5 is not a formula); hidden or
    reordering controls shown as `[U+202E]`-style markers (the formula test reads the raw first character, as
    in SQL)."""
    if isinstance(value, numbers.Number) and not isinstance(value, bool):
        return _text(value)
    raw = _text(value)
    shown = neutralise_controls(raw)
    return "'" + shown if raw.startswith(FORMULA_PREFIXES) else shown


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
    import pandas as pd

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
    filters: tuple[str, ...] = ("ByIds",)  # the filter classes that describe this table's rows


def _plain(*names: str) -> tuple[tuple[str, str], ...]:
    return tuple((name, name) for name in names)


DATASETS: dict[str, Dataset] = {
    "deals": Dataset(
        "deals",
        _plain("id", "created_at", "seeker_name", "seeker_email", "company_name", "team_size", "monthly_budget",
               "stage"),
        ("requirements",), "created_at", "created_at DESC, id DESC", ("DealFilters", "ByIds"),
    ),
    "spaces": Dataset(
        "spaces",
        _plain("id", "created_at", "name", "address", "neighborhood", "host_company", "host_email", "host_context",
               "monthly_rate"),
        ("amenities", "availability", "detailed_amenities"), "created_at", "created_at DESC, id DESC",
        ("SpaceFilters", "ByIds"),
    ),
    "emails": Dataset(
        "emails",
        (("id", "id"), ("deal_id", "deal_id"), ("from", '"from"'), ("to", '"to"'), ("subject", "subject"),
         ("body", "body"), ("sent_at", "sent_at"), ("ai_generated", "ai_generated")),
        ("ai_metadata",), "sent_at", "id",  # ids follow arrival: the pkey streams from the first row, no sort
        ("ByIds", "OfDeal"),
    ),
    "drafts": Dataset(
        "email_drafts",
        _plain("id", "deal_id", "inbound_email_id", "status", "confidence_score", "ai_generated_body", "edited_body",
               "final_body", "regeneration_count", "last_regeneration_at", "current_version", "draft_versions",
               "created_at", "reviewed_at", "reviewed_by", "sent_at", "sent_email_id", "archived_at", "archived_by",
               "archive_category", "archive_reason", "archived_from_status", "lock_version"),
        ("reasoning", "metadata", "validation"), "created_at", "created_at, id", ("ByIds", "OfDeal"),
    ),
    "events": Dataset(
        "draft_events",
        _plain("id", "draft_id", "actor", "action", "from_status", "to_status", "created_at"),
        ("details",), "created_at", "created_at, id", ("ByIds", "OfDraft"),
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


def _where(dataset: Dataset, filters: RowFilter | None, since: datetime | None) -> tuple[str, dict[str, Any]]:
    clauses: list[str] = []
    binds: dict[str, Any] = {}
    if filters is not None:
        kind = type(filters).__name__
        if kind not in dataset.filters:
            raise InvalidInput(f"A {kind} cannot filter the {dataset.table} export — use one of: "
                               f"{', '.join(dataset.filters)}.")
        where, binds = filters.sql()
        clauses.append(f"({where or 'TRUE'})")
    if since is not None:
        clauses.append(f"{dataset.since_column} >= :export_since")
        binds["export_since"] = since
    return (" AND ".join(clauses) or "TRUE"), binds


def _json_paths(conn: Connection, dataset: Dataset, where: str, binds: dict[str, Any]) -> list[list[str]]:
    """Every leaf key path in the JSON columns of (up to DISCOVERY_SAMPLE of) the exported rows.

    Walking every document of a million-row table costs as much as the export itself, so the
    walk reads at most DISCOVERY_SAMPLE rows that hold JSON: exact for exports up to that size
    (every page download); in larger ones a key that first appears beyond the sample has no
    column. Paths are arrays (keys may contain dots); the column is the first element.
    """
    if not dataset.json_columns:
        return []
    docs = ", ".join(f"('{c}', {c})" for c in dataset.json_columns)
    held = " OR ".join(f"{c} IS NOT NULL" for c in dataset.json_columns)
    sql = text(
        f"""
        WITH RECURSIVE sample AS (
            SELECT {", ".join(dataset.json_columns)} FROM {dataset.table}
            WHERE ({where}) AND ({held}) LIMIT :discovery_sample
        ), walk(path, value) AS (
            SELECT ARRAY[j.col, e.key], e.value
            FROM sample CROSS JOIN LATERAL (VALUES {docs}) AS j(col, doc), jsonb_each(j.doc) AS e
            WHERE jsonb_typeof(j.doc) = 'object'
            UNION ALL
            SELECT w.path || e.key, e.value FROM walk w, jsonb_each(w.value) AS e
            WHERE jsonb_typeof(w.value) = 'object'
        )
        SELECT DISTINCT path FROM walk WHERE jsonb_typeof(value) <> 'object'
        """
    )
    paths = [list(r.path) for r in conn.execute(sql, {**binds, "discovery_sample": DISCOVERY_SAMPLE})]
    order = {c: i for i, c in enumerate(dataset.json_columns)}
    return sorted(paths, key=lambda p: (order[p[0]], ".".join(p)))


def _export_sql(dataset: Dataset, where_sql: str, paths: list[list[str]]) -> tuple[str, dict[str, Any]]:
    """The SELECT whose rows are the finished CSV cells (see echo_core.export_sql), and its path binds."""
    cells = [column_cell(dataset.table, header, expr) for header, expr in dataset.columns]
    binds: dict[str, Any] = {}
    for i, path in enumerate(paths):
        binds[f"json_path_{i}"] = path[1:]
        cells.append(json_cell(f"({path[0]} #> CAST(:json_path_{i} AS text[]))", leaf=True))
    select_list = ", ".join(f"{c} AS c{i}" for i, c in enumerate(cells))
    sql = f"SELECT {select_list} FROM {dataset.table} WHERE {where_sql} ORDER BY {dataset.order_by}"
    return sql, binds


@contextmanager
def _snapshot(bind: Bind) -> Iterator[Connection]:
    """One connection at REPEATABLE READ: the column discovery and the rows see the same snapshot."""
    if isinstance(bind, Engine):
        bind = bind.execution_options(isolation_level="REPEATABLE READ")
    with reading(bind) as conn:
        yield conn


def _prepare(conn: Connection, name: str, filters: RowFilter | None,
             since: datetime | None) -> tuple[list[str], str, dict[str, Any]]:
    """Header cells, the export SELECT and its binds."""
    if name not in DATASETS:
        raise InvalidInput(f"Unknown export '{name}' — choose one of: {', '.join(DATASETS)}.")
    dataset = DATASETS[name]
    where_sql, binds = _where(dataset, filters, since)
    paths = _json_paths(conn, dataset, where_sql, binds)
    header = [cell(h) for h, _ in dataset.columns] + [cell(".".join(p)) for p in paths]
    sql, path_binds = _export_sql(dataset, where_sql, paths)
    return header, sql, {**binds, **path_binds}


def stream_rows(bind: Bind, name: str, *, filters: RowFilter | None = None,
                since: datetime | None = None) -> Iterable[list[str]]:
    """Header, then one list of safe cells per row: the export's own SQL, read through a server-side cursor.

    The same cells `write_csv` streams with COPY; callers on behalf of a person go through
    `write_csv` / `table_csv_bytes`, which check the actor may export.
    """
    with _snapshot(bind) as conn:
        header, sql, binds = _prepare(conn, name, filters, since)
        yield header
        result = conn.execute(text(sql), binds, execution_options={"stream_results": True, "yield_per": BATCH_ROWS})
        for row in result:
            yield ["" if v is None else str(v) for v in row]


def _copy(conn: Connection, sql: str, binds: dict[str, Any], out: TextIO) -> int:
    """COPY the SELECT's rows as CSV into `out`, chunk by chunk; returns the row count."""
    compiled = text(sql).bindparams(**binds).compile(dialect=conn.dialect)
    raw: Any = conn.connection.driver_connection  # the psycopg connection, inside this transaction
    to_bytes = _byte_sink(out, raw.info.encoding)
    decoder = codecs.getincrementaldecoder(raw.info.encoding)()
    try:
        with raw.cursor() as cur:
            with cur.copy(f"COPY ({compiled}) TO STDOUT (FORMAT CSV)", compiled.params) as copy:
                for chunk in copy:
                    if to_bytes is not None:
                        to_bytes.write(chunk)
                    else:
                        out.write(decoder.decode(chunk))
            return int(max(cur.rowcount, 0))
    except psycopg.Error as error:  # the driver's own errors, made SQLAlchemy's so they read the same
        raise exc.DBAPIError.instance(sql, None, error, psycopg.Error) from error


def _byte_sink(out: TextIO, encoding: str) -> BinaryIO | None:
    """`out`'s byte buffer when bytes from the server can go there as they are (same encoding)."""
    buffer = getattr(out, "buffer", None)
    out_encoding = getattr(out, "encoding", None)
    if buffer is None or out_encoding is None:
        return None
    if codecs.lookup(out_encoding).name != codecs.lookup(encoding).name:
        return None
    out.flush()  # what the text layer holds (the header) goes first
    return cast(BinaryIO, buffer)


def write_csv(bind: Bind, name: str, out: TextIO, *, actor: Actor, filters: RowFilter | None = None,
              since: datetime | None = None) -> int:
    """Write the dataset to `out` as CSV; returns the number of data rows.

    PostgreSQL computes every cell (neutralised, flattened) and streams the CSV with
    `COPY (SELECT …) TO STDOUT`; chunks go to `out` as they arrive, so memory stays flat.
    """
    require(actor, Action.EXPORT)
    with _snapshot(bind) as conn:
        header, sql, binds = _prepare(conn, name, filters, since)
        csv.writer(out, lineterminator="\n").writerow(header)  # COPY ends its lines with \n too
        return _copy(conn, sql, binds, out)


def table_csv_bytes(bind: Bind, name: str, *, actor: Actor, filters: RowFilter | None = None) -> bytes:
    """A whole (filtered) table as CSV bytes, for a dashboard download button."""
    buffer = io.StringIO()
    write_csv(bind, name, buffer, actor=actor, filters=filters)
    return buffer.getvalue().encode("utf-8")


# --- the audit trail ----------------------------------------------------------------------
def audit_csv_bytes(bind: Bind, *, actor: Actor, filters: AuditFilters | None = None) -> bytes:
    """The audit entries (echo_core.queries.audit) as CSV through the same formula neutralising:
    actors, names and values in the trail are typed by people and may start with = + - @."""
    from echo_core.queries.audit import entries_frame

    require(actor, Action.VIEW_AUDIT)
    return dataframe_to_csv_bytes(entries_frame(bind, actor=actor, filters=filters), actor=actor)
