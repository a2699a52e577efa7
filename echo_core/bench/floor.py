"""The database's own floor: EXPLAIN ANALYZE of the exact SQL a page ran, raw COPY, and the machine.

`explain` re-runs a captured statement with its captured parameters, so the plan and the
execution time are PostgreSQL's for the very query the page sent, minus Python and the wire.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import time
from dataclasses import dataclass, field
from typing import Any

import psycopg
from sqlalchemy import Engine, text

WATCHED = ("emails", "email_drafts")  # a Seq Scan on these on a page path is a miss


@dataclass(frozen=True)
class Plan:
    execution_ms: float  # median of the runs
    planning_ms: float
    nodes: tuple[str, ...]  # "Index Scan on emails", "Hash Join", … in plan order
    seq_scans: tuple[str, ...]  # relations read by a Seq Scan

    @property
    def flagged(self) -> tuple[str, ...]:
        return tuple(r for r in self.seq_scans if r in WATCHED)


def _walk(node: dict[str, Any], out: list[tuple[str, str | None]]) -> None:
    out.append((str(node.get("Node Type")), node.get("Relation Name")))
    for child in node.get("Plans", []) or []:
        _walk(child, out)


def explain(engine: Engine, statement: str, parameters: Any, runs: int) -> Plan:
    """EXPLAIN (ANALYZE, FORMAT JSON) the statement `runs` times; the median execution time is the floor."""
    executions: list[float] = []
    planning: list[float] = []
    document: dict[str, Any] = {}
    with engine.connect() as conn:
        for _ in range(max(1, runs)):
            result = conn.exec_driver_sql(f"EXPLAIN (ANALYZE, FORMAT JSON) {statement}", parameters or {})
            raw = result.scalar_one()
            document = (raw if isinstance(raw, list) else json.loads(raw))[0]
            executions.append(float(document["Execution Time"]))
            planning.append(float(document.get("Planning Time", 0.0)))
        conn.rollback()
    nodes: list[tuple[str, str | None]] = []
    _walk(document["Plan"], nodes)
    return Plan(
        execution_ms=statistics.median(executions), planning_ms=statistics.median(planning),
        nodes=tuple(f"{kind} on {rel}" if rel else kind for kind, rel in nodes),
        seq_scans=tuple(rel for kind, rel in nodes if kind == "Seq Scan" and rel),
    )


@dataclass(frozen=True)
class CopyFloor:
    rows: int
    bytes: int
    seconds: float

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


def copy_floor(conninfo: str, table: str = "emails") -> CopyFloor:
    """Raw `COPY (SELECT * FROM table) TO STDOUT (FORMAT CSV)`, read to the end and thrown away."""
    started = time.perf_counter()
    size = 0
    with psycopg.connect(conninfo) as conn, conn.cursor() as cur:
        with cur.copy(f'COPY (SELECT * FROM "{table}") TO STDOUT (FORMAT CSV)') as copy:
            for chunk in copy:
                size += len(chunk)
        rows = cur.rowcount
    return CopyFloor(rows=rows, bytes=size, seconds=time.perf_counter() - started)


@dataclass(frozen=True)
class Machine:
    cpus: int
    cpu_model: str
    ram_gb: float
    postgres: str
    settings: dict[str, str] = field(default_factory=dict)
    load_average: tuple[float, float, float] = (0.0, 0.0, 0.0)
    python: str = ""


def _proc(path: str, key: str) -> str:
    try:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                if line.startswith(key):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def machine(engine: Engine) -> Machine:
    mem_kb = _proc("/proc/meminfo", "MemTotal").split()[0]
    with engine.connect() as conn:
        version = str(conn.scalar(text("SHOW server_version")))
        settings = {name: str(conn.scalar(text(f"SHOW {name}")))
                    for name in ("shared_buffers", "work_mem", "effective_cache_size", "jit",
                                 "max_parallel_workers_per_gather")}
    return Machine(
        cpus=os.cpu_count() or 0, cpu_model=_proc("/proc/cpuinfo", "model name"),
        ram_gb=round(int(mem_kb) / 1024 / 1024, 1) if mem_kb.isdigit() else 0.0,
        postgres=version, settings=settings, load_average=os.getloadavg(), python=platform.python_version(),
    )
