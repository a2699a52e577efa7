"""`python -m echo_core db …`: the happy paths, and every error path as one line with a non-zero exit."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from echo_core.config import PROJECT_ROOT
from echo_core.db.server import libpq_url
from tests import dbutil


def run_cli(*args: str, url: str | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    if url:
        environ["DATABASE_URL"] = url
    environ.update(env)
    return subprocess.run(
        [sys.executable, "-m", "echo_core", *args], cwd=PROJECT_ROOT, env=environ, capture_output=True, text=True,
        timeout=120,
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], code: int, fragment: str) -> None:
    assert result.returncode == code, (result.returncode, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert fragment in lines[0]


@pytest.fixture
def empty_db_url(server_url: str) -> str:
    name = dbutil.unique_name("echo_test_empty")
    url = dbutil.create_database(server_url, name)
    yield url  # type: ignore[misc]
    dbutil.drop_database(server_url, name)


def test_status_prints_server_revision_and_row_counts(fresh_db_url: str) -> None:
    result = run_cli("db", "status", url=fresh_db_url)
    assert result.returncode == 0, result.stderr
    assert "revision:" in result.stdout and "up to date" in result.stdout
    for table in ("deals", "spaces", "emails", "deal_spaces", "email_drafts"):
        assert table in result.stdout


def test_fresh_then_seed_again_inserts_nothing(fresh_db_url: str) -> None:
    assert "seeded:" in run_cli("db", "fresh", url=fresh_db_url).stdout
    again = run_cli("db", "seed", url=fresh_db_url)
    assert again.returncode == 0 and "nothing inserted" in again.stdout


def test_check_passes_on_a_migrated_database(fresh_db_url: str) -> None:
    result = run_cli("db", "check", url=fresh_db_url)
    assert result.returncode == 0 and "in sync" in result.stdout


def test_an_unreachable_server_is_one_line_naming_the_fix_and_hiding_the_password() -> None:
    result = run_cli("db", "status", url="postgresql://echo:hunter22@127.0.0.1:1/echo")
    assert_one_line_error(result, 3, "Cannot reach PostgreSQL")
    assert "hunter22" not in result.stderr + result.stdout


def test_a_non_postgres_url_is_refused_readably() -> None:
    assert_one_line_error(run_cli("db", "status", url="mysql://x@localhost/db"), 3, "must be a PostgreSQL URL")


def test_an_unmigrated_database_says_to_run_db_fresh(empty_db_url: str) -> None:
    assert_one_line_error(run_cli("db", "check", url=empty_db_url), 4, "db-fresh")
    assert_one_line_error(run_cli("db", "seed", url=empty_db_url), 4, "db-fresh")


def test_status_on_an_unmigrated_database_lists_missing_tables(empty_db_url: str) -> None:
    result = run_cli("db", "status", url=empty_db_url)
    assert result.returncode == 0
    assert "not migrated" in result.stdout and "missing" in result.stdout


def test_a_dropped_column_is_reported_as_drift(fresh_db_url: str) -> None:
    with psycopg.connect(libpq_url(fresh_db_url), autocommit=True) as conn:
        conn.execute("ALTER TABLE spaces DROP COLUMN host_context")
    assert_one_line_error(run_cli("db", "check", url=fresh_db_url), 4, "differs from the models")


def test_a_dropped_table_is_reported_as_missing(fresh_db_url: str) -> None:
    with psycopg.connect(libpq_url(fresh_db_url), autocommit=True) as conn:
        conn.execute("DROP TABLE deal_spaces")
    result = run_cli("db", "status", url=fresh_db_url)
    assert "deal_spaces    missing" in result.stdout
    assert_one_line_error(run_cli("db", "seed", url=fresh_db_url), 4, "missing")


def test_reset_refuses_without_yes(fresh_db_url: str) -> None:
    assert_one_line_error(run_cli("db", "reset", url=fresh_db_url), 2, "--yes")


def test_reset_with_yes_rebuilds_and_reseeds(fresh_db_url: str) -> None:
    with psycopg.connect(libpq_url(fresh_db_url), autocommit=True) as conn:
        conn.execute("CREATE TABLE junk (id int)")
    result = run_cli("db", "reset", "--yes", url=fresh_db_url)
    assert result.returncode == 0, result.stderr
    with psycopg.connect(libpq_url(fresh_db_url)) as conn:
        assert conn.execute("SELECT to_regclass('junk')").fetchone() == (None,)
        assert conn.execute("SELECT count(*) FROM deals").fetchone()[0] >= 8  # type: ignore[index]


def test_downgrade_and_upgrade_by_revision(fresh_db_url: str) -> None:
    assert "0003" in run_cli("db", "downgrade", "0003", url=fresh_db_url).stdout
    assert_one_line_error(run_cli("db", "check", url=fresh_db_url), 4, "db upgrade")
    assert run_cli("db", "upgrade", url=fresh_db_url).returncode == 0


def test_backup_and_restore_round_trip(fresh_db_url: str, tmp_path: Path) -> None:
    run_cli("db", "fresh", url=fresh_db_url)
    dump = tmp_path / "echo.dump"
    assert run_cli("db", "backup", str(dump), url=fresh_db_url).returncode == 0
    assert dump.stat().st_size > 0
    with psycopg.connect(libpq_url(fresh_db_url), autocommit=True) as conn:
        conn.execute("UPDATE spaces SET monthly_rate = 1")
    result = run_cli("db", "restore", str(dump), url=fresh_db_url)
    assert result.returncode == 0, result.stderr
    with psycopg.connect(libpq_url(fresh_db_url)) as conn:
        assert conn.execute("SELECT count(*) FROM spaces WHERE monthly_rate = 1").fetchone() == (0,)


def test_restore_of_a_missing_file_is_one_line(fresh_db_url: str, tmp_path: Path) -> None:
    assert_one_line_error(run_cli("db", "restore", str(tmp_path / "nope.dump"), url=fresh_db_url), 2, "does not exist")


def test_backup_into_a_missing_folder_is_one_line(fresh_db_url: str, tmp_path: Path) -> None:
    result = run_cli("db", "backup", str(tmp_path / "no" / "such" / "x.dump"), url=fresh_db_url)
    assert_one_line_error(result, 2, "does not exist")
