"""Offline generate + validate speed: median and p95 per draft.

    .venv/bin/python scripts/bench_generation.py            # pure (eval contexts) and DB-backed
    .venv/bin/python scripts/bench_generation.py --pure     # no database needed

Pure: the offline composer plus the fact check on every eval case's context.
DB-backed: `generate_reply` (load the context from PostgreSQL, compose, validate)
for every inbound email in the database (the demo data on the embedded server
unless DATABASE_URL is set). Nothing is written.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

os.environ.setdefault("ECHO_PROVIDER", "offline")

from echo_core.generation.context import context_from_dict  # noqa: E402
from echo_core.generation.evaluation import load_cases  # noqa: E402
from echo_core.generation.pipeline import generate_offline  # noqa: E402


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _measure(label: str, calls: list[Callable[[], object]], rounds: int) -> None:
    for call in calls[:5]:
        call()  # warm imports and regex caches
    samples = []
    for _ in range(rounds):
        for call in calls:
            start = time.perf_counter()
            call()
            samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, int(len(samples) * 0.95))]
    print(f"{label}: {len(samples)} drafts · median {statistics.median(samples):.2f} ms · p95 {p95:.2f} ms · "
          f"max {samples[-1]:.2f} ms")


def pure(rounds: int) -> None:
    cases = [c for c in load_cases(Path(__file__).resolve().parent.parent / "eval" / "cases.jsonl")
             if "draft" not in c]
    contexts = [(context_from_dict(c), c.get("instruction")) for c in cases]
    _measure("offline generate + validate (pure, eval contexts)",
             [lambda ctx=ctx, ins=ins: generate_offline(ctx, instruction=ins) for ctx, ins in contexts], rounds)


def db_backed(rounds: int) -> None:
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from echo_core.cli.common import engine
    from echo_core.config import get_settings
    from echo_core.db.models import Email
    from echo_core.generation.pipeline import generate_reply

    eng = engine()
    agent = get_settings().agent_email
    with Session(eng) as session:
        ids = session.scalars(select(Email.id).where(Email.from_addr != agent, Email.ai_generated.is_not(True))
                              .order_by(Email.id)).all()
        if not ids:
            print("DB-backed: no inbound emails in the database (run `python -m echo_core db fresh`)")
            return
        _measure(f"generate_reply (DB-backed, {len(ids)} inbound emails)",
                 [lambda i=i: generate_reply(session, inbound_email_id=i, provider="offline") for i in ids], rounds)
        session.rollback()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=20, help="passes over the inputs (default 20)")
    parser.add_argument("--pure", action="store_true", help="skip the DB-backed measurement")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} CPUs ({_cpu()}), Python {platform.python_version()}")
    pure(args.rounds)
    if not args.pure:
        db_backed(max(1, args.rounds // 2))


if __name__ == "__main__":
    main()
