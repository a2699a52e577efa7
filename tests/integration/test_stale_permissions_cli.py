"""Issue 15, defect 1 on the command line: every write command that acts `--by` an account.

A disabled account is refused up front (exit 30, one line, nothing written). And when the account is
disabled or demoted after the command resolved `--by` (a long script, a slow model call), the service's
own re-read refuses: simulated by making the command's resolution return the Actor as it was.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from echo_core.db.models import Base
from echo_core.permissions import Actor, Role
from tests.factories import make_user
from tests.integration.conftest import Run
from tests.integration.test_permissions import World, build_world

COMMANDS: dict[str, Callable[[World], list[str]]] = {
    "drafts approve": lambda w: ["drafts", "approve", str(w.pending), "--override-validation"],
    "drafts edit": lambda w: ["drafts", "edit", str(w.pending), "--body-file", "-"],
    "drafts refine": lambda w: ["drafts", "refine", str(w.pending), "--prompt", "Warmer"],
    "drafts use-version": lambda w: ["drafts", "use-version", str(w.pending), "0"],
    "drafts send": lambda w: ["drafts", "send", str(w.approved)],
    "drafts archive": lambda w: ["drafts", "archive", str(w.pending), "--reason", "duplicate"],
    "drafts restore": lambda w: ["drafts", "restore", str(w.archived)],
    "drafts generate": lambda w: ["drafts", "generate", "--email-id", str(w.email)],
    "drafts validate": lambda w: ["drafts", "validate", str(w.pending)],
    "mail retry": lambda w: ["mail", "retry", str(w.outbox)],
}
BROKER = "stale.broker@tandem.space"


def fingerprint(engine: Engine) -> dict[str, str]:
    with engine.connect() as conn:
        return {t.name: conn.scalar(text(f'SELECT md5(coalesce(string_agg(x::text, \'|\' ORDER BY x::text), \'\')) '
                                         f'FROM "{t.name}" x')) or "" for t in Base.metadata.sorted_tables}


def _world(engine: Engine, *, active: bool, role: str) -> World:
    with Session(engine) as s:
        make_user(s, email=BROKER, role=role, active=active)
        world = build_world(s)
        s.commit()
    return world


@pytest.mark.parametrize("name", list(COMMANDS))
def test_a_disabled_account_named_by_by_is_refused_with_exit_30_and_nothing_is_written(
    name: str, cli: Run, fresh_engine: Engine
) -> None:
    world = _world(fresh_engine, active=False, role="broker")
    before = fingerprint(fresh_engine)
    code, _, err = cli(*COMMANDS[name](world), "--by", BROKER, stdin="New text.")
    assert code == 30 and len(err.strip().splitlines()) == 1 and "disabled" in err, err
    assert fingerprint(fresh_engine) == before


@pytest.mark.parametrize("change", ["disabled", "demoted"])
@pytest.mark.parametrize("name", list(COMMANDS))
def test_an_account_changed_after_by_was_resolved_is_refused_by_the_service(
    name: str, change: str, cli: Run, fresh_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = _world(fresh_engine, active=change != "disabled", role="analyst" if change == "demoted" else "broker")
    stale = Actor(BROKER, Role.BROKER)  # what `--by` resolved to before the change
    for target in ("echo_core.services.actors.resolve_actor", "echo_core.cli.drafts.resolve_actor"):
        monkeypatch.setattr(target, lambda session, email: stale)
    monkeypatch.setattr("sys.stdin", io.StringIO("New text."))
    before = fingerprint(fresh_engine)
    code, _, err = cli(*COMMANDS[name](world), "--by", BROKER)
    assert code == 30 and len(err.strip().splitlines()) == 1, err
    assert ("disabled" if change == "disabled" else "signed in as analyst") in err
    assert fingerprint(fresh_engine) == before
