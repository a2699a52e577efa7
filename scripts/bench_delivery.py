"""How long a sent draft waits to be delivered with the worker running as `make run` runs it.

    .venv/bin/python scripts/bench_delivery.py [--sends 10]

A throwaway database `echo_bench_delivery` on the configured server (DATABASE_URL, else the embedded one),
migrated and seeded with the demo brokerage; `python -m echo_core worker` beside it with the default settings
(outbox checked every ECHO_WORKER_DELIVER_SECONDS = 1 s, replies written as .eml files to a scratch folder). Each
round sends an approved draft through the real `send` service and times commit → outbox row 'delivered' (the
.eml is written just before that commit). Prints every figure and the min / median / max.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from echo_core.config import get_settings  # noqa: E402
from echo_core.db import migrate  # noqa: E402
from echo_core.db.engine import make_engine  # noqa: E402
from echo_core.db.server import admin_url_for, database_url, drop_database, ensure_database  # noqa: E402
from echo_core.permissions import Actor  # noqa: E402
from echo_core.services.drafts import send  # noqa: E402
from tests.factories import make_deal, make_draft, make_email  # noqa: E402

DATABASE = "echo_bench_delivery"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sends", type=int, default=10)
    args = parser.parse_args()
    base = database_url(get_settings())
    admin = admin_url_for(base)
    drop_database(admin, DATABASE)
    ensure_database(admin, DATABASE)
    url = make_url(base).set(database=DATABASE).render_as_string(hide_password=False)
    engine = make_engine(url)
    scratch = Path(tempfile.mkdtemp(prefix="echo-bench-delivery-"))
    migrate.upgrade(engine)
    env = {**os.environ, "DATABASE_URL": url, "ECHO_DATA_DIR": str(scratch), "ECHO_BACKUP_ENABLED": "false"}
    worker = subprocess.Popen([sys.executable, "-m", "echo_core", "worker"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    waits: list[float] = []
    try:
        time.sleep(5)  # the worker's start-up (imports, first pass) is not part of the wait
        for n in range(args.sends):
            with Session(engine, expire_on_commit=False) as s:
                deal = make_deal(s)
                draft = make_draft(s, deal=deal, inbound=make_email(s, deal=deal), status="approved")
                sent_at = time.perf_counter()
                send(session=s, draft_id=draft.id, actor=Actor("broker@tandem.space"))
            while True:
                with engine.connect() as conn:
                    status = conn.scalar(text("SELECT status FROM outbox WHERE draft_id = :d"), {"d": draft.id})
                if status == "delivered":
                    break
                time.sleep(0.01)
            waits.append(time.perf_counter() - sent_at)
            print(f"send {n + 1}: delivered after {waits[-1]:.2f} s", flush=True)
            time.sleep(0.37)  # land at different points of the worker's 1 s cycle
    finally:
        worker.terminate()
        worker.wait(timeout=70)
        engine.dispose()
        drop_database(admin, DATABASE)
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"sent → delivered over {len(waits)} sends: min {min(waits):.2f} s, median {statistics.median(waits):.2f} s,"
          f" max {max(waits):.2f} s (worker polling every {get_settings().worker_deliver_seconds:g} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
