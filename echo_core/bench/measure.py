"""Timing a page: call the real `echo_core` functions by name, record each one's time and SQL.

A page scenario calls `rec.call("queries.review", "queue", …)`. The function is looked up at
run time, so a function another engineer has not written yet is reported as missing rather
than replaced by a stand-in. SQL is captured with SQLAlchemy's `before_cursor_execute` event
during the first (warm-up) run and then EXPLAIN ANALYZEd with the same parameters.
"""

from __future__ import annotations

import importlib
import inspect
import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, event

from echo_core.bench.floor import Plan, explain


class MissingFunction(Exception):
    """A page function the bench times does not exist (yet) in echo_core."""


def resolve(module: str, name: str) -> Any:
    try:
        return getattr(importlib.import_module(f"echo_core.{module}"), name)
    except (ImportError, AttributeError):
        raise MissingFunction(f"{module}.{name}") from None


def bench_actor() -> Any:
    permissions = importlib.import_module("echo_core.permissions")
    return permissions.Actor("bench@tandem.space", permissions.Role.LEAD)


@dataclass(frozen=True)
class Captured:
    step: str
    statement: str
    parameters: Any


class Recorder:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.capturing = False
        self.step = ""
        self.captured: list[Captured] = []
        self.catalog_queries = 0
        self.times: dict[str, list[float]] = defaultdict(list)
        self.order: list[str] = []
        event.listen(engine, "before_cursor_execute", self._on_execute)

    def close(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._on_execute)

    def _on_execute(self, conn: Any, cursor: Any, statement: str, parameters: Any, context: Any,
                    executemany: bool) -> None:
        if not self.capturing:
            return
        if "pg_catalog." in statement:  # e.g. pandas.read_sql asking whether the query is a table name
            self.catalog_queries += 1
            return
        head = statement.lstrip()[:6].upper()
        if head == "SELECT" or head.startswith("WITH"):  # reads only: EXPLAIN ANALYZE runs them
            self.captured.append(Captured(self.step or "(outside a step)", statement, parameters))

    def get(self, module: str, name: str) -> Any:
        """A class or constant the page uses (filters, cursors); missing like a function."""
        return resolve(module, name)

    def call(self, module: str, name: str, *args: Any, **kwargs: Any) -> Any:
        function = resolve(module, name)
        if "actor" in inspect.signature(function).parameters and "actor" not in kwargs:
            kwargs["actor"] = bench_actor()  # pages pass the signed-in account; a team lead sees every page
        label = f"{module}.{name}"
        if label not in self.order:
            self.order.append(label)
        outer, self.step = self.step, label
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            self.times[label].append((time.perf_counter() - started) * 1000)
            self.step = outer

    def reset(self) -> None:
        self.captured, self.order, self.step, self.catalog_queries = [], [], "", 0
        self.times.clear()


Scenario = Callable[[Recorder], None]


@dataclass(frozen=True)
class StatementResult:
    step: str
    sql: str
    plan: Plan | None
    error: str | None = None


@dataclass(frozen=True)
class StepResult:
    label: str
    median_ms: float
    floor_ms: float | None

    @property
    def ratio(self) -> float | None:
        return self.median_ms / self.floor_ms if self.floor_ms else None


@dataclass
class PageResult:
    page: str
    target_ms: float
    median_ms: float | None = None
    floor_ms: float | None = None
    steps: list[StepResult] = field(default_factory=list)
    statements: list[StatementResult] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    error: str | None = None
    catalog_queries: int = 0  # round trips spent on catalog lookups, not on the page's data

    @property
    def ratio(self) -> float | None:
        return self.median_ms / self.floor_ms if self.median_ms is not None and self.floor_ms else None

    @property
    def meets_target(self) -> bool | None:
        return None if self.median_ms is None else self.median_ms <= self.target_ms

    @property
    def flagged(self) -> list[str]:
        return sorted({rel for s in self.statements if s.plan for rel in s.plan.flagged})


def _one_line(sql: str) -> str:
    return " ".join(sql.split())


def measure_page(rec: Recorder, page: str, scenario: Scenario, *, runs: int, target_ms: float) -> PageResult:
    """Warm up once (capturing SQL), time `runs` whole-page runs, then EXPLAIN ANALYZE what was captured."""
    result = PageResult(page=page, target_ms=target_ms)
    rec.reset()
    rec.capturing = True
    try:
        scenario(rec)
    except MissingFunction as missing:
        result.missing.append(str(missing))
        return result
    except Exception as error:  # noqa: BLE001 - a broken page is a result of the bench, not its end
        result.error = f"{type(error).__name__}: {str(error).splitlines()[0][:200] if str(error) else ''}"
        return result
    finally:
        rec.capturing = False
    captured = list(rec.captured)
    result.catalog_queries = rec.catalog_queries
    rec.times.clear()
    totals = []
    for _ in range(runs):
        started = time.perf_counter()
        scenario(rec)
        totals.append((time.perf_counter() - started) * 1000)
    result.median_ms = statistics.median(totals)
    floors: dict[str, float] = defaultdict(float)
    for item in captured:
        try:
            plan = explain(rec.engine, item.statement, item.parameters, runs)
        except Exception as error:  # noqa: BLE001 - report the statement EXPLAIN could not run
            result.statements.append(StatementResult(item.step, _one_line(item.statement), None,
                                                     f"{type(error).__name__}: {str(error).splitlines()[0][:160]}"))
            continue
        floors[item.step] += plan.execution_ms
        result.statements.append(StatementResult(item.step, _one_line(item.statement), plan))
    result.steps = [StepResult(label, statistics.median(rec.times[label]), floors.get(label)) for label in rec.order]
    result.floor_ms = sum(floors.values()) if floors else None
    return result
