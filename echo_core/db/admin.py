"""Database administration behind `python -m echo_core db …`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, text

from echo_core.db import migrate
from echo_core.db.engine import readable_db_errors
from echo_core.db.models import Base
from echo_core.errors import InvalidInput, SchemaNotMigrated
from echo_core.redact import safe_url


@dataclass(frozen=True)
class Status:
    server: str
    version: str
    current: str | None
    head: str
    row_counts: dict[str, int | None]

    def lines(self) -> list[str]:
        state = "up to date" if self.current == self.head else f"behind (code needs {self.head})"
        out = [
            f"server:    {self.server}",
            f"version:   {self.version}",
            f"revision:  {self.current or 'none (not migrated)'} — {state}",
            "rows:",
        ]
        for table, count in self.row_counts.items():
            out.append(f"  {table:<14} {'missing' if count is None else count}")
        return out


def status(engine: Engine) -> Status:
    url = safe_url(engine.url.render_as_string(hide_password=False))
    with readable_db_errors(engine), engine.connect() as conn:
        version = str(conn.scalar(text("SHOW server_version")))
        existing = set(conn.scalars(text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")))
        counts: dict[str, int | None] = {}
        for table in Base.metadata.sorted_tables:
            if table.name in existing:
                counts[table.name] = int(conn.scalar(text(f'SELECT count(*) FROM "{table.name}"')) or 0)
            else:
                counts[table.name] = None
    return Status(server=url, version=version, current=migrate.current_revision(engine),
                  head=migrate.head_revision(), row_counts=counts)


def reset(engine: Engine) -> None:
    """Drop everything in the schema, then migrate to head (the seed's `make db-reset`)."""
    with readable_db_errors(engine), engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    migrate.upgrade(engine)


def restore(engine: Engine, path: Path) -> None:
    if not path.is_file():
        raise InvalidInput(f"Backup file {path} does not exist — give the path written by `db backup`.")
    from echo_core.ops.tools import run_tool, server_major, tool_path, url_and_env

    url, env = url_and_env(engine.url.render_as_string(hide_password=False))
    migrate.current_revision(engine)
    with readable_db_errors(engine), engine.connect() as conn:
        major = server_major(conn.scalar(text("SHOW server_version_num")))
    run_tool(tool_path("pg_restore", url=url, server_major=major),
             ["--clean", "--if-exists", "--no-owner", "--single-transaction", f"--dbname={url}", str(path)], env=env)
    if migrate.current_revision(engine) is None:
        raise SchemaNotMigrated("The restored backup has no schema revision — run `python -m echo_core db upgrade`.")
