"""`bench ui`: the dashboard in headless Chromium on the bench database, every click timed to the settled page,
beside the data layer's time for the same click and Streamlit's own floor measured in the same run.

One warm-up pass (not counted), then `runs` passes; each pass is a fresh browser context that signs in and
makes every interaction of `ui_flows.INTERACTIONS`. After each interaction the floor tab (a one-button page
served by the same `streamlit run` process) is clicked once: the floor beside an interaction is the median of
those clicks. The data layer is the checkout's own `bench run` of the same page functions, taken after the
browser has finished so the two do not compete for the two cores.
"""

from __future__ import annotations

import math
import os
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.pool import NullPool

from echo_core.bench.floor import machine
from echo_core.bench.target import bench_url
from echo_core.bench.ui_flows import INTERACTIONS, NOT_AVAILABLE, Run
from echo_core.bench.ui_server import (
    ACCOUNT,
    PASSWORD,
    BenchUiFailed,
    Checkout,
    data_layer,
    prepare,
    serving,
    serving_stock_floor,
)
from echo_core.bench.ui_settle import INIT_SCRIPT, QUIET_MS
from echo_core.db.engine import make_engine

CHROMIUM = Path(os.environ.get("ECHO_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [  # as tests/e2e/conftest.py
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
VIEWPORT: Any = {"width": 1440, "height": 900}
FLOOR_RATIO_TARGET = 3.0
DATABASES = {"full": "echo_bench", "small": "echo_bench_small"}


def percentile(values: list[float], share: float) -> float | None:
    """Nearest-rank percentile (p95 of 5 samples is the largest)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


@dataclass
class Row:
    name: str
    target_ms: float
    data_page: str | None
    clicks: list[float] = field(default_factory=list)
    floors: list[float] = field(default_factory=list)
    stocks: list[float] = field(default_factory=list)
    runs: list[float] = field(default_factory=list)  # click → the end of the run it started (the server's share)
    mirrors: list[float] = field(default_factory=list)  # the same click on stock Streamlit's copy of its elements
    errors: list[str] = field(default_factory=list)
    data_ms: float | None = None

    @property
    def available(self) -> bool:
        return bool(self.clicks) or not all(e == NOT_AVAILABLE for e in self.errors)

    @property
    def p50(self) -> float | None:
        return _median(self.clicks)

    @property
    def p95(self) -> float | None:
        return percentile(self.clicks, 0.95)

    @property
    def run_p50(self) -> float | None:
        return _median(self.runs)

    @property
    def mirror_p50(self) -> float | None:
        return _median(self.mirrors)

    @property
    def floor_p50(self) -> float | None:
        return _median(self.floors)

    @property
    def ratio(self) -> float | None:
        return self.p50 / self.floor_p50 if self.p50 is not None and self.floor_p50 else None

    @property
    def stock_p50(self) -> float | None:
        return _median(self.stocks)

    @property
    def stock_ratio(self) -> float | None:
        return self.p50 / self.stock_p50 if self.p50 is not None and self.stock_p50 else None

    @property
    def meets(self) -> bool | None:
        if self.p50 is None:
            return None
        return self.p50 <= self.target_ms and (self.ratio is None or self.ratio <= FLOOR_RATIO_TARGET)


@dataclass
class UiReport:
    checkout: str
    flavour: str
    database: str
    scale: str
    runs: int
    started: datetime
    machine: dict[str, Any]
    load_after: tuple[float, float, float]
    rows: list[Row]
    setup_errors: list[str] = field(default_factory=list)
    data_error: str | None = None


def _scalars(url: str, *queries: str) -> list[Any]:
    """The first value of each query, on a connection of its own (the bench database, outside the app)."""
    engine = make_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return [conn.scalar(text(sql)) for sql in queries]
    finally:
        engine.dispose()


def _bench_facts(url: str) -> tuple[str, date]:
    """A company a broker would search for (a pending draft's deal) and the first day of the data."""
    company, first = _scalars(
        url, "SELECT d.company_name FROM email_drafts e JOIN deals d ON d.id = e.deal_id "
             "WHERE e.status = 'pending' ORDER BY e.id DESC LIMIT 1",
        "SELECT min(created_at) FROM email_drafts")
    return str(company or "Acme"), (first.date() if first else date.today())


def _first_pending(url: str) -> int | None:
    """The oldest pending draft (queue order): what the approve step opens when the queue's top is all approved."""
    (found,) = _scalars(url, "SELECT id FROM email_drafts WHERE status = 'pending' ORDER BY created_at, id LIMIT 1")
    return None if found is None else int(found)


def _machine(url: str) -> dict[str, Any]:
    engine = make_engine(url, poolclass=NullPool)
    try:
        m = machine(engine)
    finally:
        engine.dispose()
    return {"cpus": m.cpus, "cpu_model": m.cpu_model, "ram_gb": m.ram_gb, "postgres": m.postgres,
            "python": m.python, "load_average": list(m.load_average)}


def run_ui(*, checkout_root: Path, scale: str, runs: int, database: str | None = None, with_data: bool = True,
           warm_up: bool = True, say: Callable[[str], None] = lambda _: None) -> UiReport:
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        raise BenchUiFailed(f"{CHROMIUM} is missing — install Debian's chromium (`make system-deps`).")
    checkout = Checkout(checkout_root.resolve())
    database = database or DATABASES[scale]
    url = bench_url(database)
    prepare(checkout, url, scale=scale, database=database, say=say)
    company, first_day = _bench_facts(url)
    rows = {i.name: Row(i.name, i.target_ms, i.data_page) for i in INTERACTIONS}
    report = UiReport(checkout=str(checkout.root), flavour=checkout.flavour, database=database, scale=scale,
                      runs=runs, started=datetime.now(UTC), machine=_machine(url), load_after=(0.0, 0.0, 0.0),
                      rows=list(rows.values()))
    counting = False

    def record(name: str, kind: str, ms: float | None, error: str | None) -> None:
        row = rows.get(name)
        if row is None:
            if error and counting:
                report.setup_errors.append(error)
            return
        if not counting:
            return
        if ms is None:
            if error and (error != NOT_AVAILABLE or not row.errors):
                row.errors.append(error)
        elif kind == "floor":
            row.floors.append(ms)
        elif kind == "stock":
            row.stocks.append(ms)
        elif kind == "run":
            row.runs.append(ms)
        elif kind == "mirror":
            row.mirrors.append(ms)
        else:
            row.clicks.append(ms)

    say(f"serving {checkout.root} ({checkout.flavour}) on '{database}' …")
    with serving(checkout, url) as base, serving_stock_floor() as stock_url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            floor_context = browser.new_context(viewport=VIEWPORT)
            floor_context.add_init_script(INIT_SCRIPT)
            floor = floor_context.new_page()
            floor.set_default_timeout(30_000)
            floor.goto(f"{base}/?bench_floor=1")
            floor.get_by_text("Clicks: 0").wait_for()
            floor.get_by_role("button", name="Click").click()  # the first click after a load may be lost
            floor.wait_for_timeout(1000)
            stock = floor_context.new_page()
            stock.set_default_timeout(30_000)
            stock.goto(stock_url)
            stock.get_by_text("Clicks: 0").wait_for()
            stock.get_by_role("button", name="Click").click()
            stock.wait_for_timeout(1000)
            mirror_context = browser.new_context(viewport=VIEWPORT)  # its own window, away from the floors
            mirror_context.add_init_script(INIT_SCRIPT)
            mirror = mirror_context.new_page()
            mirror.set_default_timeout(30_000)
            mirror.goto(f"{stock_url}/?mirror=draft")
            mirror.locator(".st-key-mirror_next button").wait_for()
            for number in range(0 if warm_up else 1, runs + 1):
                counting = number > 0
                say(f"  run {number} of {runs}{' (warm-up, not counted)' if not number else ''} …")
                context = browser.new_context(viewport=VIEWPORT)
                context.add_init_script(INIT_SCRIPT)
                page = context.new_page()
                page.set_default_timeout(30_000)
                try:
                    Run(page, floor, record, url=base, flavour=checkout.flavour, account=(ACCOUNT, PASSWORD),
                        company=company, first_day=first_day, today=date.today(), stock=stock,
                        pending=lambda: _first_pending(url), mirror=mirror).run()
                finally:
                    context.close()
        finally:
            browser.close()
    report.load_after = os.getloadavg()
    if with_data:
        say("the data layer: the checkout's own `bench run` …")
        try:
            data = data_layer(checkout, url, database=database, runs=max(3, runs))
        except BenchUiFailed as error:
            report.data_error = str(error)
        else:
            for row in report.rows:
                row.data_ms = data.get(row.data_page) if row.data_page else None
    return report


SETTLED_DEFINITION = (
    f"settled = Streamlit's script_finished message received, no data-stale element, script state not running, "
    f"the expected element present, and no DOM change for {QUIET_MS} ms (not counted); timed from the click's "
    "pointerdown / keydown in the page"
)
