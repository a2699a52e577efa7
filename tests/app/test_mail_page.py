"""The mail page: upload inbound mail, see the outbox's delivery states, retry a failed delivery."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from echo_core.db.models import Deal, DraftEvent, Email, Outbox
from echo_core.mail.outbox import enqueue_reply
from tests.factories import make_deal, make_draft, make_email
from ui.text import md_escape

MBOX = (
    b"From nobody Tue Jun  3 10:00:00 2025\n"
    b"From: Uma <uma@umbra-design.example>\nSubject: Studio space\nMessage-ID: <page-1@umbra-design.example>\n\n"
    b"Do you have a studio for 6?\n\n"
    b"From nobody Tue Jun  3 10:00:00 2025\n"
    b"just some text, not a message\n"
)


def test_uploading_an_mbox_stores_its_messages_and_names_the_bad_one(
    open_page: Callable[..., AppTest], app_engine: Engine
) -> None:
    at = open_page("pages/mail.py")
    at.file_uploader(key="mail_uploads").upload("inbox.mbox", MBOX).run()
    at.button(key="mail_ingest").click().run()

    assert not at.exception
    assert "1 stored, 0 duplicates, 1 failed" in at.warning[0].value
    assert any("inbox.mbox #2: no mail headers" in t.value for t in at.text)
    with Session(app_engine) as s:
        assert s.scalar(select(Email.subject).where(Email.message_id == "<page-1@umbra-design.example>")) == (
            "Studio space"
        )
        assert s.scalar(select(Deal.needs_completion).where(Deal.seeker_email == "uma@umbra-design.example"))
    assert len(at.dataframe[0].value) == 1  # the new inquiry, waiting to be completed


def test_a_failed_delivery_shows_its_error_and_can_be_retried(
    open_page: Callable[..., AppTest], app_engine: Engine
) -> None:
    with Session(app_engine) as s:
        deal = make_deal(s)
        draft = make_draft(s, deal=deal, status="sent")
        reply = make_email(s, deal=deal, from_addr="agent@tandem.space", to_addr=deal.seeker_email)
        row = enqueue_reply(s, email=reply, draft=draft, inbound=None)
        row.status, row.attempts, row.last_error = "failed", 6, "smtp://mx:25: SMTPRecipientsRefused: 550 no mailbox"
        s.commit()
        outbox_id = row.id

    at = open_page("pages/mail.py")
    table = at.dataframe[0].value
    assert table.loc[0, "status"] == "failed"
    assert "550 no mailbox" in table.loc[0, "last_error"]
    at.button(key="mail_retry").click().run()

    assert not at.exception
    assert any(md_escape(f"Outbox message {outbox_id} is queued again") in t.value for t in at.toast)
    assert at.dataframe[0].value.loc[0, "status"] == "queued"
    with Session(app_engine) as s:
        assert s.get(Outbox, outbox_id).status == "queued"  # type: ignore[union-attr]
        events = s.scalar(select(func.count()).select_from(DraftEvent).where(DraftEvent.action == "retry_delivery"))
        assert events == 1
