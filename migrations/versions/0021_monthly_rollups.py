"""Analytics rollups by calendar month: all time reads a few dozen months instead of 150 weeks.

Revision 0011's rollups hold every figure per UTC day ('d') and per ISO week ('w'); a range read its whole
weeks and its edge days, so all time over three years summed 33k weekly rows of the team's draft rollup
(75-97 ms of SQL at full scale). This revision adds grain 'm' (period = the month's first day) to all four
rollups: the triggers and analytics_rollup_rebuild() now write each delta to its day, its week and its
month, and the months already held are summed from the daily rows (exact: a day lies in one month).
A range now reads whole months, then whole weeks and single days at its edges
(echo_core.queries.analytics_periods).

The functions are revisions 0011's and 0012's, with the month added: their text is read from those
revisions' modules, so nothing else in them can drift. Writers are held off (SHARE ROW EXCLUSIVE on the
rollups) while the functions change and the months are filled, so no delta is written to days and weeks
only.

Revision ID: 0021
Revises: 0020
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

TWO_GRAINS = "(VALUES ('d'), ('w'))"
THREE_GRAINS = "(VALUES ('d'), ('w'), ('m'))"
OLD_PERIOD = "CASE grain WHEN 'w' THEN date_trunc('week', day)::date ELSE day END"
NEW_PERIOD = ("CASE grain WHEN 'w' THEN date_trunc('week', day)::date "
              "WHEN 'm' THEN date_trunc('month', day)::date ELSE day END")
DELTAS = ("analytics_draft_deltas", "analytics_duration_deltas", "analytics_draft_saved_deltas",
          "analytics_email_saved_deltas")
# Every rollup: its key columns after (grain, period), and its sums.
ROLLUPS = {
    "analytics_draft_rollup": ("broker, bucket, outcome, validation, category",
                               ("drafts", "approved", "sent", "archived", "decided", "sent_unedited",
                                "confidence_sum", "refinements_sum", "similarity_sum", "similarity_n")),
    "analytics_duration_rollup": ("broker, kind, step", ("drafts",)),
    "analytics_activity_rollup": ("actor, action", ("actions",)),
    "analytics_time_saved_rollup": ("broker", ("emails", "measured", "minutes")),
}


def _revision(filename: str) -> ModuleType:
    """An earlier revision's module, for the exact text of the functions this revision amends."""
    spec = importlib.util.spec_from_file_location(f"echo_migration_{filename[:4]}", Path(__file__).with_name(filename))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _functions() -> list[str]:
    """0011's and 0012's current definitions of every function that names the grains, as CREATE OR REPLACE."""
    inbox = _revision("0012_inbox.py")
    rollups = inbox._rollups_0011()
    _, rebuild = inbox._analytics_amended(rollups)
    return [inbox._function(rollups.HELPERS, "analytics_period"),
            *(inbox._function(rollups.HELPERS, name) for name in DELTAS),
            inbox._function(rollups.TRIGGERS, "analytics_event_added"), rebuild]


def _with_months(function: str) -> str:
    if OLD_PERIOD in function:
        assert function.count(OLD_PERIOD) == 1
        return function.replace(OLD_PERIOD, NEW_PERIOD)
    assert TWO_GRAINS in function, f"an amended function no longer lists the grains: {function[:80]!r}"
    return function.replace(TWO_GRAINS, THREE_GRAINS)


def _hold_off_writers() -> None:
    # SHARE ROW EXCLUSIVE conflicts with the row locks every trigger takes on the rollups (and with itself).
    op.execute(f"LOCK TABLE {', '.join(ROLLUPS)} IN SHARE ROW EXCLUSIVE MODE")


def _set_grain_check(table: str, grains: str) -> None:
    """Replace the table's grain check, whatever 0011 named it (the naming convention doubled its prefix)."""
    op.execute(f"""DO $$ DECLARE c text; BEGIN
        FOR c IN SELECT conname FROM pg_constraint WHERE conrelid = '{table}'::regclass AND contype = 'c'
                 AND pg_get_constraintdef(oid) LIKE '%grain%' LOOP
            EXECUTE format('ALTER TABLE {table} DROP CONSTRAINT %I', c);
        END LOOP;
    END $$""")
    op.execute(f"ALTER TABLE {table} ADD CONSTRAINT ck_{table}_grain_valid CHECK (grain IN ({grains}))")


def upgrade() -> None:
    _hold_off_writers()
    for function in _functions():
        op.execute(_with_months(function))
    for table, (keys, sums) in ROLLUPS.items():
        _set_grain_check(table, "'d', 'w', 'm'")
        op.execute(f"""INSERT INTO {table} (grain, period, {keys}, {", ".join(sums)})
            SELECT 'm', date_trunc('month', period)::date, {keys}, {", ".join(f"sum({s})" for s in sums)}
            FROM {table} WHERE grain = 'd' GROUP BY 2, {keys}
            HAVING {" OR ".join(f"sum({s}) <> 0" for s in sums)}""")
        op.execute(f"ANALYZE {table}")


def downgrade() -> None:
    _hold_off_writers()
    for function in _functions():
        op.execute(function)
    for table in ROLLUPS:
        op.execute(f"DELETE FROM {table} WHERE grain = 'm'")
        _set_grain_check(table, "'d', 'w'")
        op.execute(f"ANALYZE {table}")
