"""The outbox: a sent reply is queued in the send transaction; the worker delivers it later.

Queueing in the same transaction as the `emails` row means a reply is either both
recorded and queued, or neither — no sent draft is ever forgotten by the mailer.
"""

from __future__ import annotations

import re
from email.errors import HeaderParseError
from email.header import decode_header, make_header
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, getaddresses, make_msgid, parseaddr

from sqlalchemy import func
from sqlalchemy.orm import Session

from echo_core.config import get_settings
from echo_core.db.models import Email, EmailDraft, Outbox
from echo_core.errors import DeliveryNotRetryable, MailError, OutboxNotFound
from echo_core.mail.parse import is_real_message_id, message_ids
from echo_core.permissions import Action, Actor
from echo_core.services.actors import acting
from echo_core.services.audit import record_change, record_event

MAX_REFERENCES = 20  # keep the References header short; the newest ids matter for threading
_LIST_SEPARATORS = re.compile(r"[,;\s<>\"%]")  # one bare mailbox has none of these (% routes via another host)


def _domain_of(address: str) -> str:
    domain = address.rsplit("@", 1)[-1].strip().lower()
    return domain if re.fullmatch(r"[a-z0-9.-]+", domain) else "echo-alpha.local"


def enqueue_reply(session: Session, *, email: Email, draft: EmailDraft | None, inbound: Email | None) -> Outbox:
    """Give the outgoing email its threading headers and queue it, in the caller's transaction (no commit)."""
    if email.id is None:
        session.flush()
    if not email.message_id:
        email.message_id = make_msgid(domain=_domain_of(email.from_addr or get_settings().agent_email))
    if inbound is not None and is_real_message_id(inbound.message_id):
        references = [i for i in message_ids(inbound.references_header) if is_real_message_id(i)]
        references = [*(i for i in references if i != inbound.message_id), str(inbound.message_id)]
        email.in_reply_to = inbound.message_id
        email.references_header = " ".join(references[-MAX_REFERENCES:])
    row = Outbox(email_id=email.id, draft_id=draft.id if draft is not None else None)
    session.add(row)
    session.flush()
    return row


def _one_line(value: str) -> str:
    """One line of header text. RFC 2047 encoded words are decoded first: the email library would
    otherwise decode `=?utf-8?b?…?=` on reading and bring back the CR/LF this removes."""
    try:
        value = str(make_header(decode_header(value)))
    except (HeaderParseError, LookupError, UnicodeError, ValueError):
        pass  # not valid encoded words: the text as it is
    return re.sub(r"[\r\n]+", " ", value).strip()


def single_mailbox(address: str) -> str:
    """`address` if it is exactly one mailbox; else MailError: a reply goes to the deal's seeker only,
    never to a list hidden in the address (a row written behind the services' back, an old import)."""
    parsed = getaddresses([address])
    if len(parsed) != 1 or parsed[0][1] != address.strip() or "@" not in address or _LIST_SEPARATORS.search(address):
        raise MailError(f"The seeker address '{address[:80]}' is not one mailbox — fix it on the deal, then send.")
    return address.strip()


def build_message(email: Email) -> EmailMessage:
    """The RFC 5322 message of an outgoing email row: the same Message-ID on every attempt."""
    message = EmailMessage()
    message["From"] = formataddr(parseaddr(_one_line(email.from_addr)))
    message["To"] = formataddr(parseaddr(single_mailbox(email.to_addr)))
    message["Subject"] = _one_line(email.subject)
    message["Date"] = format_datetime(email.sent_at)
    message["Message-ID"] = email.message_id or make_msgid(domain=_domain_of(email.from_addr))
    if email.in_reply_to:
        message["In-Reply-To"] = email.in_reply_to
    if email.references_header:
        message["References"] = email.references_header
    message.set_content(email.body)
    return message


def retry_delivery(*, session: Session, outbox_id: int, actor: Actor) -> Outbox:
    """failed → queued with a fresh retry budget; audited in audit_log, and on the draft when there is one."""
    actor = acting(session, actor, Action.REVIEW_DRAFTS)  # a Mail page left open may hold a stale role
    row = session.get(Outbox, outbox_id, with_for_update=True, populate_existing=True)
    if row is None:
        raise OutboxNotFound(f"Outbox message {outbox_id} does not exist — check the id on the mail page.")
    if row.status != "failed":
        raise DeliveryNotRetryable(
            f"Outbox message {outbox_id} is {row.status} — only a failed delivery can be retried."
        )
    previous_error, previous_attempts = row.last_error, row.attempts
    record_change(session, actor=actor, action="retry_delivery", entity="outbox", entity_id=row.id,
                  before={"status": row.status, "attempts": row.attempts, "last_error": row.last_error},
                  after={"status": "queued", "attempts": 0, "last_error": row.last_error}, always=True)
    row.status, row.attempts, row.next_attempt_at = "queued", 0, func.now()
    row.locked_until = row.claimed_by = None
    if row.draft_id is not None:
        draft = session.get(EmailDraft, row.draft_id)
        status = draft.status if draft is not None else None
        record_event(
            session,
            draft_id=row.draft_id,
            actor=actor,
            action="retry_delivery",
            from_status=status,
            to_status=status,
            details={"outboxId": row.id, "previousError": previous_error, "previousAttempts": previous_attempts},
        )
    session.commit()
    session.refresh(row)
    return row
