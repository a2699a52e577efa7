"""`python -m echo_core drafts …` in-process against a committed database: output, exit codes, one-line errors.

(The real-subprocess path is covered by the eight-process send race in test_send_exactly_once.py.)
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from echo_core.cli import main
from echo_core.config import reload_settings
from tests.factories import make_deal, make_deal_space, make_draft, make_email, make_space, make_user
from tests.integration.conftest import Run

BY = ["--by", "broker@tandem.space"]


def new_draft(engine: Engine, *, with_space: bool = True, **overrides: Any) -> int:
    with Session(engine) as session:
        if session.scalar(text("SELECT count(*) FROM users WHERE email = 'broker@tandem.space'")) == 0:
            make_user(session, email="broker@tandem.space", role="broker")  # --by names an active account
        deal = make_deal(session, company_name="Acme Robotics")
        if with_space:
            make_deal_space(session, deal=deal, space=make_space(session, name="Harbor Loft", monthly_rate=12000))
        inbound = make_email(session, deal=deal, subject="Tour on Tuesday?")
        draft = make_draft(session, deal=deal, inbound=inbound, **overrides)
        session.commit()
        return draft.id


def one_line_error(result: tuple[int, str, str], code: int, fragment: str) -> None:
    got, _, err = result
    assert got == code, err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert fragment in err


def test_the_review_path_from_the_command_line(cli: Run, fresh_engine: Engine, tmp_path: Path) -> None:
    draft_id = new_draft(fresh_engine)
    body = tmp_path / "reply.txt"
    body.write_text("Hi! Harbor Loft is dog friendly, parking is $250/month, and Tuesday at 2pm works.\n")

    code, out, _ = cli("drafts", "edit", str(draft_id), *BY, "--body-file", str(body))
    assert code == 0 and f"draft {draft_id}: pending" in out and "fact check: passed" in out
    code, out, _ = cli("drafts", "approve", str(draft_id), *BY)
    assert code == 0 and "approved" in out
    code, out, _ = cli("drafts", "send", str(draft_id), *BY)
    assert code == 0 and "sent" in out and "reply recorded as email" in out

    code, out, _ = cli("drafts", "history", str(draft_id), "--json")
    history = json.loads(out)
    assert [(e["action"], e["from_status"], e["to_status"]) for e in history] == [
        ("edit", "pending", "pending"), ("approve", "pending", "approved"), ("send", "approved", "sent")]
    assert {e["actor"] for e in history} == {"broker@tandem.space"}
    code, out, _ = cli("drafts", "history", str(draft_id))
    assert code == 0 and len(out.strip().splitlines()) == 3 and "approved → sent" in out


def test_refine_use_version_archive_and_restore(cli: Run, fresh_engine: Engine) -> None:
    draft_id = new_draft(fresh_engine)
    code, out, err = cli("drafts", "refine", str(draft_id), *BY, "--prompt", "Shorter, please.")
    assert code == 0, err
    assert "version 1" in out
    assert cli("drafts", "use-version", str(draft_id), "0", *BY)[0] == 0
    code, out, _ = cli("drafts", "archive", str(draft_id), *BY, "--reason", "wrong_tone", "--note", "Too stiff")
    assert code == 0 and "archived" in out
    code, out, _ = cli("drafts", "show", str(draft_id))
    assert "archived by broker@tandem.space" in out and "wrong_tone — Too stiff" in out
    code, out, _ = cli("drafts", "restore", str(draft_id), *BY)
    assert code == 0 and f"draft {draft_id}: pending (version 0" in out


def test_list_and_show_as_text_and_json(cli: Run, fresh_engine: Engine) -> None:
    pending = new_draft(fresh_engine)
    approved = new_draft(fresh_engine, status="approved")
    code, out, _ = cli("drafts", "list", "--status", "approved", "--json")
    rows = json.loads(out)
    assert code == 0 and [r["draft_id"] for r in rows] == [approved]
    code, out, _ = cli("drafts", "list")
    assert code == 0 and "Acme Robotics" in out and str(pending) in out
    code, out, _ = cli("drafts", "show", str(pending), "--json")
    detail = json.loads(out)
    assert (detail["id"], detail["status"], detail["inbound_subject"]) == (pending, "pending", "Tour on Tuesday?")
    assert detail["refinements_left"] == 3 and len(detail["versions"]) == 1
    code, out, _ = cli("drafts", "show", str(pending))
    assert code == 0 and "Parking is $250/month" in out and "refinements left: 3" in out


def test_show_strips_terminal_control_characters_from_untrusted_text(cli: Run, fresh_engine: Engine) -> None:
    draft_id = new_draft(fresh_engine, body="Hello\x1b[2J\x1b]0;pwned\x07 there\nSecond line")
    code, out, _ = cli("drafts", "show", str(draft_id))
    assert code == 0 and "\x1b" not in out and "\x07" not in out
    assert "Hello[2J]0;pwned there\nSecond line" in out


def test_edit_reads_the_body_from_stdin(cli: Run, fresh_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    draft_id = new_draft(fresh_engine)
    monkeypatch.setattr("sys.stdin", io.StringIO("Typed on stdin.\n"))
    assert cli("drafts", "edit", str(draft_id), *BY, "--body-file", "-")[0] == 0
    with fresh_engine.connect() as conn:
        stored = conn.execute(text("SELECT final_body FROM email_drafts WHERE id = :id"), {"id": draft_id})
        assert stored.scalar_one() == "Typed on stdin."


def test_every_refusal_is_one_line_with_its_own_exit_code(
    cli: Run, fresh_engine: Engine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    one_line_error(cli("drafts", "show", "999999"), 10, "Draft 999999 does not exist")
    pending = new_draft(fresh_engine)
    one_line_error(cli("drafts", "send", str(pending), *BY), 11, "approve it before sending")
    one_line_error(cli("drafts", "approve", str(pending), *BY, "--expect-version", "7"), 13,
                   "changed by someone else — reload")
    one_line_error(cli("drafts", "archive", str(pending), *BY, "--reason", "meh"), 2, "not an archive reason")
    one_line_error(cli("drafts", "approve", str(pending), "--by", "bob"), 2, "not an email address")
    (tmp_path / "empty.txt").write_text("  \n")
    one_line_error(cli("drafts", "edit", str(pending), *BY, "--body-file", str(tmp_path / "empty.txt")), 2,
                   "body is empty")
    one_line_error(cli("drafts", "edit", str(pending), *BY, "--body-file", str(tmp_path / "missing.txt")), 2,
                   "Cannot read")
    one_line_error(cli("drafts", "use-version", str(pending), "5", *BY), 2, "no version 5")

    wrong = new_draft(fresh_engine, body="Hi! Harbor Loft rent is $1,000 per month.")
    one_line_error(cli("drafts", "approve", str(wrong), *BY), 15, "fact check failed: Rent at")
    code, out, _ = cli("drafts", "approve", str(wrong), *BY, "--override-validation")
    assert code == 0 and "fact check: failed" in out

    sent = new_draft(fresh_engine, status="approved")
    assert cli("drafts", "send", str(sent), *BY)[0] == 0
    one_line_error(cli("drafts", "send", str(sent), *BY), 12, "already been sent")

    monkeypatch.setenv("ECHO_REFINE_LIMIT", "1")
    reload_settings()
    assert cli("drafts", "refine", str(pending), *BY, "--prompt", "Warmer")[0] == 0
    one_line_error(cli("drafts", "refine", str(pending), *BY, "--prompt", "Warmer"), 14, "next one is possible at")


def test_the_help_documents_the_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    help_text = capsys.readouterr().out
    for line in ("10 record not found", "12 draft already sent", "13 stale write", "14 refinement limit",
                 "15 approval refused"):
        assert line in help_text
    with pytest.raises(SystemExit):
        main(["drafts", "archive", "--help"])
    archive_help = " ".join(capsys.readouterr().out.split())  # argparse wraps lines
    assert "wrong_facts, wrong_tone, duplicate, deal_closed, handled_by_phone, other" in archive_help
