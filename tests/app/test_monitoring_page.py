"""The Monitoring page (leads only) and the database banner every page shows while PostgreSQL is away."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest
from sqlalchemy import Engine, text
from streamlit.testing.v1 import AppTest

from echo_core.config import reload_settings
from echo_core.ops.records import record_run
from tests.app.conftest import figure_values, shown_figures, static_tables
from tests.mailservers import free_port


def values(at: AppTest, kind: str) -> list[str]:
    """The elements' text as shown (messages escape markdown characters)."""
    return [str(e.value).replace("\\", "") for e in getattr(at, kind)]


def frame_with(at: AppTest, column: str) -> pd.DataFrame:
    """The page's table that has `column` (as labelled on the page; ui/static_table.py)."""
    return next(table for table in static_tables(at).values() if column in table.columns)


def test_a_lead_sees_every_figure_with_a_threshold_breach_listed_first(
    demo_db_url: str, app_engine: Engine, open_page: Callable[..., AppTest]
) -> None:
    with app_engine.begin() as conn:  # a delivery that failed for good, a worker that reported, a good backup
        conn.execute(text("UPDATE outbox SET status = 'failed', last_error = '550 no such mailbox' "
                          "WHERE id = (SELECT min(id) FROM outbox)"))
        conn.execute(text("INSERT INTO worker_heartbeats (worker, duty, host, interval_seconds, last_run_at, "
                          "last_ok_at, runs, items_done) VALUES ('h:1:a', 'deliver', 'h', 10, now(), now(), 5, 3)"))
    record_run(app_engine, kind="backup", file="/backups/echo-echo-x.dump", ok=True,
               started_at=datetime.now(UTC) - timedelta(hours=1), bytes=1234, revision="0013")

    at = open_page("pages/monitoring.py", role="lead")

    assert not at.exception, at.exception
    assert "Monitoring" in values(at, "title")
    warnings = " ".join(values(at, "warning"))
    assert "1 delivery(ies) failed for good" in warnings
    assert "no good backup" not in warnings  # the backup an hour ago counts
    metrics = figure_values(at)
    assert metrics["Failed"] == "1" and metrics["Last good backup"].endswith("ago")
    assert metrics["Server connections"].count("/") == 1
    subheaders = values(at, "subheader")
    assert subheaders == ["Connections", "Slowest statements", "Tables and indexes", "Delivery", "Ingest",
                          "Workers", "Backups"]
    workers = frame_with(at, "Duty")
    assert list(workers["Duty"]) == ["deliver"] and list(workers["State"]) == ["ok"]
    assert list(workers["Items done"]) == ["3"]
    tables = frame_with(at, "Total MB")
    assert {"deals", "emails", "outbox", "worker_heartbeats"} <= set(tables["Table"])
    assert set(tables["> 1,000,000 rows"]) == {"no"}
    assert not at.dataframe  # snapshot tables are static HTML: no data grid for the browser to mount
    assert "Indexes" not in static_tables(at)  # the Indexes expander is drawn when opened
    at.session_state["monitoring_indexes_open"] = True
    at.run()
    assert {"outbox_pkey", "idx_outbox_next_attempt_at"} <= set(static_tables(at)["Indexes"]["Index"])


def test_the_slowest_statements_come_from_pg_stat_statements(
    demo_db_url: str, open_page: Callable[..., AppTest]
) -> None:
    at = open_page("pages/monitoring.py", role="lead")

    statements = static_tables(at)["Slowest statements"]
    assert len(statements) > 0 and {"Query", "Calls", "Mean ms", "Max ms"} <= set(statements.columns)


@pytest.mark.parametrize("role", ["broker", "analyst"])
def test_only_leads_get_the_monitoring_page(role: str, app_db_url: str, open_page: Callable[..., AppTest]) -> None:
    with pytest.raises(ValueError, match="Could not find a navigation page"):  # never routed for them
        open_page("pages/monitoring.py", role=role)


def test_a_broker_opening_the_page_file_directly_is_refused(app_db_url: str, app_engine: Engine) -> None:
    from tests.app.conftest import APP, signed_in_state

    at = AppTest.from_file(str(APP.parent / "pages" / "monitoring.py"), default_timeout=60)
    for key, value in signed_in_state(app_db_url, "broker@tandem.space", "broker").items():
        at.session_state[key] = value
    at.run()

    assert not at.exception
    assert any("may not view monitoring" in e for e in values(at, "error"))
    assert not shown_figures(at) and not at.metric


def test_an_unreachable_database_shows_the_banner_and_nothing_else(
    app_db_url: str, monkeypatch: pytest.MonkeyPatch, open_app: Callable[[], AppTest]
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"postgresql://echo:secret-pw@127.0.0.1:{free_port()}/echo")
    reload_settings()

    at = open_app()

    assert not at.exception, at.exception
    [banner] = values(at, "error")
    assert "The database is unreachable" in banner and "comes back by itself" in banner
    assert "secret-pw" not in banner and "Connection refused" in banner
    assert not at.text_input  # the sign-in form never rendered: the run stopped before the database was used


def test_the_banner_is_gone_once_the_database_answers_again(
    app_db_url: str, monkeypatch: pytest.MonkeyPatch, open_app: Callable[[], AppTest]
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"postgresql://echo:pw@127.0.0.1:{free_port()}/echo")
    reload_settings()
    down = open_app()
    assert values(down, "error")

    monkeypatch.setenv("DATABASE_URL", app_db_url)
    reload_settings()
    down.run()

    assert not down.exception and not values(down, "error")
    assert down.text_input  # the sign-in form is back
