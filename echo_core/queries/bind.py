"""Queries accept an Engine (the app) or a Connection (a test's rolled-back transaction)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine

from echo_core.db.engine import readable_db_errors

Bind = Engine | Connection


@contextmanager
def connect(bind: Bind) -> Iterator[Connection]:
    """A connection with readable errors: a fresh one from an engine, or the given one as is."""
    engine = bind if isinstance(bind, Engine) else bind.engine
    with readable_db_errors(engine):
        if isinstance(bind, Connection):
            yield bind
        else:
            with bind.connect() as conn:
                yield conn
