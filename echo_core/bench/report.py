"""The bench run as a plain-text table (for the README) or as JSON."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from echo_core.bench.export_run import EXPORT_MEMORY_TARGET_MB, EXPORT_TARGET_SHARE
from echo_core.bench.run import BenchReport


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:,.2f}" if value < 100 else f"{value:,.0f}"


def _ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:,.1f}×"


def _verdict(ok: bool | None) -> str:
    return "—" if ok is None else "meets" if ok else "MISSES"


def machine_lines(report: BenchReport) -> list[str]:
    m = report.machine
    load = ", ".join(f"{x:.2f}" for x in m.load_average)
    settings = ", ".join(f"{k}={v}" for k, v in m.settings.items())
    counts = ", ".join(f"{n:,} {t}" for t, n in report.row_counts.items())
    return [
        f"machine:  {m.cpus} cores ({m.cpu_model}), {m.ram_gb} GB RAM, load average {load}",
        f"database: PostgreSQL {m.postgres} ({settings}); Python {m.python}",
        f"data:     '{report.database}': {counts}",
        f"method:   median of {report.runs} runs after one warm-up, per page and per function; floor = median "
        "EXPLAIN (ANALYZE) Execution Time of the SQL the page sent",
        "          (\"catalog queries\": extra round trips per page load, e.g. pandas.read_sql checking whether "
        "the query is a table name)",
    ]


def table_lines(report: BenchReport) -> list[str]:
    head = f"{'page / function':<52} {'median ms':>10} {'floor ms':>9} {'ratio':>8} {'target':>7}  verdict"
    lines = [head, "-" * len(head)]
    for page in report.pages:
        if page.missing or page.error:
            why = f"missing: {', '.join(page.missing)}" if page.missing else f"error: {page.error}"
            lines.append(f"{page.page:<52} {why}")
            continue
        flags = f"  Seq Scan on {', '.join(page.flagged)}" if page.flagged else ""
        if page.catalog_queries:
            flags += f"  +{page.catalog_queries} catalog queries"
        lines.append(f"{page.page:<52} {_ms(page.median_ms):>10} {_ms(page.floor_ms):>9} {_ratio(page.ratio):>8} "
                     f"{page.target_ms:>7.0f}  {_verdict(page.meets_target)}{flags}")
        for step in page.steps:
            lines.append(f"  {step.label:<50} {_ms(step.median_ms):>10} {_ms(step.floor_ms):>9} "
                         f"{_ratio(step.ratio):>8}")
    return lines


def plan_lines(report: BenchReport) -> list[str]:
    lines = ["plans (node types in plan order; ⚠ = Seq Scan on emails or email_drafts):"]
    for page in report.pages:
        for s in page.statements:
            if s.plan is None:
                lines.append(f"  [{page.page}] {s.step}: EXPLAIN failed: {s.error}")
                continue
            mark = "⚠ " if s.plan.flagged else ""
            lines.append(f"  {mark}[{page.page}] {s.step} ({_ms(s.plan.execution_ms)} ms): "
                         f"{' > '.join(s.plan.nodes)}")
    return lines


def export_lines(report: BenchReport) -> list[str]:
    x = report.export
    if x is None:
        return []
    share = x.share_of_copy
    fast = None if share is None else share >= EXPORT_TARGET_SHARE
    lines = [
        "export (one run each, same process tree, same data):",
        f"  export.write_csv(emails) in a child        {x.rows:>10,} rows in {x.seconds:6.1f} s = "
        f"{x.rows_per_second:>9,.0f} rows/s, peak RSS {x.peak_rss_mb:,.0f} MB (exit {x.exit_code}; "
        f"{x.wall_seconds:.1f} s for the whole process, start-up included)",
        f"  COPY (SELECT * FROM emails) TO STDOUT CSV  {x.copy.rows:>10,} rows in {x.copy.seconds:6.1f} s = "
        f"{x.copy.rows_per_second:>9,.0f} rows/s ({x.copy.bytes / 1e6:,.0f} MB)",
        f"  export / COPY = {share:.0%} (target ≥ {EXPORT_TARGET_SHARE:.0%}: {_verdict(fast)}); "
        f"peak memory target < {EXPORT_MEMORY_TARGET_MB:.0f} MB: {_verdict(x.peak_rss_mb < EXPORT_MEMORY_TARGET_MB)}"
        if share is not None else "  export / COPY: —",
    ]
    if x.exit_code:
        lines.append(f"  export failed: {x.stderr}")
    for sql, plan in x.plans:
        mark = "⚠ " if plan.flagged else ""
        lines.append(f"  {mark}plan ({_ms(plan.execution_ms)} ms) {' > '.join(plan.nodes)}  — {sql}")
    return lines


def text_report(report: BenchReport) -> str:
    parts = [machine_lines(report), table_lines(report), export_lines(report), plan_lines(report)]
    return "\n\n".join("\n".join(p) for p in parts if p)


def json_report(report: BenchReport) -> dict[str, Any]:
    data = asdict(report)
    for page, raw in zip(report.pages, data["pages"], strict=True):
        raw.update(ratio=page.ratio, meets_target=page.meets_target, flagged_seq_scans=page.flagged)
        for step, raw_step in zip(page.steps, raw["steps"], strict=True):
            raw_step["ratio"] = step.ratio
    if report.export is not None:
        data["export"].update(rows_per_second=report.export.rows_per_second,
                              share_of_copy=report.export.share_of_copy,
                              copy_rows_per_second=report.export.copy.rows_per_second)
    return data
