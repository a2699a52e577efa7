"""`python -m echo_core users …` in-process against a committed database."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine, text

from tests.integration.conftest import Run


def stored(engine: Engine, email: str) -> tuple[str, bool, str | None]:
    with engine.connect() as conn:
        row = conn.execute(text("SELECT role, active, password_hash FROM users WHERE email = :e"), {"e": email}).one()
    return row.role, row.active, row.password_hash


def test_add_list_set_role_disable_enable(cli: Run, fresh_engine: Engine) -> None:
    code, out, _ = cli("users", "add", "Maya@Tandem.Space", "--role", "broker", "--password-stdin",
                       stdin="a long pass phrase\n")
    assert (code, out.strip()) == (0, "added maya@tandem.space as broker (password sign-in)")
    role, active, password_hash = stored(fresh_engine, "maya@tandem.space")
    assert (role, active) == ("broker", True) and password_hash and "a long pass phrase" not in password_hash
    assert cli("users", "add", "sso@tandem.space", "--role", "lead")[1].strip() == (
        "added sso@tandem.space as lead (OIDC sign-in only)")
    assert cli("users", "set-role", "maya@tandem.space", "analyst")[1].strip() == "maya@tandem.space is now analyst"
    assert cli("users", "disable", "maya@tandem.space")[1].strip() == "maya@tandem.space disabled"
    code, out, _ = cli("users", "list", "--json")
    listed = {row["email"]: row for row in json.loads(out)}
    assert listed["maya@tandem.space"]["role"] == "analyst" and listed["maya@tandem.space"]["active"] is False
    assert listed["sso@tandem.space"]["password"] is False
    assert "password_hash" not in out and "scrypt" not in out and "argon2" not in out
    assert cli("users", "enable", "maya@tandem.space")[0] == 0
    code, out, _ = cli("users", "list")
    assert "maya@tandem.space" in out and "analyst" in out and "active" in out


def test_set_password_prompts_twice_with_getpass(cli: Run, fresh_engine: Engine,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    cli("users", "add", "leo@tandem.space", "--role", "broker", "--password", "first password")
    before = stored(fresh_engine, "leo@tandem.space")[2]
    answers = iter(["second password", "second password"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    code, out, _ = cli("users", "set-password", "leo@tandem.space")
    assert (code, out.strip()) == (0, "password of leo@tandem.space changed")
    assert stored(fresh_engine, "leo@tandem.space")[2] != before
    answers = iter(["third password", "typo password"])
    code, _, err = cli("users", "set-password", "leo@tandem.space")
    assert code == 2 and "differ" in err


@pytest.mark.parametrize(
    ("args", "code", "fragment"),
    [
        (("users", "add", "bob", "--role", "broker"), 2, "not an email address"),
        (("users", "add", "x@tandem.space", "--role", "broker", "--password", "short"), 2, "at least 10"),
        (("users", "disable", "ghost@tandem.space"), 10, "No account for ghost@tandem.space"),
        (("users", "set-role", "ghost@tandem.space", "lead"), 10, "users add"),
    ],
)
def test_refusals_are_one_line_with_their_exit_code(cli: Run, args: tuple[str, ...], code: int,
                                                    fragment: str) -> None:
    got, _, err = cli(*args)
    assert got == code, err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err and fragment in err
    assert "short" not in err.replace("too short", "")  # the password is never echoed


def test_a_disabled_account_can_no_longer_act_through_by(cli: Run, fresh_engine: Engine) -> None:
    cli("users", "add", "ana@tandem.space", "--role", "broker")
    cli("users", "disable", "ana@tandem.space")
    code, _, err = cli("export", "deals", "--out", "-", "--by", "ana@tandem.space")
    assert code == 30 and "it is disabled" in err
