"""The export's cells computed by PostgreSQL, so `COPY (SELECT …) TO STDOUT` writes the final CSV.

Each expression gives the same text as `echo_core.export.cell` gives for the value in Python:
- text: a leading quote when it starts with = + - @ tab or CR (formula neutralisation), and hidden or
  reordering controls shown as a marker like `[U+202E]` (`echo_core.redact.neutralise_controls`, written here in SQL);
- numbers as they are (-5 stays a number), booleans as true/false, NULL as an empty cell;
- timestamps in ISO 8601 (2026-01-31T09:00:00.25+00:00; Python's isoformat pads the fraction);
- JSON: strings neutralised, numbers and booleans as text, lists of scalars joined with "; ",
  other lists as JSON text, objects as JSON text (empty object: empty cell).
Flattened JSON leaves (`col #> path`) are empty where the path holds an object: its own leaves
are columns of their own, as `export.flatten` does.
"""

from __future__ import annotations

from sqlalchemy import Boolean, DateTime, Integer
from sqlalchemy.dialects.postgresql import JSONB

from echo_core.db.models import Base
from echo_core.redact import ANY_CONTROL, HIDDEN_CONTROLS, LINE_SEPARATORS, LONE_ZWJ, ZWJ, marker

# ascii() of = + - @ tab CR; ascii('') is 0 and ascii(NULL) is NULL.
_FORMULA_CODES = "61, 43, 45, 64, 9, 13"
_NESTED = """'strict $[*] ? (@.type() == "object" || @.type() == "array")'"""


def controls_visible(expr: str) -> str:
    """`neutralise_controls` in SQL; the regex test first, so text without controls costs one scan."""
    shown = expr
    for char in HIDDEN_CONTROLS:
        shown = f"replace({shown}, '{char}', '{marker(char)}')"
    shown = f"regexp_replace({shown}, '{LONE_ZWJ}', '{marker(ZWJ)}', 'g')"
    shown = f"translate({shown}, '{LINE_SEPARATORS}', chr(10) || chr(10))"
    return f"CASE WHEN {expr} ~ '{ANY_CONTROL}' THEN {shown} ELSE {expr} END"


def neutralised(expr: str) -> str:
    """Text with a leading quote when a spreadsheet would read it as a formula, controls made visible.

    The formula test reads the raw first character: a control is never a formula prefix, nor is the `[`
    or line break it becomes, so the answer is the same either way.
    """
    shown = controls_visible(expr)
    return f"CASE WHEN ascii({expr}) IN ({_FORMULA_CODES}) THEN '''' || {shown} ELSE {shown} END"


def _list_text(v: str) -> str:
    """A JSON array as one cell: scalars joined with "; " (null as empty), else its JSON text."""
    return (
        f"CASE WHEN jsonb_path_exists({v}, {_NESTED}) THEN {v}::text ELSE "
        f"(SELECT coalesce(string_agg(coalesce(a.e #>> '{{}}', ''), '; ' ORDER BY a.o), '') "
        f"FROM jsonb_array_elements({v}) WITH ORDINALITY AS a(e, o)) END"
    )


def json_cell(v: str, *, leaf: bool) -> str:
    """One JSON value as a cell; `leaf`: a flattened path, where an object yields an empty cell."""
    scalar = f"({v} #>> '{{}}')"
    obj = "NULL" if leaf else neutralised(f"nullif({v}::text, '{{}}')")
    return (
        f"CASE jsonb_typeof({v}) WHEN 'number' THEN {scalar} "
        f"WHEN 'array' THEN {neutralised(_list_text(v))} "
        f"WHEN 'object' THEN {obj} "
        f"ELSE {neutralised(scalar)} END"
    )


def time_cell(expr: str) -> str:
    """ISO 8601 as PostgreSQL writes a timestamptz in JSON: 2026-01-31T09:00:00.25+00:00.

    Python's isoformat would pad the fraction to six digits; the instant is the same, and this
    costs a tenth of the three to_char calls an exact copy of isoformat takes per row.
    """
    return f"(to_json({expr}) #>> '{{}}')"


def column_cell(table: str, column: str, expr: str) -> str:
    """The cell expression for a plain column, by its type in the models."""
    kind = Base.metadata.tables[table].c[column].type
    if isinstance(kind, Boolean):
        return f"CASE WHEN {expr} THEN 'true' WHEN NOT {expr} THEN 'false' END"
    if isinstance(kind, Integer):
        return expr
    if isinstance(kind, DateTime):
        return time_cell(expr)
    if isinstance(kind, JSONB):
        return json_cell(expr, leaf=False)
    return neutralised(expr)
