"""Defect 7 of issue 15 on the command line: every case is one line on stderr naming the fix, a non-zero exit,
and no traceback nor "internal error" — settings that do not parse, bad revisions, non-UTF-8 bodies."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from echo_core.cli import common, main
from echo_core.cli import db as db_cli
from echo_core.config import InvalidSetting, get_settings, reload_settings
from echo_core.db.engine import session_factory
from tests.factories import make_deal, make_draft, make_email, make_user
from tests.hostile import corpus
from tests.integration.test_cli_db import run_cli


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err and "internal error" not in err, err
    return lines[0]


@pytest.fixture
def clean_settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    monkeypatch.setattr(common, "_engine", None)
    monkeypatch.setattr(db_cli, "_owner", None)
    yield monkeypatch
    monkeypatch.undo()
    reload_settings()


@pytest.mark.parametrize(("name", "value"), corpus.BAD_SETTINGS)
def test_a_setting_that_does_not_parse_is_one_line_naming_the_variable_the_value_and_the_form(
    clean_settings: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], name: str, value: str
) -> None:
    clean_settings.setenv(name, value)
    get_settings.cache_clear()
    with pytest.raises(InvalidSetting):
        get_settings()
    assert main(["db", "status"]) == 2
    line = one_line(capsys.readouterr().err)
    assert line.startswith(f"error: The setting {name}=") and ("expected" in line or "port" in line), line
    assert "fix or unset the environment variable" in line
    if "URL" in name:
        assert "SECRETPW" not in line and "db.internal" not in line and "hidden" in line
    else:
        assert repr(value) in line  # the bad value, so the reader sees what they typed


def test_refine_limit_abc_is_one_line_through_the_real_entry_point() -> None:
    result = run_cli("drafts", "list", ECHO_REFINE_LIMIT="abc")
    assert result.returncode == 2
    assert "ECHO_REFINE_LIMIT='abc'" in one_line(result.stderr) and "whole number" in result.stderr


def test_a_database_url_with_a_port_that_is_no_number_is_one_line_without_user_or_password() -> None:
    result = run_cli("db", "status", url="postgresql://echo_admin:hunter22@db.internal:abc/echo")
    line = one_line(result.stderr)
    assert result.returncode == 2 and "DATABASE_URL" in line and "port" in line
    assert "hunter22" not in line and "echo_admin" not in line


@pytest.mark.parametrize("revision", corpus.BAD_REVISIONS)
@pytest.mark.parametrize("command", ["upgrade", "downgrade"])
def test_an_unknown_revision_is_one_line_naming_the_revisions_to_use(
    fresh_db_url: str, clean_settings: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], command: str,
    revision: str
) -> None:
    clean_settings.setenv("DATABASE_URL", fresh_db_url)
    reload_settings()
    assert main(["db", command, revision]) == 2
    line = one_line(capsys.readouterr().err)
    assert "Cannot migrate to" in line and "give head, base or a revision" in line


@pytest.mark.parametrize("body", corpus.NON_UTF8_BODIES)
def test_a_body_that_is_not_utf8_is_refused_in_one_line_and_the_draft_keeps_its_text(
    fresh_db_url: str, clean_settings: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    tmp_path: Path, body: bytes
) -> None:
    clean_settings.setenv("DATABASE_URL", fresh_db_url)
    reload_settings()
    with session_factory(common.engine())() as s:
        make_user(s, email="broker@tandem.space", role="broker")
        deal = make_deal(s)
        draft = make_draft(s, deal=deal, inbound=make_email(s, deal=deal), body="The original reply.")
        s.commit()
        draft_id = draft.id
    file = tmp_path / "body.txt"
    file.write_bytes(body)
    assert main(["drafts", "edit", str(draft_id), "--by", "broker@tandem.space", "--body-file", str(file)]) == 2
    assert "is not UTF-8 text" in one_line(capsys.readouterr().err)

    class Stdin(io.TextIOWrapper):
        pass

    clean_settings.setattr("sys.stdin", Stdin(io.BytesIO(body), encoding="utf-8"))
    assert main(["drafts", "edit", str(draft_id), "--by", "broker@tandem.space", "--body-file", "-"]) == 2
    assert "stdin is not UTF-8 text" in one_line(capsys.readouterr().err)
    with session_factory(common.engine())() as s:
        from echo_core.db.models import EmailDraft

        assert s.get(EmailDraft, draft_id).final_body == "The original reply."  # type: ignore[union-attr]


def test_invalid_utf8_on_stdin_is_one_line_through_the_real_entry_point(
    fresh_db_url: str, fresh_engine: Engine
) -> None:
    with session_factory(fresh_engine)() as s:
        make_user(s, email="broker@tandem.space", role="broker")
        s.commit()
    import subprocess
    import sys

    from echo_core.config import PROJECT_ROOT

    result = subprocess.run([sys.executable, "-m", "echo_core", "drafts", "edit", "1", "--by", "broker@tandem.space",
                             "--body-file", "-"], input=b"\xff\xfa\xc3\x28", capture_output=True, cwd=PROJECT_ROOT,
                            env={**__import__("os").environ, "DATABASE_URL": fresh_db_url}, timeout=120)
    assert result.returncode == 2
    assert "stdin is not UTF-8 text" in one_line(result.stderr.decode())


def test_a_utf8_body_with_a_bom_is_read_without_it() -> None:
    from echo_core.cli.drafts import decode_body

    assert decode_body(b"\xef\xbb\xbfHello", "f") == "Hello"
    assert decode_body("Grüße".encode("utf-16"), "f") == "Grüße"
