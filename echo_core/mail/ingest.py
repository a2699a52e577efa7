"""Store inbound mail: parse, dedup by Message-ID, thread to a deal, optionally draft a reply.

Each message commits on its own, so one bad message never costs the others of its batch,
and a failed auto-draft never costs the stored email.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import exc, select
from sqlalchemy.orm import Session

from echo_core.config import get_settings
from echo_core.db.models import Deal, Email
from echo_core.errors import EchoError, MalformedMessage
from echo_core.mail.parse import ParsedMessage, parse_message
from echo_core.mail.sources import RawMessage, SourceError, messages_in, read_files
from echo_core.mail.threads import thread
from echo_core.permissions import SYSTEM_ACTOR, Action, Actor
from echo_core.services.actors import acting
from echo_core.services.audit import record_change


@dataclass(frozen=True)
class Outcome:
    label: str
    status: str  # stored | duplicate | failed
    email_id: int | None = None
    error: str | None = None


@dataclass
class IngestReport:
    outcomes: list[Outcome] = field(default_factory=list)
    new_deals: int = 0
    drafted: int = 0
    draft_errors: list[str] = field(default_factory=list)

    def _count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def stored(self) -> int:
        return self._count("stored")

    @property
    def duplicates(self) -> int:
        return self._count("duplicate")

    @property
    def failed(self) -> int:
        return self._count("failed")

    @property
    def errors(self) -> list[str]:
        return [f"{o.label}: {o.error}" for o in self.outcomes if o.status == "failed"]

    def summary(self) -> str:
        line = f"{self.stored} stored, {self.duplicates} duplicates, {self.failed} failed"
        if self.new_deals:
            line += f" ({self.new_deals} new inquiry deal(s) to complete)"
        if self.drafted or self.draft_errors:
            line += f"; {self.drafted} drafted, {len(self.draft_errors)} drafting failed"
        return line


def ingest(
    *, session: Session, messages: Iterable[RawMessage], actor: Actor, auto_draft: bool | None = None,
    source_errors: Iterable[SourceError] = (),
) -> IngestReport:
    """Store every readable message once; the report names each one that failed and why.

    Each message is its own transaction, so the acting account is re-read before each one: a
    disabled or demoted account stops the batch (PermissionDenied) before the next message is written.
    """
    acting(session, actor, Action.EDIT_DEALS)
    settings = get_settings()
    report = IngestReport([Outcome(e.label, "failed", error=e.reason) for e in source_errors])
    for raw in messages:
        acting_now = acting(session, actor, Action.EDIT_DEALS)
        outcome, created = _store_one(session, raw, agent_email=settings.agent_email, actor=acting_now)
        report.outcomes.append(outcome)
        report.new_deals += int(created)
    if settings.auto_draft if auto_draft is None else auto_draft:
        _draft_replies(session, report, agent_email=settings.agent_email)
    return report


def ingest_files(*, session: Session, paths: Iterable[Path], actor: Actor) -> IngestReport:
    messages, errors = read_files(paths)
    return ingest(session=session, messages=messages, actor=actor, source_errors=errors)


def ingest_uploads(*, session: Session, uploads: Iterable[tuple[str, bytes]], actor: Actor) -> IngestReport:
    """The dashboard's upload box: (file name, bytes) pairs, each an .eml or an mbox."""
    messages: list[RawMessage] = []
    errors: list[SourceError] = []
    for name, data in uploads:
        if not data.strip():
            errors.append(SourceError(name, "the file is empty"))
        else:
            messages.extend(messages_in(name, data))
    return ingest(session=session, messages=messages, actor=actor, source_errors=errors)


def _store_one(session: Session, raw: RawMessage, *, agent_email: str, actor: Actor) -> tuple[Outcome, bool]:
    try:
        parsed = parse_message(raw.data)
    except MalformedMessage as error:
        return Outcome(raw.label, "failed", error=str(error)), False
    existing = session.scalar(select(Email.id).where(Email.message_id == parsed.message_id))
    if existing is not None:
        return Outcome(raw.label, "duplicate", email_id=existing), False
    try:
        deal_id, created = thread(session, parsed, agent_email=agent_email)
        email = _email_row(parsed, deal_id)
        session.add(email)
        session.flush()
        if created:  # a new inquiry deal from an unknown sender: in the audit trail like any other new deal
            seeker = session.scalar(select(Deal.seeker_email).where(Deal.id == deal_id))
            record_change(session, actor=actor, action="created_from_mail", entity="deal", entity_id=deal_id,
                          before={}, after={"seeker_email": seeker, "email_id": email.id})
        session.commit()
    except exc.IntegrityError as error:
        session.rollback()
        if "uq_emails_message_id" in str(error.orig):  # stored meanwhile by a concurrent ingest
            return Outcome(raw.label, "duplicate"), False
        return Outcome(raw.label, "failed", error="the database refused it (constraint violated)"), False
    except exc.DataError as error:
        session.rollback()
        reason = str(error.orig).splitlines()[0] if error.orig else "invalid value"
        return Outcome(raw.label, "failed", error=f"the database refused a value ({reason})"), False
    return Outcome(raw.label, "stored", email_id=email.id), created


def _email_row(parsed: ParsedMessage, deal_id: int) -> Email:
    now = datetime.now(UTC)
    sent_at = parsed.sent_at if parsed.sent_at and parsed.sent_at < now + timedelta(days=1) else now
    return Email(
        deal_id=deal_id,
        from_addr=parsed.from_addr,
        to_addr=parsed.to_addr or get_settings().agent_email,
        subject=parsed.subject,
        body=parsed.body,
        original_body=parsed.original_body,
        sent_at=sent_at,
        ai_generated=False,
        message_id=parsed.message_id,
        in_reply_to=parsed.in_reply_to,
        references_header=" ".join(parsed.references) or None,
        attachments=[dict(a) for a in parsed.attachments],
    )


def _draft_replies(session: Session, report: IngestReport, *, agent_email: str) -> None:
    """Draft a reply to each newly stored seeker email; failures are reported, the emails stay."""
    stored = [o for o in report.outcomes if o.status == "stored" and o.email_id is not None]
    from_agent = set(
        session.scalars(
            select(Email.id).where(Email.id.in_([o.email_id for o in stored]), Email.from_addr == agent_email.lower())
        )
    )
    for outcome in stored:
        if outcome.email_id is None or outcome.email_id in from_agent:
            continue
        try:
            from echo_core.services.generation import generate_draft  # lazy: generation is optional here
        except ImportError as error:
            report.draft_errors.append(f"auto-drafting is on but the generator cannot be loaded ({error})")
            return
        try:
            generate_draft(session=session, inbound_email_id=outcome.email_id, actor=SYSTEM_ACTOR)
            report.drafted += 1
        except EchoError as error:
            session.rollback()
            report.draft_errors.append(f"{outcome.label}: {error}")
        except Exception as error:  # noqa: BLE001 - a generator bug must not stop the batch; the email is stored
            session.rollback()
            report.draft_errors.append(f"{outcome.label}: drafting failed ({type(error).__name__}: {error})")
