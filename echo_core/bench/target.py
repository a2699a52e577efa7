"""Where the bench data lives: its own database on the app's server, never the app's data."""

from __future__ import annotations

from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from echo_core.config import Settings, get_settings
from echo_core.db.server import admin_url_for, embedded_url, ensure_database, libpq_url, normalize_url

DEFAULT_DATABASE = "echo_bench"
COUNTED = ("spaces", "deals", "deal_spaces", "emails", "email_drafts", "draft_events")


def bench_url(database: str = DEFAULT_DATABASE, settings: Settings | None = None) -> str:
    """The SQLAlchemy URL of `database` on the embedded server or DATABASE_URL's server; created if missing."""
    settings = settings or get_settings()
    if settings.database_url is None:
        return embedded_url(settings.data_dir, database)
    url = make_url(normalize_url(settings.database_url.get_secret_value())).set(database=database)
    rendered = url.render_as_string(hide_password=False)
    ensure_database(admin_url_for(rendered), database)
    return rendered


def conninfo(url: str) -> str:
    return libpq_url(url)


def row_counts(engine: Engine) -> dict[str, int]:
    """Exact rows per bench table (0 for a table that does not exist yet)."""
    with engine.connect() as conn:
        existing = set(conn.scalars(text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")))
        return {t: int(conn.scalar(text(f'SELECT count(*) FROM "{t}"')) or 0) if t in existing else 0
                for t in COUNTED}
