"""`python -m echo_core GROUP COMMAND …`: every failure is one line on stderr and a distinct exit code."""

from __future__ import annotations

import argparse
import importlib
import os
import re
import sys
from collections.abc import Sequence

from pydantic import ValidationError

from echo_core.config import get_settings
from echo_core.errors import EchoError
from echo_core.redact import redact

# Each module registers one command group with `register(subparsers)`.
GROUPS = ["db", "export", "mail", "drafts", "eval", "bench", "users", "audit", "worker", "serve"]

EXIT_CODES = """exit codes:
  0  success
  1  unexpected internal error
  2  invalid input or a missing --yes
  3  database unreachable
  4  schema not migrated or drifted
  10 record not found
  11 action not allowed in the draft's current status
  12 draft already sent
  13 stale write: someone else changed the draft, deal, space or account (reload)
  14 refinement limit reached (the message says when it lifts)
  15 approval refused: the fact check failed (fix the text or --override-validation)
  20 generation failed (LLM timeout or bad answer; nothing stored)
  30 permission denied
  40 mail error (unreadable mail, IMAP/SMTP server unreachable or refused)
  50 backup failed, or a backup did not verify
  51 no worker on this host has reported recently (worker --check)
"""


def one_line(message: str) -> str:
    """The message on one line, control characters shown as escapes (a quoted input may hold \\r or ANSI codes)."""
    return re.sub(r"[\x00-\x1f\x7f]", lambda m: " " if m.group() in "\r\n\t" else f"\\x{ord(m.group()):02x}", message)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m echo_core",
        description="Echo Alpha command line.",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    groups = parser.add_subparsers(dest="group", required=True, metavar="GROUP")
    for name in GROUPS:
        importlib.import_module(f"echo_core.cli.{name}").register(groups)
    return parser


def _secrets() -> list[str]:
    try:
        return get_settings().secrets()
    except EchoError:  # the settings themselves do not parse: their message already hides secret values
        return []


def main(argv: Sequence[str] | None = None) -> int:
    from echo_core.logs import install_redaction

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        install_redaction()
        result: int = args.handler(args)
        return result
    except EchoError as error:
        print(f"error: {one_line(redact(str(error), _secrets()))}", file=sys.stderr)
        return error.exit_code
    except ValidationError as error:
        if error.title != "Settings":
            return _internal_error(error)
        first = error.errors()[0]  # a setting from the environment that does not parse
        name = ".".join(str(p) for p in first.get("loc", ())) or "a setting"
        print(f"error: invalid setting {name}: {one_line(str(first.get('msg', '')))[:200]} — fix the environment "
              "variable", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # noqa: BLE001 - the last line of defence: never a traceback
        return _internal_error(error)


def _internal_error(error: Exception) -> int:
    if os.environ.get("ECHO_DEBUG"):
        raise error
    message = one_line(redact(str(error).splitlines()[0] if str(error) else "", _secrets()))
    print(f"internal error ({type(error).__name__}): {message[:300]} — rerun with ECHO_DEBUG=1 for details",
          file=sys.stderr)
    return 1
