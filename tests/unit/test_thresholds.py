"""When the Monitoring page raises an alarm — and, as much, when it must not."""

from __future__ import annotations

from datetime import timedelta

import pytest

from echo_core.ops.thresholds import Figures, alerts

CALM = Figures(last_good_backup_age=timedelta(hours=3), last_verify_ok=True, delivering_workers=1)


def figures_of(**changes: object) -> list[str]:
    return [a.figure for a in alerts(Figures(**{**CALM.__dict__, **changes}))]  # type: ignore[arg-type]


def test_a_calm_system_raises_nothing() -> None:
    assert alerts(CALM) == []


@pytest.mark.parametrize(("used", "alarm"), [(77, False), (78, True)])  # 80 % of 97 usable is 77.6
def test_server_connections_alarm_above_eighty_percent(used: int, alarm: bool) -> None:
    assert ("connections" in figures_of(server_connections=used, server_max_connections=97)) is alarm


@pytest.mark.parametrize(("busy", "alarm"), [(8, False), (9, True)])
def test_a_process_pool_alarms_above_eighty_percent_busy(busy: int, alarm: bool) -> None:
    assert ("pool" in figures_of(process_busy={"echo-alpha dashboard h:1": (busy, 10)})) is alarm


@pytest.mark.parametrize(("calls", "mean", "alarm"), [(50, 499.0, False), (50, 501.0, True), (2, 9000.0, False)])
def test_statement_latency_alarms_above_500_ms_once_it_is_a_trend(calls: int, mean: float, alarm: bool) -> None:
    assert ("latency" in figures_of(statements=[("SELECT 1", calls, mean)])) is alarm


def test_a_table_over_a_million_rows_is_named() -> None:
    found = alerts(Figures(**{**CALM.__dict__, "table_rows": {"emails": 1_000_001, "deals": 1_000_000}}))
    assert [a.message.split()[0] for a in found if a.figure == "table size"] == ["emails"]


@pytest.mark.parametrize(("hits", "reads", "alarm"), [(9_000, 999, False), (900, 100, False), (90_000, 10_000, True)])
def test_a_cold_index_cache_alarms_only_once_there_is_real_traffic(hits: int, reads: int, alarm: bool) -> None:
    assert ("index hit ratio" in figures_of(index_hits=hits, index_reads=reads)) is alarm


@pytest.mark.parametrize(("waited", "workers", "alarm", "says"), [
    (timedelta(minutes=4), 0, False, ""),
    (timedelta(minutes=6), 0, True, "no worker is delivering"),
    (timedelta(minutes=6), 2, True, "the workers are behind"),
])
def test_a_reply_waiting_too_long_for_delivery_says_why(waited: timedelta, workers: int, alarm: bool,
                                                         says: str) -> None:
    found = [a for a in alerts(Figures(**{**CALM.__dict__, "overdue_delivery": waited,
                                          "delivering_workers": workers})) if a.figure == "outbox"]
    assert bool(found) is alarm and (not alarm or says in found[0].message)


@pytest.mark.parametrize(("age", "alarm"), [(None, True), (timedelta(hours=25), False), (timedelta(hours=27), True)])
def test_a_missing_or_old_backup_alarms(age: timedelta | None, alarm: bool) -> None:
    assert ("backup" in figures_of(last_good_backup_age=age)) is alarm


def test_a_failed_verification_alarms_but_no_verification_yet_does_not() -> None:
    assert "backup" in figures_of(last_verify_ok=False)
    assert "backup" not in figures_of(last_verify_ok=None)


def test_failed_deliveries_stale_and_failing_duties_alarm() -> None:
    assert "deliveries" in figures_of(failed_deliveries=2)
    assert figures_of(stale_duties=["h:1:a deliver"], failing_duties=["backup on h: disk full"]) == ["worker"] * 2
