"""Bulk loading: one transaction that truncates, drops secondary indexes and foreign keys, COPYs
every table (FREEZE: the rows are born visible to all, so no vacuum pass rewrites them), rebuilds
the derived search documents (revision 0012) in one pass, then puts the exact same index and
constraint definitions back and moves the sequences past the data.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql

LOADED_TABLES = ("spaces", "deals", "deal_spaces", "emails", "email_drafts", "draft_events")
# Tables emptied with the loaded ones (they point at them) but not filled by the bench.
ALSO_EMPTIED = ("outbox", "draft_presence", "deal_events")
# Derived from the loaded tables by search_documents_rebuild(), with their indexes dropped meanwhile.
DERIVED = ("search_documents",)


@dataclass(frozen=True)
class TableLoad:
    table: str
    rows: int
    seconds: float

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


_SECONDARY = """
SELECT t.relname AS table_name, i.relname AS name, pg_get_indexdef(i.oid) AS definition, c.conname AS constraint_name,
       CASE WHEN c.conname IS NULL THEN NULL ELSE pg_get_constraintdef(c.oid) END AS constraint_def
FROM pg_index x
JOIN pg_class i ON i.oid = x.indexrelid
JOIN pg_class t ON t.oid = x.indrelid
LEFT JOIN pg_constraint c ON c.conindid = i.oid AND c.conrelid = t.oid AND c.contype = 'u'
WHERE t.relnamespace = current_schema()::regnamespace AND t.relname = ANY(%s) AND NOT x.indisprimary
ORDER BY t.relname, i.relname
"""
_FOREIGN_KEYS = """
SELECT t.relname AS table_name, c.conname AS name, pg_get_constraintdef(c.oid) AS definition
FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
WHERE t.relnamespace = current_schema()::regnamespace AND t.relname = ANY(%s) AND c.contype = 'f'
ORDER BY t.relname, c.conname
"""


def _drop_secondary(conn: psycopg.Connection[Any]) -> list[sql.Composed | sql.SQL]:
    """Drop foreign keys and secondary indexes of the loaded tables; returns the statements that restore them."""
    tables = list(LOADED_TABLES + DERIVED)
    restore: list[sql.Composed | sql.SQL] = []
    fks = conn.execute(_FOREIGN_KEYS, (tables,)).fetchall()
    indexes = conn.execute(_SECONDARY, (tables,)).fetchall()
    for table, name, _ in fks:
        conn.execute(sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(sql.Identifier(table), sql.Identifier(name)))
    for table, name, definition, constraint, constraint_def in indexes:
        if constraint:
            conn.execute(sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(
                sql.Identifier(table), sql.Identifier(constraint)))
            restore.append(sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} {}").format(
                sql.Identifier(table), sql.Identifier(constraint), sql.SQL(constraint_def)))
        else:
            conn.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(name)))
            restore.append(sql.SQL(definition))  # pg_get_indexdef: trusted catalog text
    for table, name, definition in fks:
        restore.append(sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} {}").format(
            sql.Identifier(table), sql.Identifier(name), sql.SQL(definition)))
    return restore


def _copy(conn: psycopg.Connection[Any], table: str, columns: Iterable[str], rows: Iterable[tuple[Any, ...]]) -> int:
    statement = sql.SQL("COPY {} ({}) FROM STDIN (FREEZE)").format(
        sql.Identifier(table), sql.SQL(", ").join(sql.Identifier(c) for c in columns))
    count = 0
    with conn.cursor() as cur, cur.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def _move_sequences(conn: psycopg.Connection[Any]) -> None:
    for table in LOADED_TABLES:
        conn.execute(
            sql.SQL("SELECT setval(pg_get_serial_sequence({}, 'id'), coalesce(max(id), 1), max(id) IS NOT NULL) "
                    "FROM {}").format(sql.Literal(table), sql.Identifier(table)))


def load(
    conninfo: str,
    columns: dict[str, tuple[str, ...]],
    rows_of: Callable[[str], Iterable[tuple[Any, ...]]],
    say: Callable[[str], None],
) -> list[TableLoad]:
    """Replace every loaded table's rows in one transaction; a failure leaves the database as it was."""
    loads: list[TableLoad] = []
    with psycopg.connect(conninfo) as conn:
        conn.execute("SET maintenance_work_mem = '512MB'")
        conn.execute("SET synchronous_commit = off")
        # Row triggers keep the analytics rollups (revision 0011); a bulk load rebuilds them once instead.
        conn.execute("SET echo.analytics_rollups = 'off'")
        conn.execute("SET echo.search_documents = 'off'")  # the same for the search documents' triggers
        conn.execute(sql.SQL("TRUNCATE {} RESTART IDENTITY").format(
            sql.SQL(", ").join(sql.Identifier(t) for t in LOADED_TABLES + ALSO_EMPTIED + DERIVED)))
        restore = _drop_secondary(conn)
        for table in LOADED_TABLES:
            started = time.perf_counter()
            count = _copy(conn, table, columns[table], rows_of(table))
            loads.append(TableLoad(table, count, time.perf_counter() - started))
            say(f"  {table:<13} {count:>10,} rows in {loads[-1].seconds:6.1f} s  "
                f"({loads[-1].rows_per_second:,.0f} rows/s, generated and copied)")
        started = time.perf_counter()
        conn.execute("SELECT search_documents_rebuild()")
        say(f"  search documents (subject, body, company, seeker) built in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        for statement in restore:
            conn.execute(statement)
        _move_sequences(conn)
        conn.execute("SELECT analytics_rollup_rebuild()")
        say(f"  indexes, foreign keys and analytics rollups rebuilt in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    with psycopg.connect(conninfo, autocommit=True) as conn:
        for table in LOADED_TABLES + DERIVED:
            conn.execute(sql.SQL("VACUUM (ANALYZE) {}").format(sql.Identifier(table)))
    say(f"  VACUUM ANALYZE in {time.perf_counter() - started:.1f} s")
    return loads
