"""The search box: drafts and emails by any words of subject, body, company or seeker (PostgreSQL full text)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from echo_core.errors import InvalidInput
from echo_core.queries.search import SearchCursor, search
from echo_core.services import drafts
from tests.factories import make_deal, make_draft, make_email, make_user


def word() -> str:
    """A word no other row holds (letters only, so the english stemmer keeps it whole)."""
    return "zq" + "".join(chr(ord("a") + int(c, 16) % 26) for c in uuid.uuid4().hex[:10])


def kinds_and_ids(page: object) -> list[tuple[str, int]]:
    return [(h.kind, h.id) for h in page.hits]  # type: ignore[attr-defined]


def test_words_of_the_subject_body_company_and_seeker_each_find_the_email_and_its_draft(session: Session) -> None:
    company, seeker, subject, body, reply = word(), word(), word(), word(), word()
    deal = make_deal(session, company_name=f"{company.title()} Robotics", seeker_name=f"Ada {seeker.title()}")
    inbound = make_email(session, deal=deal, subject=f"Question about {subject}", body=f"Is there {body} nearby?")
    draft = make_draft(session, deal=deal, inbound=inbound, body=f"Yes, {reply} is included.")
    conn = session.connection()
    for term in (company, seeker, subject):  # the deal's names and the inbound subject: both documents
        assert set(kinds_and_ids(search(conn, term))) == {("email", inbound.id), ("draft", draft.id)}, term
    assert kinds_and_ids(search(conn, body)) == [("email", inbound.id)]
    assert kinds_and_ids(search(conn, reply)) == [("draft", draft.id)]
    hit = search(conn, reply).hits[0]
    assert (hit.draft_id, hit.email_id, hit.deal_id, hit.status) == (draft.id, inbound.id, deal.id, "pending")
    assert hit.company == f"{company.title()} Robotics" and hit.subject == f"Question about {subject}"
    assert reply in hit.snippet
    email_hit = search(conn, body).hits[0]
    assert email_hit.draft_id == draft.id  # opening an email's hit opens the draft that answers it


def test_words_from_different_fields_combine_and_stemming_matches_other_forms(session: Session) -> None:
    company = word()
    deal = make_deal(session, company_name=company)
    email = make_email(session, deal=deal, body="We need parking for three cars.")
    make_email(session, deal=make_deal(session, company_name=word()), body="We need parking too.")
    assert kinds_and_ids(search(session.connection(), f"{company} parked", kinds=("email",))) == [("email", email.id)]


def test_websearch_syntax_phrases_or_and_minus(session: Session) -> None:
    tag = word()
    deal = make_deal(session, company_name=tag)
    dogs = make_email(session, deal=deal, body="Are dogs allowed in the office?", sent_at=datetime.now(UTC))
    rate = make_email(session, deal=deal, body="What is the monthly rate for the office?",
                      sent_at=datetime.now(UTC) - timedelta(minutes=1))
    reversed_words = make_email(session, deal=deal, body="The rate is monthly, as is the office.",
                                sent_at=datetime.now(UTC) - timedelta(minutes=2))
    conn = session.connection()
    ids = [i for _, i in kinds_and_ids(search(conn, f'{tag} "monthly rate"', kinds=("email",)))]
    assert ids == [rate.id]  # a phrase: the words adjacent and in order
    ids = [i for _, i in kinds_and_ids(search(conn, f"{tag} (dogs or monthly)", kinds=("email",)))]
    assert ids == [dogs.id, rate.id, reversed_words.id]
    ids = [i for _, i in kinds_and_ids(search(conn, f"{tag} office -dogs", kinds=("email",)))]
    assert ids == [rate.id, reversed_words.id]


@pytest.mark.parametrize("hostile", [
    "'; DROP TABLE emails; --", "a:* & !", "((((", "\\x00 body", "ü ñ 漢字 🐕", "<script>alert(1)</script>",
    "\"unterminated phrase", "or or or", "-", "x" * 300,
])
def test_hostile_or_malformed_input_is_data_never_sql_and_never_an_error_trace(session: Session, hostile: str) -> None:
    try:
        page = search(session.connection(), hostile)
    except InvalidInput as error:
        assert "\n" not in str(error) and "—" in str(error)  # one readable line naming the fix
    else:
        assert isinstance(page.hits, list)
    assert session.execute(text("SELECT count(*) FROM emails")).scalar() is not None


@pytest.mark.parametrize(("query", "message"), [
    ("", "empty"), ("   ", "empty"), ("the and of", "common words"), ("-parking", "only excludes"),
    ("x" * 301, "at most 300"),
])
def test_searches_that_cannot_work_say_why(session: Session, query: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        search(session.connection(), query)


def test_pages_are_keyset_newest_first_and_cover_every_hit_once(session: Session) -> None:
    tag = word()
    deal = make_deal(session, company_name=tag)
    start = datetime.now(UTC) - timedelta(days=1)
    same_time = start + timedelta(hours=5)
    emails = [make_email(session, deal=deal, sent_at=same_time if i in (3, 4, 5) else start + timedelta(hours=i))
              for i in range(9)]
    conn = session.connection()
    seen: list[tuple[str, int]] = []
    after: SearchCursor | None = None
    for _ in range(10):
        page = search(conn, tag, after=after, limit=4, kinds=("email",))
        seen += kinds_and_ids(page)
        after = page.next
        if after is None:
            break
    expected = sorted(emails, key=lambda e: (e.sent_at, e.id), reverse=True)
    assert seen == [("email", e.id) for e in expected]


def test_documents_follow_edits_renames_and_deletes(session: Session) -> None:
    old_company, new_company, edit = word(), word(), word()
    deal = make_deal(session, company_name=old_company)
    inbound = make_email(session, deal=deal)
    draft = make_draft(session, deal=deal, inbound=inbound)
    broker = make_user(session, email=f"{word()}@tandem.space", role="broker")
    from echo_core.permissions import Actor, Role

    drafts.edit(session=session, draft_id=draft.id, actor=Actor(broker.email, Role.BROKER),
                body=f"Hi! Happy to help: {edit} is on site.")
    conn = session.connection()
    assert kinds_and_ids(search(conn, edit)) == [("draft", draft.id)]
    deal.company_name = new_company
    session.flush()
    assert search(conn, old_company).hits == []
    assert {k for k, _ in kinds_and_ids(search(conn, new_company))} == {"draft", "email"}
    spare = make_draft(session, deal=deal, inbound=make_email(session, deal=deal, body=f"{edit} again"))
    assert ("draft", spare.id) in kinds_and_ids(search(conn, new_company))
    session.execute(text("DELETE FROM email_drafts WHERE id = :d"), {"d": spare.id})  # (no audit rows yet)
    assert ("draft", spare.id) not in kinds_and_ids(search(conn, new_company))


def test_a_huge_body_is_indexed_by_its_first_part_and_never_breaks_the_insert(session: Session) -> None:
    tag = word()
    body = f"{tag} " + ("lorem ipsum dolor sit amet " * 60_000)  # 1.6 M characters
    email = make_email(session, deal=make_deal(session), body=body)
    assert kinds_and_ids(search(session.connection(), tag)) == [("email", email.id)]


def test_the_search_reads_the_gin_index(session: Session) -> None:
    session.execute(text("SET LOCAL enable_seqscan = off"))
    plan = "\n".join(r[0] for r in session.execute(text(
        "EXPLAIN SELECT kind, ref_id FROM search_documents "
        "WHERE vector @@ websearch_to_tsquery('english', 'parking') ORDER BY at DESC LIMIT 5")))
    assert "idx_search_documents_vector" in plan or "idx_search_documents_at_kind_ref_id" in plan
