"""The hostile corpus through the CLI, with secrets configured: one-line refusals or exact storage,
inert exports, and no secret in any output, exported file or log line."""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from echo_core.cli import common, main
from echo_core.config import get_settings, reload_settings
from echo_core.db.models import EmailDraft
from echo_core.export import FORMULA_PREFIXES
from echo_core.logs import install_redaction
from tests.factories import make_deal, make_draft, make_email, make_user
from tests.hostile import corpus

SECRETS = {
    "OPENAI_API_KEY": "sk-test-OPENAISECRET-4242",
    "ECHO_SMTP_PASSWORD": "smtp-SECRET-pw-4242",
    "ECHO_IMAP_PASSWORD": "imap-SECRET-pw-4242",
    "ECHO_SMTP_URL": "smtp://mailer:smtpurl-SECRET-4242@127.0.0.1:1",
}
DB_PASSWORD = "db-SECRET-pw-4242"  # the embedded server trusts local connections, so any password works
Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def seen() -> list[str]:
    """Every output, file and log line of the test, to grep for secrets at the end."""
    return []


@pytest.fixture
def cli(fresh_db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        seen: list[str]) -> Iterator[Run]:
    url = make_url(fresh_db_url).set(password=DB_PASSWORD).render_as_string(hide_password=False)
    monkeypatch.setenv("DATABASE_URL", url)
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("ECHO_PROVIDER", "offline")
    monkeypatch.setattr(common, "_engine", None)
    reload_settings()
    log = io.StringIO()
    handler = logging.StreamHandler(log)
    logging.getLogger().addHandler(handler)
    logging.getLogger().setLevel(logging.INFO)

    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main(list(args))
        out, err = capsys.readouterr()
        seen.extend([out, err])
        return code, out, err

    yield run
    install_redaction()
    logging.getLogger("echo_core.test").error("connecting with %s failed", url)  # a careless log line
    handler.flush()
    seen.append(log.getvalue())
    logging.getLogger().removeHandler(handler)
    if common._engine is not None:
        common._engine.dispose()
    assert set(get_settings().secrets()) >= {SECRETS["OPENAI_API_KEY"], SECRETS["ECHO_SMTP_PASSWORD"],
                                             SECRETS["ECHO_IMAP_PASSWORD"], "smtpurl-SECRET-4242"}
    everything = "\n".join(seen)
    for secret in [*SECRETS.values(), DB_PASSWORD, "smtpurl-SECRET-4242"]:
        assert secret not in everything, f"{secret} leaked"
    assert "connecting with" in log.getvalue() and "***" in log.getvalue()
    monkeypatch.undo()
    reload_settings()


def one_line(err: str) -> None:
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, err


def test_hostile_bodies_through_drafts_edit(cli: Run, fresh_engine: Engine, tmp_path: Path,
                                           seen: list[str]) -> None:
    with Session(fresh_engine) as session:
        make_user(session, email="broker@tandem.space", role="broker")
        draft_id = make_draft(session).id
        session.commit()
    files = [p.encode("utf-8") for p in [*corpus.TEXTS, corpus.BIG_BODY]] + corpus.BAD_FILE_BYTES
    stored = ""
    for i, raw in enumerate(files):
        body = tmp_path / f"body{i}.txt"
        body.write_bytes(raw)
        code, out, err = cli("drafts", "edit", str(draft_id), "--by", "broker@tandem.space", "--body-file", str(body))
        try:
            # A body file is read as text: line endings become \n (universal newlines), nothing else changes.
            expected = raw.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n").strip()
        except UnicodeDecodeError:
            assert code == 2 and "not UTF-8 text" in err, err
            continue
        if code == 0:
            with Session(fresh_engine) as session:
                assert session.scalar(select(EmailDraft.final_body).where(EmailDraft.id == draft_id)) == expected
            stored = expected
        else:
            assert code == 2, err
            one_line(err)
            unchanged = expected == stored and "unchanged" in err  # the same text again is not an edit
            assert not expected or "\x00" in expected or len(expected) > 20_000 or unchanged
    code, out, _ = cli("drafts", "show", str(draft_id))
    assert code == 0


def test_hostile_emails_roles_and_dates_are_one_line_refusals(cli: Run, fresh_engine: Engine) -> None:
    for payload in corpus.TEXTS:
        if not payload.strip():
            continue
        code, _, err = cli("users", "add", "--role", "broker", "--", payload)  # "--": "-2+3" is a value
        assert code == 2, (payload, err)
        one_line(err)
        code, _, err = cli("export", "deals", f"--since={payload}", "--out", "-", "--by", "x@tandem.space")
        assert code == 2 and "--since must be a date" in err, err
        one_line(err)


def test_hostile_mail_and_a_hostile_export_file(cli: Run, fresh_engine: Engine, tmp_path: Path,
                                               seen: list[str]) -> None:
    with Session(fresh_engine) as session:
        make_user(session, email="ana@tandem.space", role="analyst")
        deal = make_deal(session, company_name="=HYPERLINK(\"http://evil.example\")")
        for payload in corpus.TEXTS:
            if "\x00" not in payload:
                make_email(session, deal=deal, body=payload, subject=payload[:200])
        session.commit()
    for i, raw in enumerate(corpus.RAW_MAIL):
        mail = tmp_path / f"m{i}.eml"
        mail.write_bytes(raw)
        code, _, err = cli("mail", "ingest", str(mail))
        assert code in (0, 40), err
        assert "Traceback" not in err
    out_file = tmp_path / "emails.csv"
    code, _, err = cli("export", "emails", "--out", str(out_file), "--by", "ana@tandem.space")
    assert code == 0, err
    exported = out_file.read_text(encoding="utf-8")
    seen.append(exported)
    for row in csv.reader(io.StringIO(exported)):
        for value in row:  # a formula-looking cell is either a real number or quoted
            assert not value.startswith(FORMULA_PREFIXES) or value.lstrip("-").replace(".", "").isdigit(), value
    code, _, err = cli("export", "deals", "--out", "-", "--by", "ana@tandem.space")
    assert code == 0 and "'=HYPERLINK" in seen[-2]


def test_an_unreachable_database_names_the_server_without_its_password(
    cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"postgresql://echo:{DB_PASSWORD}@127.0.0.1:1/echo")
    monkeypatch.setattr(common, "_engine", None)
    reload_settings()
    code, _, err = cli("drafts", "list")
    assert code == 3 and "Cannot reach PostgreSQL at" in err and "***" in err, err
    one_line(err)


def test_the_database_url_password_is_not_in_db_status(cli: Run) -> None:
    code, out, err = cli("db", "status")
    assert code == 0, err
    assert "***" in out or "postgres" in out
