"""`serve`: the dashboard and the worker together (what `make run` runs); Ctrl+C stops both."""

from __future__ import annotations

import argparse
from typing import Any


def register(groups: Any) -> None:
    parser = groups.add_parser("serve", help="run the dashboard and the worker together (Ctrl+C stops both)")
    parser.add_argument("--port", type=int, default=8501, help="the dashboard's port (default 8501)")
    parser.add_argument("--address", default=None, help="the address to listen on (default: Streamlit's)")
    parser.add_argument("--no-worker", action="store_true", help="the dashboard only")
    parser.set_defaults(handler=_serve)


def _serve(args: argparse.Namespace) -> int:
    from echo_core.errors import InvalidInput
    from echo_core.worker.launcher import Launcher, commands

    if not 0 < args.port < 65536:
        raise InvalidInput("--port must be between 1 and 65535.")
    launcher = Launcher(commands(port=args.port, address=args.address, worker=not args.no_worker))
    return launcher.run()
