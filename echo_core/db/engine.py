"""One engine per process and the translation of driver errors into readable ones."""

from __future__ import annotations

import os
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, create_engine, exc
from sqlalchemy.orm import Session, sessionmaker

from echo_core.config import Settings, get_settings
from echo_core.db.connect_errors import describe as describe_connection_error
from echo_core.db.integrity import explain
from echo_core.db.server import database_url
from echo_core.errors import DatabaseUnavailable, InvalidInput, PermissionDenied, SchemaDrift, SchemaNotMigrated
from echo_core.redact import safe_url

POOL_SIZE, MAX_OVERFLOW = 5, 5  # per process; the Monitoring page measures busy connections against the sum
APPLICATION_NAME = "echo-alpha"


def application_name(kind: str | None = None) -> str:
    """`echo-alpha KIND host:pid`: the server's pg_stat_activity then tells each process's connections apart."""
    kind = kind or ("dashboard" if "streamlit.runtime" in sys.modules else "cli")
    return f"{APPLICATION_NAME} {kind} {socket.gethostname()}:{os.getpid()}"[:63]


def make_engine(url: str | None = None, *, settings: Settings | None = None, kind: str | None = None,
                **kwargs: object) -> Engine:
    settings = settings or get_settings()
    url = url or database_url(settings)
    options: dict[str, object] = {
        "pool_pre_ping": True,
        "pool_size": POOL_SIZE,
        "max_overflow": MAX_OVERFLOW,
        "connect_args": {"connect_timeout": 5, "application_name": application_name(kind)},
    }
    options.update(kwargs)
    if "poolclass" in kwargs:  # NullPool and friends take no pool sizing
        options.pop("pool_size", None)
        options.pop("max_overflow", None)
    engine = create_engine(url, **options)
    if settings.broker_scope == "own":  # row-level security: every transaction names who acts (db/scope.py)
        from echo_core.db import scope

        scope.install(engine)
    return engine


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def readable_db_errors(engine: Engine | None = None) -> Iterator[None]:
    """Turn connection and missing-schema errors into one-line EchoErrors naming the fix."""
    try:
        yield
    except exc.IntegrityError as error:
        raise explain(error) from error
    except exc.DataError as error:  # a value the column cannot hold: out of range, NUL, bad encoding
        detail = str(getattr(error, "orig", error)).splitlines()[0][:200]
        raise InvalidInput(f"The database refused a value ({detail}) — check numbers and remove control "
                           "characters.") from error
    except exc.OperationalError as error:
        where = safe_url(str(engine.url.render_as_string(hide_password=False))) if engine else "the database"
        raise DatabaseUnavailable(describe_connection_error(getattr(error, "orig", None) or error, where)) from error
    except exc.ProgrammingError as error:
        code = getattr(error.orig, "sqlstate", None)
        if code == "42P01":
            raise SchemaNotMigrated(
                "A table is missing: the database is not migrated — run `make db-fresh` "
                "(or `python -m echo_core db upgrade`)."
            ) from error
        if code == "42501":  # insufficient_privilege: the app's role tried what only the owner may
            detail = str(getattr(error, "orig", error)).splitlines()[0][:200]
            raise PermissionDenied(
                f"The database role may not do this ({detail}) — schema changes run as the owner: "
                "set ECHO_MIGRATION_DATABASE_URL for `db upgrade`."
            ) from error
        if code == "42703":
            raise SchemaDrift(
                "A column is missing: the schema has drifted from the code — run "
                "`python -m echo_core db upgrade`, or `make db-reset` for a clean slate."
            ) from error
        raise
