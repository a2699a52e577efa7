"""First use of a database: migrate to head and seed the demo when configured."""

from __future__ import annotations

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from echo_core.config import Settings, get_settings
from echo_core.db import migrate
from echo_core.db.engine import readable_db_errors
from echo_core.db.models import Deal


def ensure_ready(engine: Engine, settings: Settings | None = None) -> None:
    """Embedded default: migrate and seed if empty. External DATABASE_URL: only check."""
    settings = settings or get_settings()
    if settings.should_auto_migrate:
        migrate.upgrade(engine)
    else:
        migrate.require_current_schema(engine)
    if settings.should_seed_demo:
        with readable_db_errors(engine), Session(engine) as session:
            if not session.scalar(select(func.count()).select_from(Deal)):
                from echo_core.demo.seed import seed_demo

                seed_demo(session)
            else:  # a demo database from before accounts existed still gets its demo sign-ins
                from echo_core.demo.accounts import seed_demo_accounts

                if seed_demo_accounts(session):
                    session.commit()
