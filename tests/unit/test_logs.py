"""The redacting log filter: configured secrets never reach a log line, tracebacks included."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from echo_core.config import reload_settings
from echo_core.logs import install_redaction

KEY = "sk-test-LOGSECRET-9999"
DB_PASSWORD = "pg-LOGSECRET-9999"


@pytest.fixture
def log(monkeypatch: pytest.MonkeyPatch) -> Iterator[io.StringIO]:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.setenv("DATABASE_URL", f"postgresql://echo:{DB_PASSWORD}@db.internal:5432/echo")
    reload_settings()
    sink = io.StringIO()
    handler = logging.StreamHandler(sink)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    logger = logging.getLogger("echo_core.test_logs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    install_redaction()
    yield sink
    logger.removeHandler(handler)
    monkeypatch.undo()
    reload_settings()


def test_secrets_in_messages_and_arguments_are_replaced(log: io.StringIO) -> None:
    logger = logging.getLogger("echo_core.test_logs")
    logger.info("calling OpenAI with key %s", KEY)
    logger.warning(f"connect to postgresql://echo:{DB_PASSWORD}@db.internal/echo failed")
    out = log.getvalue()
    assert KEY not in out and DB_PASSWORD not in out
    assert out.count("***") == 2 and "calling OpenAI with key ***" in out


def test_secrets_in_tracebacks_are_replaced(log: io.StringIO) -> None:
    try:
        raise RuntimeError(f"auth failed for {KEY}")
    except RuntimeError:
        logging.getLogger("echo_core.test_logs").exception("request failed")
    out = log.getvalue()
    assert "RuntimeError: auth failed for ***" in out and KEY not in out
