"""The Monitoring figures as text lines for `db status` (the page and `--json` show the same snapshot)."""

from __future__ import annotations

from typing import Any

from echo_core.queries.monitoring import Snapshot


def _size(n: Any) -> str:
    value = float(n or 0)
    for unit in ("B", "kB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:,.0f} {unit}" if unit == "B" else f"{value:,.1f} {unit}"
        value /= 1024
    return f"{value:,.1f} TB"


def _age(seconds: Any) -> str:
    if seconds is None:
        return "—"
    s = float(seconds)
    return f"{s:,.0f} s" if s < 120 else f"{s / 60:,.0f} min" if s < 7200 else f"{s / 3600:,.1f} h"


def monitoring_lines(snap: Snapshot) -> list[str]:
    c, o, h, b = snap.connections, snap.outbox, snap.hit_ratio, snap.backups
    lines = ["monitoring:"]
    lines += [f"  ALERT {a.figure}: {a.message}" for a in snap.alerts] or ["  no alerts"]
    lines.append(f"  connections: {c['server_used']} of {c['server_usable']} on the server ({c['server_pct']:.0%}), "
                 f"{c['database_used']} to this database ({c['database_tls']} over TLS)")
    for _, p in snap.processes.iterrows():
        lines.append(f"    {p['process']}: {p['busy']} busy of {p['capacity']} pooled ({p['open']} open)")
    if snap.statements is None or snap.statements.empty:
        lines.append(f"  slowest statements: {snap.statements_note or 'none recorded yet'}")
    else:
        lines.append("  slowest statements (mean ms, calls):")
        for _, s in snap.statements.head(5).iterrows():
            lines.append(f"    {s['mean_ms']:>9,.1f}  {s['calls']:>7,}  {str(s['query'])[:90]}")
    ratio = h["index_ratio"]
    lines.append(f"  index hit ratio: {'—' if ratio is None else f'{ratio:.2%}'} "
                 f"({h['index_hits']:,} hits, {h['index_reads']:,} reads)")
    lines.append("  largest tables (≈ rows, total size):")
    for _, t in snap.tables.head(5).iterrows():
        lines.append(f"    {t['table']:<28} {t['rows']:>12,}  {_size(t['total_bytes'])}")
    lines.append(f"  outbox: {o['queued']} queued ({o['due']} due), {o['sending']} sending, {o['delivered']} "
                 f"delivered, {o['failed']} failed; oldest waiting {_age(o['oldest_queued_seconds'])}")
    ingest = snap.ingest
    lines.append(f"  ingest (IMAP polling): {'on' if ingest['polling'] else 'off'}, {ingest['stored']} stored, "
                 f"{ingest['failed']} failed")
    if snap.workers.empty:
        lines.append("  workers: none has reported — start `python -m echo_core worker` (make run does)")
    for _, w in snap.workers.iterrows():
        lines.append(f"  worker {w['worker']} {w['duty']}: {w['state']}, last run {_age(w['age_seconds'])} ago, "
                     f"{w['items_done']} done, {w['items_failed']} failed"
                     + (f", last error: {str(w['last_error'])[:80]}" if w["state"] == "failing" else ""))
    good, verify = b["last_good"], b["last_verify"]
    lines.append(f"  last good backup: {'none' if good is None else good['file'] + ', ' + _age(good['age_seconds'])}"
                 + ("" if good is None else " ago"))
    if verify is not None:
        lines.append(f"  last verify: {'GOOD' if verify['ok'] else 'FAILED'} {verify['file']}, "
                     f"{_age(verify['age_seconds'])} ago" + (f" — {verify['error']}" if verify["error"] else ""))
    return lines
