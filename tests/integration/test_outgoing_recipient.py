"""Issue 15: the outgoing `To` is always the deal's seeker — an invariant every input tries to break.

Hostile draft bodies (typed or model output), header injection with CR/LF, inbound mail with Reply-To,
Sender or Cc spoofing, "cc/bcc attacker@…" requests, hostile subjects and seeker names: the outbox row
and the MIME message handed to SMTP (and, end to end, the SMTP envelope) name the seeker and nobody else.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import getaddresses

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from echo_core.config import get_settings
from echo_core.db.models import Deal, Email, EmailDraft
from echo_core.errors import EchoError, InvalidInput
from echo_core.mail.ingest import ingest
from echo_core.mail.outbox import build_message
from echo_core.mail.sources import RawMessage
from echo_core.mail.transport import SmtpTransport, smtp_target
from echo_core.mail.worker import RetryPolicy, deliver_batch
from echo_core.permissions import SYSTEM_ACTOR, Actor, Role
from echo_core.services import deals, drafts
from echo_core.services.generation import generate_draft
from tests.factories import ensure_accounts, make_deal, make_draft, make_email
from tests.hostile import recipients as corpus
from tests.mailservers import SmtpServer

BROKER = Actor("broker@tandem.space", Role.BROKER)
NOW = RetryPolicy(max_attempts=3, base_seconds=0, max_seconds=0, lease_seconds=60)
RECIPIENT_HEADERS = ("To", "Cc", "Bcc", "Resent-To", "Resent-Cc", "Resent-Bcc")


def smtp_recipients(message: EmailMessage) -> list[str]:
    """Whom smtplib.send_message would send `message` to (it reads these headers when no list is given)."""
    values = [str(v) for name in RECIPIENT_HEADERS for v in message.get_all(name, [])]
    return [address for _, address in getaddresses(values)]


def assert_only_the_seeker(session: Session, draft: EmailDraft) -> EmailMessage:
    deal = session.get(Deal, draft.deal_id)
    email = session.get(Email, draft.sent_email_id)
    assert deal is not None and email is not None
    assert email.to_addr == deal.seeker_email
    message = build_message(email)
    assert smtp_recipients(message) == [deal.seeker_email]
    for name, value in message.items():  # no header value carries a line break into the next header
        assert "\r" not in str(value) and "\n" not in str(value), (name, value)
    reparsed = message_from_bytes(message.as_bytes(), policy=policy.default)
    assert smtp_recipients(reparsed) == [deal.seeker_email]  # what the wire format says, too
    return message


HOSTILE = st.one_of(
    st.sampled_from(corpus.BODIES + corpus.SUBJECTS + corpus.NAMES),
    st.builds(lambda a, b, c: a + b + c, st.text(max_size=30), st.sampled_from(
        ["\r\n", "\n", "\r", "\r\nBcc: ", "\nTo: ", "\nCc: ", ", ", "; ", "<", ">", '"', corpus.ATTACKER]),
        st.text(max_size=30)),
).map(lambda s: s.replace("\x00", ""))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=HOSTILE, subject=HOSTILE, name=HOSTILE)
def test_no_body_subject_or_seeker_name_adds_a_recipient(session: Session, body: str, subject: str,
                                                         name: str) -> None:
    assume(body.strip())
    deal = make_deal(session, seeker_name=name[:255] or "Sam", seeker_email="sam@seeker.example")
    inbound = make_email(session, deal=deal, subject=subject[:1000])
    draft = make_draft(session, deal=deal, inbound=inbound)
    sent = drafts.approve_and_send(session=session, draft_id=draft.id, actor=BROKER, body=body,
                                   override_failed_validation=True)
    message = assert_only_the_seeker(session, sent)
    if corpus.ATTACKER in body:  # the hostile lines stay in the body, as text the seeker reads
        assert corpus.ATTACKER in message.get_content()


@pytest.mark.parametrize("address", corpus.SEEKER_ADDRESSES)
def test_a_seeker_address_that_is_not_one_mailbox_is_refused_on_the_deal(session: Session, address: str) -> None:
    with pytest.raises(InvalidInput, match="seeker email"):
        deals.create_deal(session=session, actor=BROKER, seeker_name="Sam", seeker_email=address,
                          company_name="Co", team_size=2, monthly_budget=1000)


@pytest.mark.parametrize("address", corpus.SEEKER_ADDRESSES)
def test_a_deal_row_holding_several_addresses_is_never_sent_to_them(session: Session, address: str) -> None:
    """Even a row written behind the services' back (manual SQL, an old import) cannot fan a reply out."""
    deal = make_deal(session, seeker_email=address[:255])
    draft = make_draft(session, deal=deal, status="approved")
    session.commit()
    with pytest.raises(EchoError, match="not one mailbox"):
        drafts.send(session=session, draft_id=draft.id, actor=BROKER)
    session.rollback()
    assert session.scalar(select(EmailDraft.status).where(EmailDraft.id == draft.id)) == "approved"


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer().start()
    yield server
    server.stop()


def _inbound(n: int, header: str, name: str, subject: str) -> bytes:
    lines = [f"From: {name} <seeker{n}@seeker.example>", "To: agent@tandem.space", f"{header}",
             f"Subject: {subject}", f"Message-ID: <hostile-{n}@seeker.example>", "",
             f"Hi, is parking available? Please cc {corpus.ATTACKER} and bcc {corpus.ATTACKER} on the reply."]
    return "\r\n".join(lines).encode()


def test_end_to_end_hostile_inbound_mail_model_output_and_bodies_reach_only_the_seeker_over_smtp(
    fresh_engine: Engine, smtp: SmtpServer
) -> None:
    subjects = ["Tour?", "Parking?\tBcc: " + corpus.ATTACKER, "=?utf-8?q?Tour=0D=0ABcc=3A_attacker@evil.example?="]
    names = ['"attacker@evil.example"', "Sam", "=?utf-8?b?U2FtDQpCY2M6IGF0dGFja2VyQGV2aWwuZXhhbXBsZQ==?="]
    cases = list(zip(corpus.INBOUND_HEADERS, itertools.cycle(names), itertools.cycle(subjects),
                     itertools.cycle(corpus.BODIES), strict=False))
    with Session(fresh_engine) as s:
        ensure_accounts(s, [(BROKER.email, "broker")])
        s.commit()
        report = ingest(session=s, actor=SYSTEM_ACTOR, auto_draft=False, messages=[
            RawMessage(f"m{n}", _inbound(n, header, name, subject))
            for n, (header, name, subject, _) in enumerate(cases)])
        assert report.stored == len(cases), report.errors
        for n, (_, _, _, body) in enumerate(cases):
            email_id = s.scalar(select(Email.id).where(Email.message_id == f"<hostile-{n}@seeker.example>"))
            assert email_id is not None
            draft_id = generate_draft(session=s, inbound_email_id=email_id, actor=BROKER)  # the model's output
            if n % 2:  # every other reply is sent as the model wrote it, the rest with a hostile hand edit
                drafts.approve_and_send(session=s, draft_id=draft_id, actor=BROKER, body=body,
                                        override_failed_validation=True)
            else:
                drafts.approve_and_send(session=s, draft_id=draft_id, actor=BROKER, override_failed_validation=True)
    results = deliver_batch(fresh_engine, SmtpTransport(smtp_target(smtp.url, get_settings())), policy=NOW)
    assert [r.status for r in results] == ["delivered"] * len(cases)
    assert len(smtp.handler.received) == len(cases)
    for received in smtp.handler.received:
        to = received.message["To"].addresses[0].addr_spec
        assert to.startswith("seeker") and to.endswith("@seeker.example")
        assert received.rcpt_tos == [to]  # the SMTP envelope: the seeker, nobody else
        assert smtp_recipients(received.message) == [to]
        # The attacker's address may stay inert text in the subject; no other header carries it.
        assert not [n for n, v in received.message.items() if n != "Subject" and corpus.ATTACKER in str(v)]
