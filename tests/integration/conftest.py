"""Fixtures shared by the integration tests."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator

import pytest

from echo_core.cli import common, main
from echo_core.config import reload_settings
from tests.openai_standin import fake_openai  # noqa: F401 - the stand-in server fixture

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def cli(fresh_db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Iterator[Run]:
    """`python -m echo_core …` run in-process against a committed database: `cli(*args, stdin=None)`
    returns (exit code, stdout, stderr)."""
    monkeypatch.setenv("DATABASE_URL", fresh_db_url)
    monkeypatch.setattr(common, "_engine", None)
    reload_settings()

    def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
        if stdin is not None:
            monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        capsys.readouterr()
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    yield run
    if common._engine is not None:
        common._engine.dispose()
    monkeypatch.undo()
    reload_settings()
