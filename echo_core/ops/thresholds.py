"""When to worry: the seed's "when to scale" thresholds and the operational ones, as pure rules.

`alerts(figures)` turns the Monitoring snapshot's figures into the warnings the page and
`db status` highlight. Pure (no database), so each rule is tested on its own, including the
cases that must NOT raise an alarm.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

# The seed's "When to scale": connection pool exhaustion, query latency, table size.
POOL_UTILISATION = 0.80
MEAN_LATENCY_MS = 500.0
TABLE_ROWS = 1_000_000
# Operational: a queue that is not moving, a backup that is too old, a cold cache under real load.
OVERDUE_DELIVERY = timedelta(minutes=5)
BACKUP_MAX_AGE = timedelta(hours=26)  # daily, with two hours' grace
HIT_RATIO = 0.95
HIT_RATIO_MIN_BLOCKS = 10_000  # below this many index block reads the ratio says nothing yet
MIN_CALLS = 3  # a statement run once or twice (a migration, a one-off report) is not a latency trend


@dataclass(frozen=True)
class Alert:
    figure: str
    message: str  # what is wrong and what to do, one line


@dataclass(frozen=True)
class Figures:
    """The numbers the rules read (taken from a monitoring snapshot)."""

    server_connections: int = 0
    server_max_connections: int = 100
    process_busy: dict[str, tuple[int, int]] = field(default_factory=dict)  # process → (busy, capacity)
    statements: list[tuple[str, int, float]] = field(default_factory=list)  # (query, calls, mean ms)
    table_rows: dict[str, int] = field(default_factory=dict)
    index_hits: int = 0
    index_reads: int = 0
    overdue_delivery: timedelta | None = None  # how long the longest-due queued message has waited
    failed_deliveries: int = 0
    stale_duties: list[str] = field(default_factory=list)  # "worker/duty" with no recent heartbeat
    failing_duties: list[str] = field(default_factory=list)  # "duty: last error" newer than its last success
    delivering_workers: int = 0
    last_good_backup_age: timedelta | None = None
    last_verify_ok: bool | None = None


def _pct(part: float, whole: float) -> float:
    return part / whole if whole else 0.0


def alerts(f: Figures) -> list[Alert]:
    found: list[Alert] = []
    usable = f.server_max_connections
    if _pct(f.server_connections, usable) > POOL_UTILISATION:
        found.append(Alert("connections", f"{f.server_connections} of {usable} server connections in use "
                           f"(> {POOL_UTILISATION:.0%}) — add PgBouncer or raise max_connections."))
    for process, (busy, capacity) in sorted(f.process_busy.items()):
        if _pct(busy, capacity) > POOL_UTILISATION:
            found.append(Alert("pool", f"{process}: {busy} of its {capacity} pooled connections busy "
                               f"(> {POOL_UTILISATION:.0%}) — the pool is nearly exhausted."))
    slow = [(q, c, m) for q, c, m in f.statements if m > MEAN_LATENCY_MS and c >= MIN_CALLS]
    if slow:
        query, calls, mean = max(slow, key=lambda s: s[2])
        found.append(Alert("latency", f"{len(slow)} statement(s) average over {MEAN_LATENCY_MS:.0f} ms; the "
                           f"slowest {mean:,.0f} ms over {calls} calls: {' '.join(query.split())[:120]}"))
    big = {t: n for t, n in f.table_rows.items() if n > TABLE_ROWS}
    for table, rows in sorted(big.items()):
        found.append(Alert("table size", f"{table} holds about {rows:,} rows (> {TABLE_ROWS:,}) — check its "
                           "queries use indexes and plan for partitioning or archiving."))
    blocks = f.index_hits + f.index_reads
    if blocks >= HIT_RATIO_MIN_BLOCKS and _pct(f.index_hits, blocks) < HIT_RATIO:
        found.append(Alert("index hit ratio", f"{_pct(f.index_hits, blocks):.1%} of index blocks come from "
                           f"memory (< {HIT_RATIO:.0%}) — give PostgreSQL more shared_buffers or RAM."))
    if f.overdue_delivery is not None and f.overdue_delivery > OVERDUE_DELIVERY:
        minutes = f.overdue_delivery.total_seconds() / 60
        who = "no worker is delivering" if f.delivering_workers == 0 else "the workers are behind"
        found.append(Alert("outbox", f"a sent reply has waited {minutes:,.0f} min for delivery — {who}: start "
                           "`python -m echo_core worker` (make run does)."))
    if f.failed_deliveries:
        found.append(Alert("deliveries", f"{f.failed_deliveries} delivery(ies) failed for good — see the Mail "
                           "page, fix the cause and retry them."))
    for duty in f.stale_duties:
        found.append(Alert("worker", f"{duty} has not reported for over three of its intervals — is the "
                           "worker still running?"))
    for duty in f.failing_duties:
        found.append(Alert("worker", duty))
    if f.last_good_backup_age is None:
        found.append(Alert("backup", "no good backup yet — the worker takes one daily; `python -m echo_core db "
                           "backup` takes one now."))
    elif f.last_good_backup_age > BACKUP_MAX_AGE:
        hours = f.last_good_backup_age.total_seconds() / 3600
        found.append(Alert("backup", f"the last good backup is {hours:,.0f} h old — check the worker's backup "
                           "duty and its error."))
    if f.last_verify_ok is False:
        found.append(Alert("backup", "the last backup verification FAILED — see its problems below and take "
                           "a new backup."))
    return found
