"""`bench generate`: a brokerage's years of data in a database of its own, loaded with COPY."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from datetime import time as dtime

from sqlalchemy import text
from sqlalchemy.pool import NullPool

from echo_core.bench import plan as planning
from echo_core.bench.drafts import BROKERS
from echo_core.bench.load import TableLoad, load
from echo_core.bench.rows import COLUMNS, Rows
from echo_core.bench.target import conninfo, row_counts
from echo_core.db import migrate
from echo_core.db.engine import make_engine, readable_db_errors
from echo_core.errors import ConfirmationRequired, InvalidInput

DEFAULT_SEED = 8


@dataclass(frozen=True)
class Generated:
    scale: planning.Scale
    seed: int
    anchor: datetime
    loads: list[TableLoad]
    seconds: float


def default_anchor() -> datetime:
    """Midnight UTC today: the data ends "now", and the same seed on the same day gives the same rows."""
    return datetime.combine(date.today(), dtime.min, tzinfo=UTC)


def bench_brokers(url: str) -> list[int]:
    """The bench brokers' accounts (no password: nobody signs in as them), made if missing; their ids."""
    engine = make_engine(url, poolclass=NullPool)
    try:
        with readable_db_errors(engine), engine.begin() as conn:
            conn.execute(text("INSERT INTO users (email, role) SELECT unnest(CAST(:emails AS text[])), 'broker' "
                              "ON CONFLICT (email) DO NOTHING"), {"emails": list(BROKERS)})
            rows = conn.execute(text("SELECT id FROM users WHERE email = ANY(:emails) ORDER BY email"),
                                {"emails": list(BROKERS)})
            return [int(r[0]) for r in rows]
    finally:
        engine.dispose()


def generate(url: str, *, scale: str, seed: int = DEFAULT_SEED, replace: bool = False,
             anchor: datetime | None = None, say: Callable[[str], None] = lambda _: None) -> Generated:
    if scale not in planning.SCALES:
        raise InvalidInput(f"Unknown scale '{scale}' — use one of: {', '.join(planning.SCALES)}.")
    anchor = anchor or default_anchor()
    started = time.perf_counter()
    engine = make_engine(url, poolclass=NullPool)
    try:
        migrate.upgrade(engine)
        with readable_db_errors(engine):
            counts = row_counts(engine)
    finally:
        engine.dispose()
    if any(counts.values()) and not replace:
        raise ConfirmationRequired(
            f"Database '{engine.url.database}' already holds {counts['deals']:,} deals and {counts['emails']:,} "
            "emails — run again with --replace to regenerate it."
        )
    chosen = planning.SCALES[scale]
    rng = random.Random(seed)
    say(f"planning {chosen.deals:,} deals, {chosen.emails:,} emails and {chosen.drafts:,} drafts (seed {seed}) …")
    step = time.perf_counter()
    the_plan = planning.build(rng, chosen, anchor.timestamp())
    say(f"  planned threads and drafts in {time.perf_counter() - step:.1f} s")
    rows = Rows(plan=the_plan, seed=seed, rng=rng, owner_ids=bench_brokers(url))
    loads = load(conninfo(url), COLUMNS, rows.table, say)
    return Generated(scale=chosen, seed=seed, anchor=anchor, loads=loads, seconds=time.perf_counter() - started)
