"""Monitoring (leads): connections, slow statements, sizes, hit ratio, delivery, ingest, workers, backups.

The same snapshot as `python -m echo_core db status --json`; figures over a threshold are listed first. The
tables are static HTML (`ui/static_table.py`): a snapshot is read, not sorted, and six data grids cost the browser
more than the rest of the page.
"""

import pandas as pd
import streamlit as st

from echo_core.errors import EchoError
from echo_core.ops import thresholds as limits
from echo_core.permissions import Action
from ui import figures, text
from ui.actor import current_actor
from ui.figures import Shown
from ui.health import MONITORING_TTL_SECONDS, monitoring_snapshot, refresh_monitoring
from ui.resources import get_engine
from ui.static_table import static_table

engine = get_engine()
actor = current_actor()

st.title("Monitoring")
if not actor.may(Action.VIEW_MONITORING):
    st.error(f"{actor.email} is signed in as {actor.role.value} and may not view monitoring.")
    st.stop()

try:
    snap = monitoring_snapshot(engine, actor)
except EchoError as error:
    text.error(error)
    st.stop()


def age(seconds: float | None) -> str:
    if seconds is None or pd.isna(seconds):
        return "—"
    return f"{seconds:,.0f} s" if seconds < 120 else f"{seconds / 60:,.0f} min" if seconds < 7200 \
        else f"{seconds / 3600:,.1f} h"


def mb(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    return frame.assign(**{c.replace("_bytes", "_mb").replace("bytes", "mb"): (frame[c] / 2**20).round(2)
                           for c in columns}).drop(columns=list(columns))


left, right = st.columns([4, 1])
left.caption(f"PostgreSQL {snap.version} · {snap.server} · as of {snap.taken_at:%H:%M:%S} UTC "
             f"(refreshed every {MONITORING_TTL_SECONDS} s)")
if right.button("Refresh", key="monitoring_refresh", icon=":material/refresh:"):
    refresh_monitoring()
    st.rerun()

for alert in snap.alerts:
    st.warning(text.md_escape(f"{alert.figure}: {alert.message}"), icon=":material/warning:")
if not snap.alerts:
    st.success("Nothing is over a threshold.", icon=":material/check_circle:")

st.subheader("Connections")
c = snap.connections
figures.row(Shown("Server connections", f"{c['server_used']} / {c['server_usable']}",
                  f"Alert above {limits.POOL_UTILISATION:.0%} of max_connections less the reserved ones."),
            Shown("To this database", c["database_used"]),
            Shown("Over TLS", f"{c['database_tls']} / {c['database_used']}"), border=True)
static_table(snap.processes.assign(over=snap.processes["busy_pct"] > limits.POOL_UTILISATION),
             name="Connections per process", percent=("busy_pct",),
             labels={"busy_pct": "Busy of pool", "over": f"> {limits.POOL_UTILISATION:.0%}"})

st.subheader("Slowest statements")
if snap.statements is None:
    st.info(snap.statements_note or "pg_stat_statements is not available.")
else:
    if snap.statements_note:
        st.caption(snap.statements_note)
    static_table(snap.statements.assign(over=snap.statements["mean_ms"] > limits.MEAN_LATENCY_MS),
                 name="Slowest statements", labels={"over": f"> {limits.MEAN_LATENCY_MS:.0f} ms"})

st.subheader("Tables and indexes")
h = snap.hit_ratio
figures.row(Shown("Index hit ratio", "—" if h["index_ratio"] is None else f"{h['index_ratio']:.2%}",
                  f"{h['index_hits']:,} index blocks from memory, {h['index_reads']:,} from disk"),
            Shown("Table hit ratio", "—" if h["table_ratio"] is None else f"{h['table_ratio']:.2%}"), border=True)
static_table(mb(snap.tables, "total_bytes", "table_bytes", "index_bytes")
             .assign(over=snap.tables["rows"] > limits.TABLE_ROWS), name="Tables",
             labels={"rows": "≈ rows", "total_mb": "Total MB", "table_mb": "Table MB", "index_mb": "Index MB",
                     "over": f"> {limits.TABLE_ROWS:,} rows"})
# Drawn only while open (a closed expander's table would still be built and sent on every run).
indexes = st.expander(f"Indexes ({len(snap.indexes)})", key="monitoring_indexes_open", on_change="rerun")
if indexes.open:
    with indexes:
        static_table(mb(snap.indexes, "bytes"), name="Indexes", labels={"mb": "MB"})

st.subheader("Delivery")
o = snap.outbox
figures.row(Shown("Queued", o["queued"], f"{o['due']} due now"), Shown("Sending", o["sending"]),
            Shown("Delivered", o["delivered"]), Shown("Failed", o["failed"]),
            Shown("Oldest waiting", age(o["oldest_queued_seconds"])), border=True)
if len(snap.failed_deliveries):
    static_table(snap.failed_deliveries, name="Failed deliveries")

st.subheader("Ingest")
i = snap.ingest
if not i["polling"]:
    st.caption("No worker polls a mailbox (set ECHO_IMAP_URL). Uploads and `mail ingest` report failures at once.")
figures.row(Shown("Stored by polling", i["stored"]), Shown("Ingest failures", i["failed"]), border=True)
if i["recent"]:
    static_table(pd.DataFrame(i["recent"]), name="Recent ingest failures")

st.subheader("Workers")
if snap.workers.empty:
    st.info("No worker has reported. `make run` starts one; elsewhere run `python -m echo_core worker`.")
else:
    shown = snap.workers.assign(last_run=snap.workers["age_seconds"].map(age))
    static_table(shown[["state", "duty", "worker", "last_run", "items_done", "items_failed", "last_error",
                        "last_error_at", "started_at"]], name="Workers")

st.subheader("Backups")
b = snap.backups
good, attempt, verify = b["last_good"], b["last_attempt"], b["last_verify"]
figures.row(Shown("Last good backup", "none" if good is None else f"{age(good['age_seconds'])} ago",
                  None if good is None else f"{good['file']} · {good['bytes'] or 0:,} bytes · revision "
                  f"{good['revision']}"),
            Shown("Last verification", "none" if verify is None else ("GOOD" if verify["ok"] else "FAILED"),
                  None if verify is None else f"{verify['file']} · {age(verify['age_seconds'])} ago"), border=True)
if attempt is not None and not attempt["ok"]:
    text.error(f"The latest backup attempt failed: {attempt['error']}")
if verify is not None and not verify["ok"]:
    text.error(f"The latest verification failed: {verify['error']}")
