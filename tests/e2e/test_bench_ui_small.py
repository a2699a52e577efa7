"""`bench ui` at small scale, inside `make test`: the real app in Chromium, every interaction made and reported.

Correctness of the harness only — no timing assertions (the machine is shared). The full-scale run is
`python -m echo_core bench ui --scale full` by hand (see the README's Performance section), or
`ECHO_BENCH_UI_FULL=1 pytest -m slow tests/e2e/test_bench_ui_small.py` (about 10 minutes; it generates
`echo_bench` on the embedded server first if it is missing).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from echo_core.bench.generate import generate
from echo_core.bench.ui_flows import INTERACTIONS
from echo_core.bench.ui_report import json_report, text_report
from echo_core.bench.ui_run import UiReport, run_ui
from echo_core.config import reload_settings
from tests import dbutil
from tests.e2e.conftest import require_chromium

ROOT = Path(__file__).resolve().parents[2]
SANE_MS = 120_000.0  # a click that took longer than this was not measured, it was stuck


@pytest.fixture(scope="module")
def small_report(server_url: str, template_db: str) -> Iterator[UiReport]:
    require_chromium()
    name = dbutil.unique_name("echo_bench_ui_test")
    url = dbutil.create_database(server_url, name, template=template_db)
    before = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = url  # bench_url(name) then names this very database on the test server
    reload_settings()
    try:
        generate(url, scale="small")
        yield run_ui(checkout_root=ROOT, scale="small", runs=1, database=name, warm_up=False)
    finally:
        if before is None:
            os.environ.pop("DATABASE_URL", None)
        else:
            os.environ["DATABASE_URL"] = before
        reload_settings()
        dbutil.drop_database(server_url, name)


@pytest.mark.e2e
def test_every_interaction_is_made_and_timed_beside_its_floor(small_report: UiReport) -> None:
    rows = {row.name: row for row in small_report.rows}
    assert list(rows) == [i.name for i in INTERACTIONS]
    assert small_report.flavour == "inbox" and not small_report.setup_errors, small_report.setup_errors
    for row in small_report.rows:
        assert not row.errors, (row.name, row.errors)
        assert len(row.clicks) == 1 and len(row.floors) == 1 and len(row.stocks) == 1, row.name
        assert 0 < row.clicks[0] < SANE_MS and 0 < row.floors[0] < SANE_MS and 0 < row.stocks[0] < SANE_MS, row.name
        assert row.ratio is not None and row.ratio > 0
        assert len(row.runs) == 1 and 0 < row.runs[0] <= row.clicks[0], row.name  # the run ends before it settles
    mirrored = [row.name for row in small_report.rows if row.mirrors]
    assert mirrored == ["next draft"] and 0 < rows["next draft"].mirrors[0] < SANE_MS


@pytest.mark.e2e
def test_the_data_layer_figure_stands_beside_every_read(small_report: UiReport) -> None:
    assert small_report.data_error is None, small_report.data_error
    for row in small_report.rows:
        if row.data_page is None:
            assert row.data_ms is None
        else:
            assert row.data_ms is not None and 0 < row.data_ms < SANE_MS, row.name


@pytest.mark.e2e
def test_the_report_prints_every_interaction_and_serialises(small_report: UiReport) -> None:
    table = text_report(small_report)
    for interaction in INTERACTIONS:
        assert interaction.name in table
    assert "settled = " in table and "errors:" not in table and "stock copy: the next draft click" in table
    data = json.loads(json.dumps(json_report(small_report)))
    assert [i["name"] for i in data["interactions"]] == [i.name for i in INTERACTIONS]
    assert all(i["p50_ms"] is not None and i["floor_p50_ms"] is not None and i["stock_floor_p50_ms"] is not None
               and i["run_p50_ms"] is not None for i in data["interactions"])


@pytest.mark.e2e
def test_the_draft_writes_script_times_each_action_on_the_same_data(small_report: UiReport) -> None:
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "bench_draft_writes.py"), "--database",
                           small_report.database, "--runs", "2"], cwd=ROOT, env=dict(os.environ),
                          capture_output=True, text=True, check=False, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    timed = {line.split()[0]: line for line in done.stdout.splitlines()[1:]}
    assert list(timed) == ["approve", "send", "archive"], done.stdout
    assert all("median" in line and "(n=2)" in line for line in timed.values()), done.stdout


@pytest.mark.slow
@pytest.mark.skipif(not os.environ.get("ECHO_BENCH_UI_FULL"), reason="the full-scale run is by hand: "
                    "set ECHO_BENCH_UI_FULL=1 (about 10 minutes, 2 GB of bench data)")
def test_the_full_scale_run_reports_every_interaction() -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}  # the worktree's embedded server
    done = subprocess.run([sys.executable, "-m", "echo_core", "bench", "ui", "--scale", "full", "--runs", "3",
                           "--json"], cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    data = json.loads(done.stdout)
    assert [i["name"] for i in data["interactions"]] == [i.name for i in INTERACTIONS]
    assert all(i["p50_ms"] is not None and not i["errors"] for i in data["interactions"]), data["interactions"]
