"""Helpers shared by the command groups."""

from __future__ import annotations

import argparse
import json
from typing import Any

from sqlalchemy import Engine

from echo_core.bootstrap import ensure_ready
from echo_core.db.engine import make_engine
from echo_core.redact import neutralise_json

_engine: Engine | None = None


def engine(*, ready: bool = True) -> Engine:
    """The process's engine; `ready` migrates/seeds the embedded default or checks an external schema."""
    global _engine
    if _engine is None:
        _engine = make_engine()
        if ready:
            ensure_ready(_engine)
    return _engine


def print_json(value: Any) -> None:
    """JSON as UTF-8, with hidden or reordering controls in every string shown as markers like `[U+202E]`."""
    print(json.dumps(neutralise_json(value), indent=2, default=str, ensure_ascii=False))


def add_json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print machine-readable JSON")
