"""Issue 15, defects 2 and 6: lost updates outside drafts, and the last-lead rule under concurrency.

Real commits on a database of the test's own (`fresh_engine`), separate sessions and connections,
and for the race real threads released together by a barrier.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from echo_core.db.models import Deal, Space, User
from echo_core.db.models_audit import AuditEntry
from echo_core.errors import EchoError, InvalidInput, PermissionDenied, StaleRecord
from echo_core.permissions import Actor, Role
from echo_core.services import accounts, deals, spaces
from tests.factories import ensure_accounts, make_deal, make_space

BROKER = Actor("broker@tandem.space", Role.BROKER)
OTHER = Actor("other@tandem.space", Role.BROKER)
RUNS = 40


@pytest.fixture
def people(fresh_engine: Engine) -> Engine:
    with Session(fresh_engine) as s:
        ensure_accounts(s, [(BROKER.email, "broker"), (OTHER.email, "broker"), ("lead@tandem.space", "lead")])
        s.commit()
    return fresh_engine


def test_two_brokers_editing_one_space_the_second_save_is_refused_and_the_first_rate_stays(people: Engine) -> None:
    with Session(people) as s:
        space_id = make_space(s, monthly_rate=9000).id
        s.commit()
    with Session(people) as first, Session(people) as second:
        read_first = first.get(Space, space_id)
        read_second = second.get(Space, space_id)
        assert read_first is not None and read_second is not None
        seen_first, seen_second = read_first.lock_version, read_second.lock_version  # both forms show 9000
        spaces.update_space(session=first, space_id=space_id, actor=BROKER, monthly_rate=9500,
                            expected_lock_version=seen_first)
        with pytest.raises(StaleRecord, match=f"Space {space_id} was changed by someone else — reload"):
            spaces.update_space(session=second, space_id=space_id, actor=OTHER, monthly_rate=8000,
                                name="Renamed", expected_lock_version=seen_second)
    with Session(people) as s:
        stored = s.get(Space, space_id)
        assert stored is not None
        assert (stored.monthly_rate, stored.lock_version) == (9500, 2)
        assert stored.name != "Renamed"
        trail = s.scalars(select(AuditEntry).where(AuditEntry.entity == "space", AuditEntry.entity_id == space_id)
                          ).all()
        assert [(e.actor, e.changes) for e in trail] == [
            (BROKER.email, {"monthly_rate": {"from": 9000, "to": 9500}})]


def test_a_stage_change_from_a_stale_deal_page_is_refused(people: Engine) -> None:
    with Session(people) as s:
        deal_id = make_deal(s, stage="inquiry").id
        s.commit()
    with Session(people) as s:
        deals.set_stage(session=s, deal_id=deal_id, stage="touring", actor=BROKER, expected_lock_version=1)
    with Session(people) as s, pytest.raises(StaleRecord, match=f"Deal {deal_id} was changed by someone else"):
        deals.set_stage(session=s, deal_id=deal_id, stage="closed", actor=OTHER, expected_lock_version=1)
    with Session(people) as s:
        assert s.scalar(select(Deal.stage).where(Deal.id == deal_id)) == "touring"


def test_an_account_change_from_a_stale_accounts_page_is_refused(people: Engine) -> None:
    lead = Actor("lead@tandem.space", Role.LEAD)
    with Session(people) as s:
        seen = accounts.set_role(session=s, actor=lead, email=OTHER.email, role="broker").lock_version
        accounts.set_role(session=s, actor=lead, email=OTHER.email, role="analyst", expected_lock_version=seen)
    with Session(people) as s, pytest.raises(StaleRecord, match="changed by someone else — reload"):
        accounts.set_active(session=s, actor=lead, email=OTHER.email, active=False, expected_lock_version=seen)
    with Session(people) as s:
        assert s.scalar(select(User.active).where(User.email == OTHER.email)) is True


def _race(engine: Engine, *calls: Callable[[Session], Any]) -> list[BaseException | None]:
    """Run each call in its own thread and session, all released at once; their exceptions (or None)."""
    barrier = threading.Barrier(len(calls))
    results: list[BaseException | None] = [None] * len(calls)

    def run(index: int, call: Callable[[Session], Any]) -> None:
        with Session(engine) as session:
            session.execute(text("SELECT 1"))  # connected before the barrier: the calls really overlap
            barrier.wait()
            try:
                call(session)
            except BaseException as error:  # noqa: BLE001 - collected and asserted below
                results[index] = error

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _two_leads(engine: Engine, run: int) -> tuple[Actor, Actor]:
    """Exactly two active leads for this run (earlier runs' leads demoted behind the services' back)."""
    a, b = Actor(f"lead-a{run}@tandem.space", Role.LEAD), Actor(f"lead-b{run}@tandem.space", Role.LEAD)
    with Session(engine) as s:
        s.execute(text("UPDATE users SET role = 'broker' WHERE role = 'lead'"))
        ensure_accounts(s, [(a.email, "lead"), (b.email, "lead")])
        s.commit()
    return a, b


def test_two_leads_demoting_or_disabling_each_other_at_once_always_leave_an_active_lead(people: Engine) -> None:
    moves: list[Callable[[Actor, str], Callable[[Session], Any]]] = [
        lambda who, whom: lambda s: accounts.set_role(session=s, actor=who, email=whom, role="broker"),
        lambda who, whom: lambda s: accounts.set_active(session=s, actor=who, email=whom, active=False),
    ]
    refused = 0
    for run in range(RUNS):
        a, b = _two_leads(people, run)
        first, second = moves[run % 2], moves[(run // 2) % 2]
        results = _race(people, first(a, b.email), second(b, a.email))
        with Session(people) as s:
            leads = s.scalar(select(func.count()).select_from(User).where(User.role == "lead", User.active))
        assert leads is not None and leads >= 1, f"run {run}: no active lead left ({results})"
        errors = [e for e in results if e is not None]
        assert len(errors) == 1, f"run {run}: exactly one of the two must be refused, got {results}"
        assert isinstance(errors[0], PermissionDenied | InvalidInput), errors[0]  # one readable line, no deadlock
        refused += isinstance(errors[0], EchoError)
    assert refused == RUNS
