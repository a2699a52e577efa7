"""docker-compose.yml, read (docker cannot run here): every service, its command and its healthcheck."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from echo_core.config import PROJECT_ROOT
from echo_core.worker.runner import STOP_GRACE_SECONDS


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data = yaml.safe_load((PROJECT_ROOT / "docker-compose.yml").read_text())
    assert isinstance(data, dict)
    return data


def command_of(service: dict[str, Any]) -> str:
    command = service.get("command", "")
    return " ".join(command) if isinstance(command, list) else str(command)


def test_the_database_the_dashboard_and_the_worker_are_services(compose: dict[str, Any]) -> None:
    assert {"db", "app", "worker"} <= set(compose["services"])


@pytest.mark.parametrize("name", ["db", "app", "worker"])
def test_every_service_has_a_healthcheck(compose: dict[str, Any], name: str) -> None:
    check = compose["services"][name]["healthcheck"]
    assert check["test"] and check["interval"] and check["retries"] >= 1


def test_the_worker_runs_the_worker_and_checks_its_own_heartbeats(compose: dict[str, Any]) -> None:
    worker = compose["services"]["worker"]
    # exec: the worker is the container's PID 1, so docker's SIGTERM reaches it (a shell would swallow it)
    assert command_of(worker).rstrip().endswith('exec python -m echo_core worker"')
    assert worker["healthcheck"]["test"] == ["CMD", "python", "-m", "echo_core", "worker", "--check"]
    assert worker["depends_on"]["app"]["condition"] == "service_healthy"  # the app migrates first
    grace = float(str(worker["stop_grace_period"]).rstrip("s"))
    assert grace > STOP_GRACE_SECONDS  # docker waits for the item in hand before it kills


def test_the_app_migrates_before_serving_and_its_healthcheck_pings_the_database(compose: dict[str, Any]) -> None:
    app = compose["services"]["app"]
    command = command_of(app)
    assert command.index("db fresh") < command.index("exec streamlit run serve.py")
    test = " ".join(app["healthcheck"]["test"])
    assert "python -m echo_core db ping" in test and "/_stcore/health" in test
    assert app["depends_on"]["db"]["condition"] == "service_healthy"


def test_the_database_loads_pg_stat_statements_for_the_monitoring_page(compose: dict[str, Any]) -> None:
    assert "shared_preload_libraries=pg_stat_statements" in command_of(compose["services"]["db"])


def test_both_python_services_share_the_database_and_the_backup_volume(compose: dict[str, Any]) -> None:
    for name in ("app", "worker"):
        service = compose["services"][name]
        assert service["environment"]["DATABASE_URL"].endswith("@db:5432/postgres")
        assert service["environment"]["ECHO_BACKUP_DIR"] == "/backups"
        assert "echo-backups:/backups" in service["volumes"]
    assert "echo-backups" in compose["volumes"]
