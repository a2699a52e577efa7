"""`bench ui`'s table (for the README and docs/) and its JSON."""

from __future__ import annotations

from typing import Any

from echo_core.bench.ui_run import FLOOR_RATIO_TARGET, SETTLED_DEFINITION, Row, UiReport


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}" if value >= 100 else f"{value:,.1f}"


def _ratio(value: float | None, floor: float | None) -> str:
    return f"{value / floor:.1f}×" if value is not None and floor else "—"


def _verdict(row: Row) -> str:
    if not row.available:
        return "n/a"
    if row.meets is None:
        return "FAILED"
    return "meets" if row.meets else "MISSES"


def text_report(report: UiReport) -> str:
    m = report.machine
    load = ", ".join(f"{x:.2f}" for x in m["load_average"])
    after = ", ".join(f"{x:.2f}" for x in report.load_after)
    lines = [
        f"machine:  {m['cpus']} cores ({m['cpu_model']}), {m['ram_gb']} GB RAM; load average {load} at the start, "
        f"{after} at the end",
        f"software: PostgreSQL {m['postgres']}, Python {m['python']}, Debian's Chromium (headless, Playwright)",
        f"app:      {report.checkout} ({report.flavour} Draft review) on '{report.database}' ({report.scale} scale), "
        f"{report.started:%Y-%m-%d %H:%M} UTC",
        f"method:   {report.runs} runs after one warm-up, each in a fresh browser tab that signs in, visits every "
        "page once (first visit), then again (page); p50 = median, p95 = nearest rank",
        f"          {SETTLED_DEFINITION}",
        "          data ms = the checkout's own `bench run` median for the same page functions (— : a write, or no "
        "scenario)",
        "          floor = the same kind of click on a one-button page of the same server process, right after each "
        f"interaction; target: p50 ≤ target and ≤ {FLOOR_RATIO_TARGET:.0f}× floor",
        "          run ms = p50 from the click to the end of the run it started (script_finished received): the "
        "server's share; the rest is the browser drawing it",
        "          stock = the same click on the one-button page of a stock Streamlit (its default settings, nothing "
        "of the app loaded), right after; shown beside, not in the verdict",
        "",
    ]
    head = (f"{'interaction':<38} {'p50 ms':>7} {'p95 ms':>7} {'n':>3} {'run ms':>7} {'data ms':>8} "
            f"{'browser/data':>12} "
            f"{'floor ms':>9} {'×floor':>7} {'stock ms':>9} {'×stock':>7} {'target':>7}  verdict")
    lines += [head, "-" * len(head)]
    for row in report.rows:
        share = f"{row.p50 / row.data_ms:,.0f}×" if row.p50 and row.data_ms else "—"
        ratio, stock = _ratio(row.p50, row.floor_p50), _ratio(row.p50, row.stock_p50)
        lines.append(f"{row.name:<38} {_ms(row.p50):>7} {_ms(row.p95):>7} {len(row.clicks):>3} "
                     f"{_ms(row.run_p50):>7} {_ms(row.data_ms):>8} {share:>12} {_ms(row.floor_p50):>9} {ratio:>7} "
                     f"{_ms(row.stock_p50):>9} {stock:>7} {row.target_ms:>7.0f}  {_verdict(row)}")
    for row in report.rows:
        if row.mirror_p50 is not None and row.stock_p50:
            lines += ["", f"stock copy: the {row.name} click on a fixed copy of the open draft's elements, drawn by "
                      "stock Streamlit (nothing of the app, no database)",
                      f"  p50 {_ms(row.mirror_p50)} ms = {_ratio(row.mirror_p50, row.stock_p50)} the stock floor "
                      f"(the app's: {_ms(row.p50)} ms = {_ratio(row.p50, row.stock_p50)} the stock floor)"]
    problems = [(row.name, e) for row in report.rows for e in dict.fromkeys(row.errors) if e != "n/a"]
    problems += [("(set-up)", e) for e in dict.fromkeys(report.setup_errors)]
    if report.data_error:
        problems.append(("(data layer)", report.data_error))
    if problems:
        lines += ["", "errors:"] + [f"  {name}: {error}" for name, error in problems]
    return "\n".join(lines)


def json_report(report: UiReport) -> dict[str, Any]:
    return {
        "checkout": report.checkout, "flavour": report.flavour, "database": report.database, "scale": report.scale,
        "runs": report.runs, "started": report.started.isoformat(), "machine": report.machine,
        "load_after": list(report.load_after), "settled": SETTLED_DEFINITION,
        "floor_ratio_target": FLOOR_RATIO_TARGET, "setup_errors": report.setup_errors,
        "data_error": report.data_error,
        "interactions": [
            {"name": r.name, "available": r.available, "p50_ms": r.p50, "p95_ms": r.p95, "samples": r.clicks,
             "run_p50_ms": r.run_p50, "run_samples": r.runs, "stock_copy_p50_ms": r.mirror_p50,
             "stock_copy_samples": r.mirrors, "floor_p50_ms": r.floor_p50, "floor_samples": r.floors,
             "ratio_to_floor": r.ratio,
             "stock_floor_p50_ms": r.stock_p50, "stock_floor_samples": r.stocks, "ratio_to_stock_floor": r.stock_ratio,
             "data_page": r.data_page, "data_ms": r.data_ms, "target_ms": r.target_ms, "meets": r.meets,
             "errors": r.errors}
            for r in report.rows
        ],
    }
