"""Soft presence: who else has a draft open right now, so two brokers don't work it unknowingly.

The open draft's page calls `heartbeat` when it opens the draft and then every few seconds (at most
every TTL / 3); a person whose last heartbeat is older than TTL has left. Nothing needs to run for
that: readers ignore stale rows, and heartbeats now and then delete rows long gone.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import case, delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from echo_core.db.durability import commit_without_flush_wait
from echo_core.db.models import DraftPresence, EmailDraft
from echo_core.errors import DraftNotFound, InvalidInput
from echo_core.permissions import Actor
from echo_core.services.accounts import active_actor

TTL = timedelta(seconds=60)
HEARTBEAT_EVERY = timedelta(seconds=15)  # what the page should use: several beats fit in one TTL
FRESH_BEAT = timedelta(seconds=5)  # a beat on the same draft this recent need not be written again
PURGE_AFTER = timedelta(hours=1)
PURGE_CHANCE = 0.02


@dataclass(frozen=True)
class Viewer:
    email: str
    opened_at: datetime
    seen_at: datetime


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


def _check(draft_id: int) -> int:
    if not isinstance(draft_id, int) or isinstance(draft_id, bool) or not 0 < draft_id < 2**31:
        raise InvalidInput(f"'{str(draft_id)[:20]}' is not a draft number.")
    return draft_id


def beat_due(last: tuple[int, float] | None, draft_id: int, now: float) -> bool:
    """Whether the page must write a beat: `last` is (draft, monotonic seconds) of its last written beat.

    Approving and then sending a draft reruns its panel twice in a few seconds; each run reads who else is there,
    but a beat written seconds ago keeps the row fresh for TTL, so they need not write one (a commit) each."""
    return last is None or last[0] != draft_id or not 0 <= now - last[1] < FRESH_BEAT.total_seconds()


def heartbeat(*, session: Session, draft_id: int, actor: Actor, left: int | None = None,
              now: datetime | None = None) -> None:
    """`actor` has the draft open now (first beat sets opened_at; a beat after a lapse starts anew); commits.

    `left`: the draft the actor had open before this one, left in the same transaction (one commit per opened
    draft, not two). NoActiveAccount if the account is disabled meanwhile (the page's fragment keeps beating
    between clicks).
    """
    now = _now(now)
    _check(draft_id)
    if left is not None:
        _check(left)
    commit_without_flush_wait(session)  # a beat lost in a crash is the next beat's job anyway
    active_actor(session, actor.email)  # a disabled account's open tab stops showing up at once
    if session.scalar(select(EmailDraft.id).where(EmailDraft.id == draft_id)) is None:
        session.rollback()
        raise DraftNotFound(draft_id)
    if left is not None and left != draft_id:
        session.execute(delete(DraftPresence).where(DraftPresence.draft_id == left, DraftPresence.actor == actor.email))
    statement = insert(DraftPresence).values(draft_id=draft_id, actor=actor.email, opened_at=now, seen_at=now)
    fresh = statement.excluded
    lapsed = DraftPresence.seen_at < fresh.seen_at - TTL  # the existing row: gone since, so a new visit
    session.execute(statement.on_conflict_do_update(
        index_elements=[DraftPresence.draft_id, DraftPresence.actor],
        set_={"seen_at": fresh.seen_at, "opened_at": case((lapsed, fresh.opened_at), else_=DraftPresence.opened_at)},
    ))
    if random.random() < PURGE_CHANCE:  # noqa: S311 - not security: spreads the clean-up over beats
        session.execute(delete(DraftPresence).where(DraftPresence.seen_at < now - PURGE_AFTER))
    session.commit()


def leave(*, session: Session, draft_id: int, actor: Actor) -> None:
    """`actor` closed the draft (opened another one, signed out); commits."""
    commit_without_flush_wait(session)  # lost in a crash, the row simply ages out after TTL
    session.execute(delete(DraftPresence).where(DraftPresence.draft_id == _check(draft_id),
                                                DraftPresence.actor == actor.email))
    session.commit()


def others(*, session: Session, draft_id: int, actor: Actor, now: datetime | None = None) -> list[Viewer]:
    """Everyone but `actor` whose heartbeat on the draft is younger than TTL, earliest opener first."""
    rows = session.execute(
        select(DraftPresence.actor, DraftPresence.opened_at, DraftPresence.seen_at)
        .where(DraftPresence.draft_id == _check(draft_id), DraftPresence.actor != actor.email,
               DraftPresence.seen_at >= _now(now) - TTL)
        .order_by(DraftPresence.opened_at, DraftPresence.actor)
    ).all()
    return [Viewer(email=r.actor, opened_at=r.opened_at, seen_at=r.seen_at) for r in rows]
