"""Every corpus message through the real ingest: no exception escapes, what is stored is the expected text,
a second ingest stores nothing; the same message as an .eml and inside an mbox is stored once."""

from __future__ import annotations

import mailbox
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from echo_core.db.models import Deal, Email
from echo_core.mail.ingest import ingest, ingest_files
from echo_core.mail.parse import parse_message
from echo_core.mail.sources import RawMessage, messages_in
from echo_core.permissions import SYSTEM_ACTOR
from tests.mail_corpus import CORPUS, corpus_files, expected_path

FILES = corpus_files()
EMAILS = [p for p in FILES if p.suffix != ".mbox"]


def expected_errors(path: Path) -> int:
    return expected_path(path).read_text(encoding="utf-8").count("error: ")


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(CORPUS)) for p in FILES])
def test_each_corpus_file_is_stored_once_as_its_expected_text(session: Session, path: Path) -> None:
    first = ingest_files(session=session, paths=[path], actor=SYSTEM_ACTOR)
    again = ingest_files(session=session, paths=[path], actor=SYSTEM_ACTOR)

    messages = messages_in(path.name, path.read_bytes())
    assert (first.failed, first.stored) == (expected_errors(path), len(messages) - expected_errors(path))
    assert all(len(line.splitlines()) == 1 and str(path) in line for line in first.errors)
    assert (again.stored, again.duplicates) == (0, first.stored)
    for outcome, message in zip(first.outcomes, messages, strict=True):
        if outcome.email_id is None:
            continue
        email = session.get(Email, outcome.email_id)
        parsed = parse_message(message.data)
        assert email is not None
        assert (email.body, email.original_body, email.subject) == (parsed.body, parsed.original_body, parsed.subject)
        deal = session.get(Deal, email.deal_id)
        assert deal is not None and "\ufffd" not in deal.seeker_name  # the garbling never reaches the deal


def test_the_same_message_in_an_eml_and_an_mbox_is_stored_once(session: Session) -> None:
    eml = CORPUS / "defects" / "no_message_id.eml"
    box = CORPUS / "mbox" / "same_message_as_eml.mbox"

    report = ingest_files(session=session, paths=[eml, box], actor=SYSTEM_ACTOR)

    assert [o.status for o in report.outcomes] == ["stored", "duplicate", "stored"]
    subjects = session.scalars(select(Email.subject).where(Email.from_addr == "olu@adeyemi.example")).all()
    assert subjects == ["Desks for 6"]


def test_every_corpus_email_written_into_an_mbox_by_python_is_a_duplicate_of_itself(
    session: Session, tmp_path: Path
) -> None:
    box = mailbox.mbox(tmp_path / "all.mbox")
    for path in EMAILS:
        box.add(path.read_bytes())  # LF line endings, 'From ' escaped, a postmark of its own
    box.flush()
    box.close()

    as_files = ingest_files(session=session, paths=EMAILS, actor=SYSTEM_ACTOR)
    as_mbox = ingest_files(session=session, paths=[tmp_path / "all.mbox"], actor=SYSTEM_ACTOR)

    assert as_mbox.stored == 0
    assert as_mbox.duplicates == as_files.stored + as_files.duplicates
    assert as_mbox.failed == as_files.failed


def test_one_bad_message_is_named_and_the_rest_of_the_batch_is_stored(session: Session) -> None:
    good = (CORPUS / "defects" / "bom_before_headers.eml").read_bytes()
    report = ingest(session=session, actor=SYSTEM_ACTOR, messages=[
        RawMessage("upload.mbox #1", b"\x00\x01 not a message"), RawMessage("upload.mbox #2", good)])

    assert [o.status for o in report.outcomes] == ["failed", "stored"]
    assert report.errors == ["upload.mbox #1: no mail headers: this is not an email message"]


def test_messages_that_share_every_header_but_not_their_text_are_all_kept(session: Session) -> None:
    lyrics = [CORPUS / "cpython" / f"msg_{n}.txt" for n in ("08", "09", "10", "12")]  # same headers, no Message-ID

    report = ingest_files(session=session, paths=lyrics, actor=SYSTEM_ACTOR)

    assert [o.status for o in report.outcomes] == ["stored"] * 4
