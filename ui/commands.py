"""Every dashboard action, one typed function each: the session, the service call, the error, the caches.

A page calls one command per button. The command opens the session, calls the echo_core
service, shows a refusal as one `st.error` line (the named exception's message, markdown
escaped), clears exactly what the change table (ui/changes.py) lists, queues the
confirmation toast, and returns an `Outcome`. Pages never open sessions for writes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from echo_core import presence
from echo_core.db.engine import session_factory
from echo_core.db.models import Deal, DealSpace, EmailDraft, Space
from echo_core.errors import EchoError, InvalidTransition, StaleDraft, StaleRecord
from echo_core.mail.ingest import IngestReport
from echo_core.permissions import Actor
from echo_core.services import accounts, deals, drafts, ownership, spaces
from ui import flash, text
from ui.changes import Change, Scope, apply
from ui.formatting import article

T = TypeVar("T")
Expect = int  # the lock_version the broker read


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What a command did: its value, or the refusal it showed."""

    value: T | None = None
    error: EchoError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def _run(engine: Engine, work: Callable[[Session], T], *, change: Change | None,
         scope: Callable[[T], Scope] = lambda _: Scope(), done: Callable[[T], str] | None = None,
         quiet: bool = False, moved: Scope | None = None) -> Outcome[T]:
    """`moved`: the record to re-read when the refusal says it changed meanwhile (stale, sent, archived):
    its caches are cleared as for `change`, so the page shows what someone else saved."""
    try:
        with session_factory(engine)() as session:
            value = work(session)
    except EchoError as error:
        if not quiet:
            text.error(error)
        if moved is not None and isinstance(error, StaleDraft | InvalidTransition | StaleRecord):
            apply(engine, change or Change.DRAFT_CHANGED, moved)
        return Outcome(error=error)
    if change is not None:
        apply(engine, change, scope(value))
    if done is not None:
        flash.later(done(value))
    return Outcome(value=value)


def _draft_scope(draft: EmailDraft) -> Scope:
    return Scope(draft_id=draft.id, deal_id=draft.deal_id)


# --- drafts ------------------------------------------------------------------------------


def save_edit(engine: Engine, *, draft_id: int, body: str, expect_version: Expect, actor: Actor,
              quiet: bool = False) -> Outcome[EmailDraft]:
    return _run(engine, lambda s: drafts.edit(session=s, draft_id=draft_id, actor=actor, body=body,
                                              expected_lock_version=expect_version),
                moved=Scope(draft_id=draft_id), change=Change.DRAFT_CHANGED, scope=_draft_scope,
                done=lambda d: f"Saved — draft #{d.id} is now version {d.current_version} (your hand edit).",
                quiet=quiet)


def approve(engine: Engine, *, draft_id: int, body: str, expect_version: Expect, actor: Actor,
            override: bool = False, quiet: bool = False) -> Outcome[EmailDraft]:
    """Approve the text in the editor (saving it first when it changed). `quiet`: the caller shows a refusal."""
    return _run(engine, lambda s: drafts.approve(session=s, draft_id=draft_id, actor=actor, body=body,
                                                 expected_lock_version=expect_version,
                                                 override_failed_validation=override),
                moved=Scope(draft_id=draft_id), change=Change.DRAFT_CHANGED, scope=_draft_scope,
                done=lambda d: f"Draft #{d.id} approved.", quiet=quiet)


def approve_and_send(engine: Engine, *, draft_id: int, body: str, expect_version: Expect, actor: Actor,
                     override: bool = False, quiet: bool = False) -> Outcome[EmailDraft]:
    """Send exactly the text in the editor: saved and approved first when needed."""
    return _run(engine, lambda s: drafts.approve_and_send(session=s, draft_id=draft_id, actor=actor, body=body,
                                                          expected_lock_version=expect_version,
                                                          override_failed_validation=override),
                moved=Scope(draft_id=draft_id), change=Change.DRAFT_SENT, scope=_draft_scope,
                done=lambda d: f"Draft #{d.id} sent as email #{d.sent_email_id}.", quiet=quiet)


def archive(engine: Engine, *, draft_id: int, reason: str, note: str | None, expect_version: Expect,
            actor: Actor, quiet: bool = False) -> Outcome[EmailDraft]:
    return _run(engine, lambda s: drafts.archive(session=s, draft_id=draft_id, actor=actor, reason=reason, note=note,
                                                 expected_lock_version=expect_version),
                moved=Scope(draft_id=draft_id), change=Change.DRAFT_CHANGED, scope=_draft_scope,
                done=lambda d: f"Draft #{d.id} archived.", quiet=quiet)


def restore(engine: Engine, *, draft_id: int, expect_version: Expect, actor: Actor) -> Outcome[EmailDraft]:
    return _run(engine, lambda s: drafts.restore(session=s, draft_id=draft_id, actor=actor,
                                                 expected_lock_version=expect_version),
                moved=Scope(draft_id=draft_id), change=Change.DRAFT_CHANGED, scope=_draft_scope,
                done=lambda d: f"Draft #{d.id} restored ({d.status}).")


def use_version(engine: Engine, *, draft_id: int, version: int, expect_version: Expect,
                actor: Actor) -> Outcome[EmailDraft]:
    return _run(engine, lambda s: drafts.use_version(session=s, draft_id=draft_id, actor=actor, version=version,
                                                     expected_lock_version=expect_version),
                moved=Scope(draft_id=draft_id), change=Change.DRAFT_CHANGED, scope=_draft_scope,
                done=lambda d: f"Draft #{d.id} now uses version {d.current_version}.")


def refine(engine: Engine, *, draft_id: int, prompt: str, expect_version: Expect, actor: Actor) -> Outcome[EmailDraft]:
    return _run(engine, lambda s: drafts.refine(session=s, draft_id=draft_id, actor=actor, prompt=prompt,
                                                expected_lock_version=expect_version),
                moved=Scope(draft_id=draft_id), change=Change.DRAFT_CHANGED, scope=_draft_scope,
                done=lambda d: f"Draft #{d.id} refined — version {d.current_version}.")


def draft_reply(engine: Engine, *, deal_id: int, actor: Actor) -> Outcome[int | None]:
    """Draft a reply to the deal's latest unanswered email; None when every email has one."""
    from echo_core.services import generation  # lazily: loads the generation pipeline only when asked

    def work(session: Session) -> int | None:
        email_id = generation.latest_unanswered_inbound(session, deal_id)
        return None if email_id is None else generation.generate_draft(session=session, inbound_email_id=email_id,
                                                                        actor=actor)

    return _run(engine, work, change=Change.DRAFT_CREATED, scope=lambda _: Scope(deal_id=deal_id))


def heartbeat(engine: Engine, *, draft_id: int, actor: Actor, left: int | None = None,
              record_opened: bool = False) -> Outcome[list[presence.Viewer]]:
    """`actor` has the draft open; returns who else does (soft presence, no toast).

    Opening a draft is one session, not three (issue 13: the click's server time): leaving `left`, the beat, and
    with `record_opened` the mark that review began (a refusal of that mark is not the broker's concern)."""
    recorded: list[bool] = []

    def work(session: Session) -> list[presence.Viewer]:
        presence.heartbeat(session=session, draft_id=draft_id, actor=actor, left=left)
        viewers = presence.others(session=session, draft_id=draft_id, actor=actor)
        if record_opened:
            try:
                recorded.append(drafts.record_opened(session=session, draft_id=draft_id, actor=actor))
            except EchoError:
                pass  # quiet, as the beat: the draft panel shows the draft's own state
        return viewers

    outcome = _run(engine, work, change=None, quiet=True)
    if any(recorded):
        apply(engine, Change.DRAFT_OPENED, Scope(draft_id=draft_id))
    return outcome


def present(engine: Engine, *, draft_id: int, actor: Actor) -> Outcome[list[presence.Viewer]]:
    """Who else has the draft open, without a beat (see presence.beat_due)."""
    return _run(engine, lambda s: presence.others(session=s, draft_id=draft_id, actor=actor), change=None, quiet=True)


def leave(engine: Engine, *, draft_id: int, actor: Actor) -> Outcome[None]:
    return _run(engine, lambda s: presence.leave(session=s, draft_id=draft_id, actor=actor), change=None, quiet=True)


# --- deals and spaces ------------------------------------------------------------------------


def assign_to_me(engine: Engine, *, deal_id: int, expected_owner: str | None, actor: Actor) -> Outcome[str]:
    return _run(engine, lambda s: ownership.assign_deal(session=s, deal_id=deal_id, actor=actor,
                                                        expected_owner_email=expected_owner),
                change=Change.DEAL_OWNER, scope=lambda _: Scope(deal_id=deal_id),
                done=lambda owner: f"Deal #{deal_id} is now assigned to {owner}.")


def set_stage(engine: Engine, *, deal_id: int, stage: str, expect_version: Expect, actor: Actor) -> Outcome[Deal]:
    return _run(engine, lambda s: deals.set_stage(session=s, deal_id=deal_id, stage=stage, actor=actor,
                                                  expected_lock_version=expect_version),
                moved=Scope(deal_id=deal_id), change=Change.DEAL_STAGE, scope=lambda _: Scope(deal_id=deal_id),
                done=lambda _: f"Deal #{deal_id} moved to {stage}.")


def link_space(engine: Engine, *, deal_id: int, space_id: int, actor: Actor) -> Outcome[DealSpace]:
    return _run(engine, lambda s: deals.link_space(session=s, deal_id=deal_id, space_id=space_id, actor=actor),
                change=Change.DEAL_SPACES, scope=lambda _: Scope(deal_id=deal_id, space_id=space_id),
                done=lambda _: f"Space #{space_id} added to deal #{deal_id}.")


def set_space_status(engine: Engine, *, deal_id: int, space_id: int, status: str, actor: Actor,
                     expected_status: str | None = None) -> Outcome[DealSpace]:
    return _run(engine, lambda s: deals.set_deal_space_status(session=s, deal_id=deal_id, space_id=space_id,
                                                              status=status, actor=actor,
                                                              expected_status=expected_status),
                moved=Scope(deal_id=deal_id, space_id=space_id), change=Change.DEAL_SPACES,
                scope=lambda _: Scope(deal_id=deal_id, space_id=space_id),
                done=lambda _: f"Space #{space_id} is now {status} on deal #{deal_id}.")


def create_deal(engine: Engine, *, actor: Actor, fields: dict[str, Any]) -> Outcome[Deal]:
    return _run(engine, lambda s: deals.create_deal(session=s, actor=actor, **fields),
                change=Change.DEAL_CREATED, scope=lambda d: Scope(deal_id=d.id),
                done=lambda d: f"Deal #{d.id} created.")


def save_space(engine: Engine, *, actor: Actor, space_id: int | None, fields: Callable[[], dict[str, Any]],
               expect_version: Expect | None = None) -> Outcome[Space]:
    """Add a space (`space_id` None) or edit the one the form read at `expect_version`; `fields` parses
    the form (its errors are shown too)."""
    def work(session: Session) -> Space:
        values = fields()
        if space_id is None:
            return spaces.create_space(session=session, actor=actor, **values)
        return spaces.update_space(session=session, space_id=space_id, actor=actor,
                                   expected_lock_version=expect_version, **values)

    return _run(engine, work, change=Change.SPACE_SAVED, moved=Scope(space_id=space_id),
                scope=lambda sp: Scope(space_id=sp.id),
                done=lambda sp: f"Space #{sp.id} saved.")


# --- accounts and mail -----------------------------------------------------------------------


def create_account(engine: Engine, *, actor: Actor, email: str, role: str, password: str | None) -> Outcome[Any]:
    return _run(engine, lambda s: accounts.create_account(session=s, actor=actor, email=email, role=role,
                                                          password=password),
                change=None, done=lambda a: f"{a.email} added as {article(a.role.value)}.")


def set_role(engine: Engine, *, actor: Actor, email: str, role: str, expect_version: Expect | None = None
             ) -> Outcome[Any]:
    return _run(engine, lambda s: accounts.set_role(session=s, actor=actor, email=email, role=role,
                                                    expected_lock_version=expect_version),
                change=None, done=lambda a: f"{a.email} is now {article(a.role.value)}.")


def set_active(engine: Engine, *, actor: Actor, email: str, active: bool, expect_version: Expect | None = None
               ) -> Outcome[Any]:
    return _run(engine, lambda s: accounts.set_active(session=s, actor=actor, email=email, active=active,
                                                      expected_lock_version=expect_version),
                change=None, done=lambda a: f"{a.email} {'enabled' if active else 'disabled'}.")


def set_password(engine: Engine, *, actor: Actor, email: str, password: str, expect_version: Expect | None = None
                 ) -> Outcome[Any]:
    return _run(engine, lambda s: accounts.set_password(session=s, actor=actor, email=email, password=password,
                                                        expected_lock_version=expect_version),
                change=None, done=lambda a: f"Password of {a.email} changed.")


def ingest_mail(engine: Engine, *, actor: Actor, uploads: list[tuple[str, bytes]]) -> Outcome[IngestReport]:
    from echo_core.mail.ingest import ingest_uploads

    return _run(engine, lambda s: ingest_uploads(session=s, uploads=uploads, actor=actor),
                change=Change.MAIL_INGESTED)


def retry_delivery(engine: Engine, *, actor: Actor, outbox_id: int) -> Outcome[Any]:
    from echo_core.mail.outbox import retry_delivery as retry

    return _run(engine, lambda s: retry(session=s, outbox_id=outbox_id, actor=actor),
                change=Change.DELIVERY_RETRIED, done=lambda _: f"Outbox message {outbox_id} is queued again.")
