"""Shared fixtures: a real PostgreSQL for every layer above unit tests.

- `engine`: a per-run database migrated to head (copied from a migrated template).
- `session`: one test inside a transaction that is rolled back afterwards; services
  may commit, which only releases a savepoint (join_transaction_mode="create_savepoint").
- `fresh_db_url`: a database of the test's own, for tests that commit for real
  (concurrency, processes, migrations, the app); dropped afterwards.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from echo_core.config import reload_settings
from echo_core.db.engine import make_engine
from tests import dbutil

os.environ.setdefault("ECHO_PROVIDER", "offline")
os.environ.pop("OPENAI_API_KEY", None)
reload_settings()


@pytest.fixture(autouse=True)
def refusal_waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """A refused sign-in waits out echo_core.sign_in.FAILURE_FLOOR_S: in the tests the wait is recorded, not slept
    (tests/integration/test_sign_in_enumeration.py checks it)."""
    from echo_core import sign_in

    waits: list[float] = []
    monkeypatch.setattr(sign_in, "_sleep", waits.append)
    return waits


@pytest.fixture(scope="session")
def server_url() -> str:
    return dbutil.server_url()


@pytest.fixture(scope="session")
def template_db(server_url: str) -> Iterator[str]:
    with dbutil.migrated_template(server_url) as name:
        yield name


@pytest.fixture(scope="session")
def engine(server_url: str, template_db: str) -> Iterator[Engine]:
    with dbutil.database_copy(server_url, template_db, prefix="echo_test_shared") as url:
        eng = make_engine(url)
        yield eng
        eng.dispose()


# Every write service re-reads the acting account (echo_core.services.actors.acting): the actors the
# tests name most have accounts in each `session` (rolled back with it). Others: tests.factories.make_user.
TEST_ACCOUNTS = (("broker@tandem.space", "broker"), ("lead@tandem.space", "lead"),
                 ("analyst@tandem.space", "analyst"), ("other@tandem.space", "broker"))


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    connection = engine.connect()
    transaction = connection.begin()
    db = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    from tests.factories import ensure_accounts

    ensure_accounts(db, TEST_ACCOUNTS)
    try:
        yield db
    finally:
        db.close()
        transaction.rollback()
        connection.close()


@pytest.fixture
def fresh_db_url(server_url: str, template_db: str) -> Iterator[str]:
    with dbutil.database_copy(server_url, template_db) as url:
        yield url


@pytest.fixture
def fresh_engine(fresh_db_url: str) -> Iterator[Engine]:
    """An engine on `fresh_db_url`, with TEST_ACCOUNTS (the services re-read the acting account)."""
    from tests.factories import ensure_accounts

    eng = make_engine(fresh_db_url)
    with Session(eng) as db:
        ensure_accounts(db, TEST_ACCOUNTS)
        db.commit()
    yield eng
    eng.dispose()
