"""The hostile corpus through the services, every filter and the exports, on a real database.

Each input is stored exactly (what comes back equals what went in, trimmed) or refused with
an EchoError; filters never fail; exported cells are inert and lose nothing.
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from echo_core.db.models import Deal, Email, EmailDraft, Space
from echo_core.errors import EchoError, InvalidInput
from echo_core.export import FORMULA_PREFIXES, ByIds, OfDeal, write_csv
from echo_core.mail.ingest import ingest_uploads
from echo_core.permissions import Actor, Role
from echo_core.queries import deals as deal_queries
from echo_core.queries import review
from echo_core.queries import spaces as space_queries
from echo_core.redact import neutralise_controls
from echo_core.services import deals, drafts, spaces
from tests.factories import make_deal, make_draft, make_email, make_space
from tests.hostile import corpus

LEAD = Actor("lead@tandem.space", Role.LEAD)
TABLES = ("deals", "spaces", "emails", "email_drafts", "draft_events", "users", "outbox", "deal_spaces")


def row_counts(session: Session) -> dict[str, int]:
    return {t: session.execute(text(f'SELECT count(*) FROM "{t}"')).scalar_one() for t in TABLES}


def stored_or_refused(session: Session, attempt: Any, read_back: Any, expected: str) -> str:
    """'stored' when the value came back exactly, 'refused' on an EchoError with nothing written."""
    before = row_counts(session)
    try:
        made = attempt()
    except EchoError as error:
        assert str(error) and "Traceback" not in str(error)
        assert row_counts(session) == before
        return "refused"
    assert read_back(made) == expected
    return "stored"


@pytest.mark.parametrize("payload", corpus.TEXTS, ids=range(len(corpus.TEXTS)))
def test_hostile_names_are_stored_exactly_or_refused(session: Session, payload: str) -> None:
    before = row_counts(session)
    try:
        deal = deals.create_deal(session=session, actor=LEAD, seeker_name=payload, seeker_email="s@x.example",
                                 company_name=payload, team_size=3, monthly_budget=100)
    except InvalidInput as error:
        assert not payload.strip() or "\x00" in payload or len(payload) > 255, error
        assert row_counts(session) == before
        return
    session.expire_all()
    fresh = session.get(Deal, deal.id)
    assert fresh is not None and (fresh.company_name, fresh.seeker_name) == (payload.strip(), payload.strip())


@pytest.mark.parametrize("payload", [*corpus.TEXTS, corpus.BIG_BODY, corpus.LONG_TEXT],
                         ids=range(len(corpus.TEXTS) + 2))
def test_hostile_draft_bodies_and_host_context_are_stored_exactly_or_refused(session: Session, payload: str) -> None:
    draft = make_draft(session)
    space = make_space(session)
    session.commit()  # arranged rows survive a refused action's rollback
    outcome = stored_or_refused(
        session,
        lambda: drafts.edit(session=session, draft_id=draft.id, actor=LEAD, body=payload),
        lambda d: session.scalar(select(EmailDraft.final_body).where(EmailDraft.id == d.id)),
        payload.strip(),
    )
    refused = not payload.strip() or "\x00" in payload or len(payload.strip()) > 20_000
    assert outcome == ("refused" if refused else "stored")
    outcome = stored_or_refused(
        session,
        lambda: spaces.update_space(session=session, space_id=space.id, actor=LEAD, host_context=payload),
        lambda s: session.scalar(select(Space.host_context).where(Space.id == s.id)),
        payload.strip() or None,  # type: ignore[arg-type]
    )
    assert outcome == ("refused" if "\x00" in payload or len(payload.strip()) > 5000 else "stored")


@pytest.mark.parametrize("payload", corpus.TEXTS, ids=range(len(corpus.TEXTS)))
def test_sql_metacharacters_in_every_filter_are_inert(session: Session, payload: str) -> None:
    deal = make_deal(session, company_name=f"Needle {payload}".replace("\x00", "")[:255])
    make_deal(session, company_name="Haystack Co")
    found = deal_queries.count_deals(session.connection(), deal_queries.DealFilters(search=payload))
    if payload.replace("\x00", "").strip() and len(payload) < 240:  # the literal text matches its own deal
        rows = deal_queries.list_deals(session.connection(), deal_queries.DealFilters(search=payload), limit=500).rows
        assert deal.id in set(rows["id"]) and found == len(rows)
        assert "Haystack Co" not in set(rows["company"]) or payload.strip() in ("", "_", "%")
    for filters in (
        deal_queries.DealFilters(stages=(payload,), flags=(payload,), search=payload),
        deal_queries.DealFilters(budget_min=2**63, team_max=-(2**31)),
    ):
        assert deal_queries.count_deals(session.connection(), filters) >= 0
    for space_filters in (
        space_queries.SpaceFilters(flags=(payload,), neighborhoods=(payload,), search=payload),
        space_queries.SpaceFilters(rate_min=10**30, rate_max=-1),
    ):
        space_queries.list_spaces(session.connection(), space_filters)
        space_queries.count_spaces(session.connection(), space_filters)
    queue_filters = review.QueueFilters(statuses=(payload,), validation=(payload,), min_confidence=-(2**31),
                                        max_confidence=2**31, deal_id=2**31, min_age=timedelta(days=10**6))
    review.queue(session.connection(), queue_filters)
    review.status_counts(session.connection(), queue_filters)
    assert session.execute(text("SELECT count(*) FROM deals WHERE id = :i"), {"i": deal.id}).scalar_one() == 1


@pytest.mark.parametrize("number", corpus.NUMBERS)
def test_negative_and_huge_numbers_are_refused_before_the_database(session: Session, number: int) -> None:
    before = row_counts(session)
    try:
        deal = deals.create_deal(session=session, actor=LEAD, seeker_name="N", seeker_email="n@x.example",
                                 company_name="C", team_size=number, monthly_budget=number)
    except InvalidInput as error:
        assert ("at least 1" in str(error) or "negative" in str(error) or "too large" in str(error))
        assert row_counts(session) == before
    else:
        assert 0 < number < 2**31 and deal.team_size == number
    space = make_space(session)
    try:
        spaces.update_space(session=session, space_id=space.id, actor=LEAD, monthly_rate=number)
    except InvalidInput as error:
        assert "negative" in str(error) or "too large" in str(error)
    else:
        assert 0 <= number < 2**31


@pytest.mark.parametrize(("field", "shape"), corpus.WRONG_SHAPES, ids=[f for f, _ in corpus.WRONG_SHAPES])
def test_wrong_json_shapes_are_refused_with_one_readable_line(session: Session, field: str, shape: Any) -> None:
    before = row_counts(session)
    with pytest.raises(InvalidInput) as refused:
        if field == "requirements":
            deals.create_deal(session=session, actor=LEAD, seeker_name="N", seeker_email="n@x.example",
                              company_name="C", team_size=3, monthly_budget=1, requirements=shape)
        else:
            spaces.create_space(session=session, actor=LEAD, name="S", address="A", host_company="H",
                                host_email="h@x.example", monthly_rate=1, **{field: shape})
    assert len(str(refused.value).splitlines()) == 1
    assert row_counts(session) == before


def test_a_deeply_nested_json_document_is_refused_or_stored_without_a_crash(session: Session) -> None:
    deep: dict[str, Any] = {}
    node = deep
    for _ in range(200):
        node["x"] = {}
        node = node["x"]
    try:
        spaces.create_space(session=session, actor=LEAD, name="S", address="A", host_company="H",
                            host_email="h@x.example", monthly_rate=1, detailed_amenities={"parking": deep})
    except InvalidInput:
        pass


@pytest.mark.parametrize("raw", corpus.RAW_MAIL, ids=range(len(corpus.RAW_MAIL)))
def test_hostile_raw_mail_is_stored_as_text_or_reported(session: Session, raw: bytes) -> None:
    report = ingest_uploads(session=session, uploads=[("hostile.eml", raw)], actor=LEAD)
    assert report.stored + report.failed + report.duplicates == 1, report.summary()
    if report.stored:
        body = session.scalar(select(Email.body).order_by(Email.id.desc()).limit(1))
        assert body is not None and "\x00" not in body


def test_exported_cells_are_inert_and_lose_nothing(session: Session) -> None:
    tag = "HOSTILE-EXPORT"
    deal = make_deal(session, company_name=tag, seeker_name="=1+1")
    payloads = [p for p in corpus.TEXTS if "\x00" not in p]
    for payload in payloads:
        make_email(session, deal=deal, subject=payload, body=payload)
    out = io.StringIO()
    write_csv(session.connection(), "emails", out, actor=LEAD, filters=OfDeal(deal.id))
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert len(rows) == len(payloads)
    exported = sorted(row["body"] for row in rows)
    # Nothing lost: the quote and the visible markers for hidden controls (issue 15) are the only changes.
    expected = sorted(("'" if p.startswith(FORMULA_PREFIXES) else "") + neutralise_controls(p) for p in payloads)
    assert exported == expected
    for row in rows:
        for value in row.values():
            assert not value.startswith(FORMULA_PREFIXES) or value.lstrip("-").replace(".", "").isdigit()
    deals_out = io.StringIO()
    write_csv(session.connection(), "deals", deals_out, actor=LEAD, filters=ByIds((deal.id,)))
    assert next(csv.DictReader(io.StringIO(deals_out.getvalue())))["seeker_name"] == "'=1+1"
