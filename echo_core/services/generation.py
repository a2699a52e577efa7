"""Create a pending draft for an inbound email, and re-run a draft's fact check.

The reply is generated before anything is written, so a GenerationFailed (or any
error) leaves the database exactly as it was.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import Session, aliased

from echo_core.config import get_settings
from echo_core.db.models import Email, EmailDraft
from echo_core.errors import DraftNotFound, InvalidInput, NotFound
from echo_core.generation import pipeline
from echo_core.permissions import Action, Actor
from echo_core.schemas import DraftVersion, parse
from echo_core.services.actors import acting
from echo_core.services.audit import record_event


def generate_draft(
    *,
    session: Session,
    inbound_email_id: int,
    actor: Actor,
    provider: str | None = None,
    now: datetime | None = None,
) -> int:
    """Insert a pending draft (version 0) answering the email; returns its id."""
    acting(session, actor, Action.REVIEW_DRAFTS)
    email = session.get(Email, inbound_email_id)
    if email is None:
        raise NotFound(f"Email {inbound_email_id} does not exist — check the id on the deal's thread.")
    if email.ai_generated or email.from_addr.lower() == get_settings().agent_email.lower():
        raise InvalidInput(f"Email {inbound_email_id} is one we sent — drafts answer inbound emails from the seeker.")
    try:
        reply = pipeline.generate_reply(session, inbound_email_id=inbound_email_id, provider=provider)
        now = now or datetime.now(UTC)
        version = parse(DraftVersion, {
            "version": 0, "body": reply.body, "prompt": None, "confidence": reply.confidence,
            "reasoning": reply.reasoning, "metadata": reply.metadata, "createdAt": now,
        }, what="draft version").dump()
        version["prompt"] = None  # the seed's shape keeps an explicit null for version 0
        draft = EmailDraft(
            deal_id=email.deal_id,
            inbound_email_id=email.id,
            ai_generated_body=reply.body,
            final_body=reply.body,
            confidence_score=reply.confidence,
            status="pending",
            reasoning=reply.reasoning,
            metadata_=reply.metadata,
            validation=reply.validation,
            current_version=0,
            draft_versions=[version],
            created_at=now,
        )
        session.add(draft)
        session.flush()
        record_event(session, draft_id=draft.id, actor=actor, action="generate", from_status=None,
                     to_status="pending", details={
                         "provider": reply.metadata.get("provider"), "model": reply.metadata.get("model"),
                         "confidence": reply.confidence, "validation": reply.validation["status"],
                         "inboundEmailId": inbound_email_id,
                     }, at=now)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return draft.id


def revalidate_draft(*, session: Session, draft_id: int, actor: Actor) -> dict[str, Any]:
    """Fact-check the draft's current final_body against today's data and store the result."""
    acting(session, actor, Action.REVIEW_DRAFTS)
    try:
        draft = session.scalars(select(EmailDraft).where(EmailDraft.id == draft_id).with_for_update()).one_or_none()
        if draft is None:
            raise DraftNotFound(draft_id)
        result = pipeline.validate_body(session, deal_id=draft.deal_id, inbound_email_id=draft.inbound_email_id,
                                        body=draft.final_body or draft.ai_generated_body)
        draft.validation = result
        record_event(session, draft_id=draft.id, actor=actor, action="validate", from_status=draft.status,
                     to_status=draft.status, details={"validation": result["status"],
                                                      "issues": len(result["issues"])})
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return result


def latest_unanswered_inbound(session: Session, deal_id: int) -> int | None:
    """The deal's newest inbound email, if nobody replied after it and it has no live (non-archived) draft.

    Only the newest one: an older message the seeker followed up on is answered by replying to the newest.
    """
    agent = get_settings().agent_email
    later = aliased(Email)
    outbound = (Email.ai_generated.is_(True)) | (func.lower(Email.from_addr) == agent.lower())
    later_outbound = (later.ai_generated.is_(True)) | (func.lower(later.from_addr) == agent.lower())
    newest = session.scalar(
        select(Email.id).where(Email.deal_id == deal_id, ~outbound)
        .order_by(Email.sent_at.desc(), Email.id.desc()).limit(1)
    )
    if newest is None:
        return None
    statement = (
        select(Email.id)
        .where(Email.id == newest)
        .where(~exists().where(and_(later.deal_id == deal_id, later.sent_at > Email.sent_at, later_outbound)))
        .where(~exists().where(and_(EmailDraft.inbound_email_id == Email.id, EmailDraft.status != "archived")))
    )
    return session.scalar(statement)
