"""Storing inbound mail: dedup by Message-ID, threading to deals, bad messages, auto-drafting."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from echo_core.db.models import Deal, Email, EmailDraft
from echo_core.errors import GenerationFailed, PermissionDenied
from echo_core.mail.ingest import ingest, ingest_uploads
from echo_core.mail.sources import RawMessage
from echo_core.permissions import SYSTEM_ACTOR, Actor, Role
from echo_core.queries.outbox import DEALS_TO_COMPLETE
from tests.factories import make_deal, make_email


def raw(sender: str = "Nia Novak <nia@nova-bio.example>", *, message_id: str | None = "<n1@nova-bio.example>",
        body: str = "Hi, do you have space for 8 people?", **headers: str) -> bytes:
    lines = [f"From: {sender}", "To: agent@tandem.space", "Subject: Office for 8"]
    if message_id:
        lines.append(f"Message-ID: {message_id}")
    lines += [f"{name.replace('_', '-')}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n" + body + "\r\n").encode()


def store(session: Session, *messages: bytes, auto_draft: bool = False) -> list[int]:
    report = ingest(session=session, messages=[RawMessage(f"m{i}", m) for i, m in enumerate(messages)],
                    actor=SYSTEM_ACTOR, auto_draft=auto_draft)
    assert report.failed == 0, report.errors
    return [o.email_id for o in report.outcomes if o.email_id is not None]


def test_a_reply_threads_to_the_deal_of_the_email_it_answers(session: Session) -> None:
    deal = make_deal(session, seeker_email="owner@nova-bio.example")
    make_email(session, deal=deal, from_addr="agent@tandem.space", message_id="<s1@tandem.space>")

    [email_id] = store(session, raw("cto@nova-bio.example", In_Reply_To="<s1@tandem.space>"))

    assert session.get(Email, email_id).deal_id == deal.id  # type: ignore[union-attr]


def test_references_thread_when_in_reply_to_is_unknown(session: Session) -> None:
    deal = make_deal(session)
    make_email(session, deal=deal, message_id="<root@tandem.space>")

    [email_id] = store(session, raw("x@elsewhere.example", In_Reply_To="<lost@nowhere>",
                                    References="<root@tandem.space> <lost@nowhere>"))

    assert session.get(Email, email_id).deal_id == deal.id  # type: ignore[union-attr]


def test_a_known_seeker_threads_to_their_newest_open_deal(session: Session) -> None:
    open_deal = make_deal(session, seeker_email="nia@nova-bio.example", stage="touring")
    make_deal(session, seeker_email="nia@nova-bio.example", stage="closed")  # newer, but closed

    [email_id] = store(session, raw("NIA@Nova-Bio.example"))

    assert session.get(Email, email_id).deal_id == open_deal.id  # type: ignore[union-attr]


def test_an_unknown_sender_becomes_a_new_inquiry_flagged_for_completion(session: Session) -> None:
    [email_id] = store(session, raw())

    deal = session.get(Deal, session.get(Email, email_id).deal_id)  # type: ignore[union-attr]
    assert deal is not None and deal.needs_completion and deal.stage == "inquiry"
    assert (deal.seeker_name, deal.seeker_email, deal.company_name) == ("Nia Novak", "nia@nova-bio.example", "Nova Bio")
    assert (deal.team_size, deal.monthly_budget, deal.requirements) == (1, 0, {})


def test_the_inquiries_to_complete_are_the_flagged_deals_newest_first_through_their_own_index(
    session: Session,
) -> None:
    flagged = [make_deal(session, needs_completion=True) for _ in range(3)]
    other = make_deal(session)  # filled in (or never flagged): not listed
    session.execute(text("SET LOCAL enable_seqscan = off"))
    plan = "\n".join(r[0] for r in session.execute(text(f"EXPLAIN {DEALS_TO_COMPLETE.text}"), {"limit": 100}))
    assert "idx_deals_needs_completion_created_at_id" in plan  # not a scan of every deal
    listed = [r.deal_id for r in session.execute(DEALS_TO_COMPLETE, {"limit": 100})]
    mine = [deal.id for deal in flagged]
    assert [i for i in listed if i in mine] == sorted(mine, reverse=True)  # same created_at: the id decides
    assert other.id not in listed


def test_ingesting_the_same_mail_twice_stores_it_once(session: Session) -> None:
    no_id = raw("z@zeta.example", message_id=None)
    first = ingest(session=session, messages=[RawMessage("a", raw()), RawMessage("b", no_id)], actor=SYSTEM_ACTOR)
    again = ingest(session=session, messages=[RawMessage("a", raw()), RawMessage("b", no_id)], actor=SYSTEM_ACTOR)

    assert (first.stored, again.stored, again.duplicates) == (2, 0, 2)
    assert again.summary() == "0 stored, 2 duplicates, 0 failed"
    assert session.scalar(select(func.count()).select_from(Email)) == 2


def test_a_malformed_message_in_an_mbox_does_not_stop_the_others(session: Session) -> None:
    mbox = b"".join(
        b"From sender Tue Jun  3 10:00:00 2025\n" + m + b"\n"
        for m in (raw(message_id="<a@x.example>"), b"\x00\xff garbage without headers\n",
                  raw("b@y.example", message_id="<b@y.example>"))
    )

    report = ingest_uploads(session=session, uploads=[("inbox.mbox", mbox)], actor=SYSTEM_ACTOR)

    assert (report.stored, report.failed) == (2, 1)
    assert report.errors == ["inbox.mbox #2: no mail headers: this is not an email message"]


def test_nul_and_invalid_bytes_are_stored_cleanly(session: Session) -> None:
    message = (b"From: W\xff <w@w.example>\r\nSubject: caf\xe9\x00 menu\r\nMessage-ID: <w@w.example>\r\n"
               b"Content-Type: text/plain; charset=utf-8\r\n\r\ncaf\xc3\xa9 \x00\xff\xfe ok\r\n")

    [email_id] = store(session, message)

    email = session.get(Email, email_id)
    assert email is not None and email.body == "café \ufffd\ufffd ok"
    assert "\x00" not in email.subject and email.subject.startswith("caf")


def test_auto_drafting_drafts_a_reply_to_each_new_email(session: Session) -> None:
    [email_id] = store(session, raw(), auto_draft=True)

    draft = session.scalar(select(EmailDraft).where(EmailDraft.inbound_email_id == email_id))
    assert draft is not None and draft.status == "pending"


def test_a_failed_auto_draft_keeps_the_stored_email(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    def failing(**_: object) -> int:
        raise GenerationFailed("The model timed out — try again.")

    monkeypatch.setattr("echo_core.services.generation.generate_draft", failing)
    report = ingest(session=session, messages=[RawMessage("slow.eml", raw())], actor=SYSTEM_ACTOR, auto_draft=True)

    assert (report.stored, report.drafted) == (1, 0)
    assert report.draft_errors == ["slow.eml: The model timed out — try again."]
    assert session.scalar(select(func.count()).select_from(Email)) == 1


def test_an_analyst_may_not_ingest_mail(session: Session) -> None:
    with pytest.raises(PermissionDenied):
        ingest(session=session, messages=[RawMessage("a", raw())], actor=Actor("ana@tandem.space", Role.ANALYST))


def test_the_ingest_command_prints_a_summary_and_names_each_failure(fresh_db_url: str, tmp_path: Path) -> None:
    good = tmp_path / "good.eml"
    good.write_bytes(raw())
    mbox = tmp_path / "batch.mbox"
    mbox.write_bytes(b"From a Tue Jun  3 10:00:00 2025\nnot mail\n\nFrom b Tue Jun  3 10:00:00 2025\n"
                     + raw("o@o.example", message_id="<o@o.example>"))
    command = [sys.executable, "-m", "echo_core", "mail", "ingest", str(good), str(mbox), str(good)]

    result = subprocess.run(command, env={**os.environ, "DATABASE_URL": fresh_db_url}, capture_output=True,
                            text=True, timeout=60)

    assert result.returncode == 40
    assert result.stdout.strip().startswith("2 stored, 1 duplicates, 1 failed")
    assert result.stderr.strip() == f"error: {mbox} #1: no mail headers: this is not an email message"
