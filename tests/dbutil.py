"""Test databases: one migrated template per test run, cheap copies for tests that commit."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from psycopg import sql
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from echo_core.config import get_settings
from echo_core.db import migrate
from echo_core.db.engine import make_engine
from echo_core.db.server import admin_url_for, embedded_url, normalize_url


def server_url() -> str:
    """TEST_DATABASE_URL if set, else the embedded server (started on demand)."""
    override = os.environ.get("TEST_DATABASE_URL")
    if override:
        return normalize_url(override)
    return embedded_url(get_settings().data_dir, "postgres")


def url_for_database(base_url: str, database: str) -> str:
    return make_url(base_url).set(database=database).render_as_string(hide_password=False)


def create_database(base_url: str, name: str, *, template: str | None = None) -> str:
    admin = admin_url_for(base_url)
    with psycopg.connect(admin, autocommit=True) as conn:
        statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template:
            statement = sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(template)
            )
        conn.execute(statement)
    return url_for_database(base_url, name)


def drop_database(base_url: str, name: str) -> None:
    admin = admin_url_for(base_url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def unique_name(prefix: str) -> str:
    return f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:8]}"


@contextmanager
def migrated_template(base_url: str) -> Iterator[str]:
    """A database migrated to head, used as the template of every other test database."""
    name = unique_name("echo_test_tpl")
    url = create_database(base_url, name)
    engine = make_engine(url, poolclass=NullPool)
    try:
        migrate.upgrade(engine)
    finally:
        engine.dispose()
    try:
        yield name
    finally:
        drop_database(base_url, name)


@contextmanager
def database_copy(base_url: str, template: str, prefix: str = "echo_test") -> Iterator[str]:
    name = unique_name(prefix)
    url = create_database(base_url, name, template=template)
    try:
        yield url
    finally:
        drop_database(base_url, name)


def dispose(engine: Engine) -> None:
    engine.dispose()
