"""Alembic, driven from code: upgrade, downgrade, status and drift checks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

from echo_core.config import PROJECT_ROOT
from echo_core.db.engine import readable_db_errors
from echo_core.db.models import Base
from echo_core.errors import SchemaDrift, SchemaNotMigrated

# A fixed key for pg_advisory_lock so two processes never migrate or seed at once.
MIGRATION_LOCK_KEY = 0x0EC40A1F


def alembic_config() -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    config.attributes["quiet_logging"] = True
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with readable_db_errors(engine), engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _run(engine: Engine, action: Any, revision: str) -> None:
    config = alembic_config()
    with readable_db_errors(engine), engine.begin() as conn:
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        config.attributes["connection"] = conn
        action(config, revision)


def upgrade(engine: Engine, revision: str = "head") -> None:
    _run(engine, command.upgrade, revision)


def downgrade(engine: Engine, revision: str) -> None:
    _run(engine, command.downgrade, revision)


def drift(engine: Engine) -> list[Any]:
    """Differences between the live schema and the models (empty when in sync)."""
    with readable_db_errors(engine), engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))


@dataclass(frozen=True)
class SchemaState:
    current: str | None
    head: str

    @property
    def up_to_date(self) -> bool:
        return self.current == self.head


def schema_state(engine: Engine) -> SchemaState:
    return SchemaState(current=current_revision(engine), head=head_revision())


def require_current_schema(engine: Engine) -> None:
    """Raise a readable error unless the database is migrated to head."""
    state = schema_state(engine)
    if state.current is None:
        raise SchemaNotMigrated(
            "The database has no schema yet — run `make db-fresh` (or `python -m echo_core db upgrade`)."
        )
    if not state.up_to_date:
        raise SchemaNotMigrated(
            f"The database schema is at revision {state.current} but the code needs {state.head} — "
            "run `python -m echo_core db upgrade`."
        )


def require_no_drift(engine: Engine) -> None:
    diffs = drift(engine)
    if diffs:
        raise SchemaDrift(
            f"The live schema differs from the models in {len(diffs)} place(s), first: {diffs[0]!r} — "
            "run `python -m echo_core db upgrade`, or `make db-reset` for a clean slate."
        )
