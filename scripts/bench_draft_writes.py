"""The server's share of a draft action: approve, send and archive, each one service call, timed.

    .venv/bin/python scripts/bench_draft_writes.py               # on 'echo_bench' (`bench generate --scale full`)
    .venv/bin/python scripts/bench_draft_writes.py --runs 9 --database echo_bench_small

Each action runs on the newest drafts it applies to (approve: pending, with the fact-check override, as a broker who
read the flags; send: approved; archive: pending), one draft per run, after one warm-up, through the same
`echo_core.services.drafts` call and transaction the dashboard's buttons make. It changes the bench data, as
`bench ui` does. Printed per action: the median and slowest whole call (the acting account re-read, the rule, the
row lock, the fact check where there is one, the writes, their triggers and the durable commit) and the median time
spent inside SQL statements (the commit is outside it).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from echo_core.bench.target import DEFAULT_DATABASE, bench_url  # noqa: E402
from echo_core.db.engine import make_engine, session_factory  # noqa: E402
from echo_core.permissions import Actor, Role  # noqa: E402
from echo_core.services import accounts, drafts  # noqa: E402

ACTOR = Actor("bench-writes@echo-bench.test", Role.LEAD)
ACTIONS: dict[str, tuple[str, Callable[[Session, int], Any]]] = {
    "approve": ("pending", lambda s, i: drafts.approve(session=s, draft_id=i, actor=ACTOR,
                                                       override_failed_validation=True)),
    "send": ("approved", lambda s, i: drafts.approve_and_send(session=s, draft_id=i, actor=ACTOR)),
    "archive": ("pending", lambda s, i: drafts.archive(session=s, draft_id=i, actor=ACTOR, reason="other",
                                                       note=None)),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=DEFAULT_DATABASE)
    parser.add_argument("--runs", type=int, default=7, help="timed drafts per action after one warm-up (default 7)")
    args = parser.parse_args()
    engine = make_engine(bench_url(args.database))
    in_sql: list[float] = []

    @event.listens_for(engine, "before_cursor_execute")
    def _started(conn: Any, *_: Any) -> None:
        conn.info["started"] = time.perf_counter()

    @event.listens_for(engine, "after_cursor_execute")
    def _ended(conn: Any, *_: Any) -> None:
        in_sql.append(time.perf_counter() - conn.info.pop("started", time.perf_counter()))

    with session_factory(engine)() as session:  # the acting account: a lead, added as `users add` adds one
        if accounts.account_id(session, ACTOR.email) is None:
            accounts.create_account(session=session, actor=accounts.OPERATOR, email=ACTOR.email, role=ACTOR.role)
    print(f"database: '{args.database}'; {args.runs} drafts per action after one warm-up")
    for name, (status, act) in ACTIONS.items():
        with engine.connect() as conn:
            ids = conn.execute(text("SELECT id FROM email_drafts WHERE status = :s ORDER BY id DESC LIMIT :n"),
                               {"s": status, "n": args.runs + 1}).scalars().all()
        whole, sql = [], []
        for number, draft_id in enumerate(ids):
            in_sql.clear()
            with session_factory(engine)() as session:
                started = time.perf_counter()
                act(session, int(draft_id))
                took = time.perf_counter() - started
            if number:  # the first is the warm-up
                whole.append(took * 1000)
                sql.append(sum(in_sql) * 1000)
        if not whole:
            print(f"{name:<8} no {status} drafts left in '{args.database}'")
            continue
        print(f"{name:<8} median {statistics.median(whole):6.1f} ms  slowest {max(whole):6.1f} ms  "
              f"in SQL {statistics.median(sql):6.1f} ms  (n={len(whole)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
