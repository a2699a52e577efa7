"""`db ping`'s light settings reader agrees with Settings, hides passwords, and never starts a server."""

from __future__ import annotations

from pathlib import Path

import pytest
from psycopg.conninfo import conninfo_to_dict

from echo_core.config import PROJECT_ROOT, Settings
from echo_core.db import ping
from echo_core.db.server import libpq_url, normalize_url


@pytest.mark.parametrize("raw", [
    "postgresql://u:pw1234@h:5432/db",
    "postgres://u:pw1234@h:5432/db",
    "postgresql+psycopg://u:pw1234@h:5432/db?sslmode=verify-full&sslrootcert=/ca.pem",
    "postgresql+psycopg2://u:pw1234@h/db",
])
def test_every_url_form_settings_accept_is_pinged_at_the_same_server(raw: str) -> None:
    target = ping.target({"DATABASE_URL": raw})
    assert conninfo_to_dict(target.conninfo) == conninfo_to_dict(libpq_url(normalize_url(raw)))
    assert "pw1234" not in target.display and "***" in target.display


def test_the_embedded_defaults_are_the_settings_defaults(tmp_path: Path) -> None:
    settings = Settings()
    assert ping.PROJECT_ROOT == PROJECT_ROOT and settings.data_dir == PROJECT_ROOT / ".echo"
    assert settings.database_name == "echo"
    with pytest.raises(ping.NotReachable, match="is not running"):  # a stopped server is not started
        ping.target({"ECHO_DATA_DIR": str(tmp_path)})
    assert not (tmp_path / "pgdata").exists()


def test_a_stale_pid_file_means_not_running(tmp_path: Path) -> None:
    (tmp_path / "pgdata").mkdir()
    (tmp_path / "pgdata" / "postmaster.pid").write_text("999999999\n/x\n1\n5432\n/tmp\n\n\nready\n")
    with pytest.raises(ping.NotReachable, match="stopped"):
        ping.target({"ECHO_DATA_DIR": str(tmp_path)})


@pytest.mark.parametrize("argv", [["--timeout"], ["--timeout", "x"], ["--timeout", "0"], ["--what"]])
def test_bad_arguments_are_one_usage_line(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert ping.main(argv) == 2
    assert capsys.readouterr().err.count("\n") == 1
