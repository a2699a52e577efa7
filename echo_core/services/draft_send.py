"""Send an approved draft: the outgoing email row and the draft's `sent` status, in one transaction.

Exactly once: the row lock in `open_draft` serialises concurrent senders, so every
loser finds the draft sent and gets AlreadySent; the unique partial index
uq_email_drafts_sent_email_id backs that up in the database.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from echo_core.config import get_settings
from echo_core.db.models import Deal, Email, EmailDraft
from echo_core.errors import EmptyBody, NotFound
from echo_core.lifecycle import DraftAction, reply_subject
from echo_core.mail.outbox import enqueue_reply, single_mailbox
from echo_core.permissions import Actor
from echo_core.schemas import EmailAiMetadata, parse
from echo_core.services.draft_tx import atomic, close_draft, open_draft, utcnow
from echo_core.services.time_saved import measure as time_saved


def send(
    *,
    session: Session,
    draft_id: int,
    actor: Actor,
    expected_lock_version: int | None = None,
    now: datetime | None = None,
) -> EmailDraft:
    """approved → sent: insert the reply into `emails` and link it from the draft."""
    with atomic(session, actor):
        draft, to_status = open_draft(session, draft_id, DraftAction.SEND, expected_lock_version, lock=True)
        body = draft.final_body or ""
        if not body.strip():
            raise EmptyBody()
        deal = session.get(Deal, draft.deal_id)
        inbound = session.get(Email, draft.inbound_email_id)
        if deal is None or inbound is None:  # foreign keys make this unreachable short of manual SQL
            raise NotFound(f"Draft {draft_id} points at a missing deal or email — it cannot be sent.")
        # The recipient is the deal's seeker, from the deal row: never the draft text, the model or a header.
        seeker = single_mailbox(deal.seeker_email)
        metadata = parse(
            EmailAiMetadata, {"confidence": draft.confidence_score, "reasoning": draft.reasoning}, what="ai_metadata"
        )
        sent_at = now or utcnow()
        metadata.time_saved = time_saved(session, draft=draft, inbound=inbound, body=body, sent_at=sent_at)
        email = Email(
            deal_id=deal.id,
            from_addr=get_settings().agent_email,
            to_addr=seeker,
            subject=reply_subject(inbound.subject),
            body=body,
            sent_at=sent_at,
            ai_generated=True,
            ai_metadata=metadata.dump(),
        )
        session.add(email)
        session.flush()  # the email's id, for sent_email_id
        from_status = draft.status
        draft.sent_at, draft.sent_email_id = sent_at, email.id
        # QUEUE_FOR_DELIVERY: the outbox row commits (or rolls back) with the send itself.
        enqueue_reply(session, email=email, draft=draft, inbound=inbound)
        details = {"version": draft.current_version, "emailId": email.id, "to": email.to_addr,
                   "subject": email.subject}
        return close_draft(session, draft, actor=actor, action=DraftAction.SEND,
                           from_status=from_status, to_status=to_status, details=details, now=sent_at)
