"""Migrations own the schema: they replay up and down cleanly and match the models."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, inspect
from sqlalchemy.pool import NullPool

from echo_core.config import PROJECT_ROOT
from echo_core.db import migrate
from echo_core.db.engine import make_engine
from tests import dbutil

SEED_HISTORY = ["0000", "0001", "0002", "0003", "0004"]


def _revisions() -> list[str]:
    script = migrate.ScriptDirectory.from_config(migrate.alembic_config())
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


@pytest.fixture
def empty_engine(server_url: str) -> Iterator[Engine]:
    """An engine on a brand-new, unmigrated database of the test's own (dropped afterwards)."""
    name = dbutil.unique_name("echo_test_mig")
    engine = make_engine(dbutil.create_database(server_url, name), poolclass=NullPool)
    try:
        yield engine
    finally:
        engine.dispose()
        dbutil.drop_database(server_url, name)


def test_the_history_replays_the_seeds_migrations_first() -> None:
    assert _revisions()[: len(SEED_HISTORY)] == SEED_HISTORY


def test_migrate_base_head_base_head_leaves_a_schema_in_sync(empty_engine: Engine) -> None:
    engine = empty_engine
    migrate.upgrade(engine)
    assert migrate.schema_state(engine).up_to_date
    migrate.downgrade(engine, "base")
    assert migrate.current_revision(engine) is None
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    migrate.upgrade(engine)
    assert migrate.drift(engine) == []


def test_every_revision_downgrades_one_step_at_a_time(empty_engine: Engine) -> None:
    engine = empty_engine
    migrate.upgrade(engine)
    revisions = _revisions()
    for expected_after in reversed([None, *revisions[:-1]]):
        migrate.downgrade(engine, "-1")
        assert migrate.current_revision(engine) == expected_after


def test_seed_columns_appear_in_the_revision_the_seed_names(empty_engine: Engine) -> None:
    engine = empty_engine
    migrate.upgrade(engine, "0001")
    assert "regeneration_count" not in {c["name"] for c in inspect(engine).get_columns("email_drafts")}
    migrate.upgrade(engine, "0002")
    cols = {c["name"] for c in inspect(engine).get_columns("email_drafts")}
    assert {"regeneration_count", "current_version", "draft_versions"} <= cols
    assert "last_regeneration_at" not in cols
    migrate.upgrade(engine, "0003")
    assert "detailed_amenities" in {c["name"] for c in inspect(engine).get_columns("spaces")}
    migrate.upgrade(engine, "0004")
    assert "validation" in {c["name"] for c in inspect(engine).get_columns("email_drafts")}


def test_alembic_check_reports_no_drift(fresh_db_url: str) -> None:
    env = {**os.environ, "DATABASE_URL": fresh_db_url}
    result = subprocess.run(
        [sys.executable, "-m", "alembic", "check"], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "No new upgrade operations detected" in (result.stdout + result.stderr)


def test_the_shared_test_database_is_at_head(engine: Engine) -> None:
    assert migrate.schema_state(engine).up_to_date
