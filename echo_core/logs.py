"""Secrets never reach a log: every record is redacted before any handler formats it.

`install_redaction()` (called by the CLI and the dashboard) wraps the log-record factory,
so the message of every record from any library has the configured secrets
(`Settings.secrets()`: OPENAI_API_KEY, IMAP/SMTP passwords, the password in DATABASE_URL)
replaced by `***`; a filter on the existing handlers does the same for exception text.
"""

from __future__ import annotations

import logging
import traceback
from typing import Any

from echo_core.config import get_settings
from echo_core.redact import redact

_installed = False


def _secrets() -> list[str]:
    try:
        return get_settings().secrets()
    except Exception:  # noqa: BLE001 - a broken setting must not break logging itself
        return []


def redact_record(record: logging.LogRecord) -> logging.LogRecord:
    """Format the message now, redacted, so no handler sees the raw arguments."""
    secrets = _secrets()
    if not secrets:
        return record
    try:
        message = record.getMessage()
    except Exception:  # noqa: BLE001 - a malformed record is left to logging's own error path
        return record
    record.msg, record.args = redact(message, secrets), None
    if record.exc_info and not record.exc_text:
        record.exc_text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
    if record.exc_text:
        record.exc_text = redact(record.exc_text, secrets)
    if record.stack_info:
        record.stack_info = redact(record.stack_info, secrets)
    return record


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        redact_record(record)
        return True


def _add_filter(handler: logging.Handler) -> None:
    if not any(isinstance(f, RedactingFilter) for f in handler.filters):
        handler.addFilter(RedactingFilter())


def install_redaction() -> None:
    """Idempotent: redact records as they are made, and on every handler that exists now."""
    global _installed
    if not _installed:
        previous = logging.getLogRecordFactory()

        def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
            record = previous(*args, **kwargs)
            # exc_info is set after creation by Logger.makeRecord; handler filters cover it.
            return redact_record(record) if record.args or record.msg else record

        logging.setLogRecordFactory(factory)
        _installed = True
    loggers = [logging.getLogger(), *(logging.getLogger(name) for name in list(logging.root.manager.loggerDict))]
    for logger in loggers:
        for handler in getattr(logger, "handlers", []):
            _add_filter(handler)
