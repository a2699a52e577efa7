"""`bench run`: every page's queries timed against the bench database, next to PostgreSQL's floor."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Engine

from echo_core.bench.export_run import ExportResult, measure_export
from echo_core.bench.floor import Machine, machine
from echo_core.bench.measure import PageResult, Recorder, measure_page
from echo_core.bench.scenarios import context, scenarios
from echo_core.bench.target import conninfo, row_counts
from echo_core.db.engine import readable_db_errors
from echo_core.errors import BenchDataMissing

DEFAULT_RUNS = 7


@dataclass
class BenchReport:
    database: str
    runs: int
    machine: Machine
    row_counts: dict[str, int]
    pages: list[PageResult] = field(default_factory=list)
    export: ExportResult | None = None


def run(engine: Engine, url: str, *, runs: int = DEFAULT_RUNS, pages: str | None = None, with_export: bool = True,
        say: Callable[[str], None] = lambda _: None) -> BenchReport:
    """Time every page (or those whose name contains `pages`) and the export; nothing is written."""
    with readable_db_errors(engine):
        counts = row_counts(engine)
        if not counts["email_drafts"]:
            raise BenchDataMissing(
                f"Database '{engine.url.database}' has no bench data — run "
                "`python -m echo_core bench generate --scale full` (or --scale small) first."
            )
        report = BenchReport(database=str(engine.url.database), runs=runs, machine=machine(engine),
                             row_counts=counts)
        ctx = context(engine)
        rec = Recorder(engine)
        try:
            for page, target, scenario in scenarios(ctx):
                if pages and pages.lower() not in page.lower():
                    continue
                say(f"timing {page} …")
                report.pages.append(measure_page(rec, page, scenario, runs=runs, target_ms=target))
        finally:
            rec.close()
        if with_export:
            say("timing the CSV export of every email and raw COPY …")
            report.export = measure_export(engine, url, conninfo(url))
    return report
