"""Table exports: filters applied, JSONB flattened, formulas neutralised, memory flat."""

from __future__ import annotations

import csv
import io
import tracemalloc
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from echo_core.errors import InvalidInput
from echo_core.export import ByIds, OfDeal, OfDraft, write_csv
from echo_core.permissions import Actor, Role
from echo_core.queries.deals import DealFilters
from echo_core.queries.spaces import SpaceFilters
from tests.factories import make_deal, make_draft, make_email, make_space

ANALYST = Actor("analyst@tandem.space", Role.ANALYST)


def _export(session: Session, name: str, **kwargs: object) -> list[dict[str, str]]:
    buffer = io.StringIO()
    count = write_csv(session.connection(), name, buffer, actor=ANALYST, **kwargs)  # type: ignore[arg-type]
    rows = list(csv.DictReader(io.StringIO(buffer.getvalue())))
    assert count == len(rows)
    return rows


def test_deal_export_applies_the_page_filters_and_flattens_requirements(session: Session) -> None:
    tag = f"X{uuid.uuid4().hex[:8]}"
    dogs = make_deal(session, company_name=f"{tag} dogs", requirements={"dogFriendly": True, "location": "SoMa"})
    make_deal(session, company_name=f"{tag} cats", requirements={"dogFriendly": False})
    filters = DealFilters(search=tag, flags=("dogFriendly",))
    rows = _export(session, "deals", filters=filters)
    assert [r["id"] for r in rows] == [str(dogs.id)]
    assert rows[0]["requirements.dogFriendly"] == "true"
    assert rows[0]["requirements.location"] == "SoMa"
    assert "requirements" not in rows[0]


def test_space_export_flattens_nested_detailed_amenities_into_dotted_columns(session: Session) -> None:
    tag = f"X{uuid.uuid4().hex[:8]}"
    space = make_space(session, name=tag)
    filters = SpaceFilters(search=tag)
    [row] = _export(session, "spaces", filters=filters)
    assert row["id"] == str(space.id)
    assert row["detailed_amenities.parking.costMonthly"] == "250"
    assert row["detailed_amenities.meetingRooms.sizes"] == "6; 12"
    assert row["availability.tuesday"] == "2pm; 4pm"
    assert row["amenities.dogFriendly"] == "true"


def test_every_string_cell_is_neutralised_including_flattened_json(session: Session) -> None:
    tag = f"X{uuid.uuid4().hex[:8]}"
    make_deal(session, company_name=f"{tag}", seeker_name="=HYPERLINK(\"http://x\",\"click\")",
              seeker_email="@evil.example.com", requirements={"location": "+1 SoMa", "note": "-2", "x": "\tx"})
    filters = DealFilters(search=tag)
    [row] = _export(session, "deals", filters=filters)
    assert row["seeker_name"] == "'=HYPERLINK(\"http://x\",\"click\")"
    assert row["seeker_email"] == "'@evil.example.com"
    assert row["requirements.location"] == "'+1 SoMa"
    assert row["requirements.note"] == "'-2"
    assert row["requirements.x"] == "'\tx"
    assert row["monthly_budget"] == "15000"


def test_email_bodies_with_newlines_commas_and_quotes_round_trip_through_csv(session: Session) -> None:
    deal = make_deal(session)
    body = 'Hi,\nis it "dog friendly"?\r\n=1+1'
    email = make_email(session, deal=deal, body=body, subject="\rsubject")
    rows = _export(session, "emails", filters=OfDeal(deal.id))
    assert [r["id"] for r in rows] == [str(email.id)]
    assert rows[0]["body"] == body
    assert rows[0]["subject"] == "'\rsubject"


def test_since_keeps_only_rows_on_or_after_the_date(session: Session) -> None:
    tag = f"X{uuid.uuid4().hex[:8]}"
    now = datetime.now(UTC)
    recent = make_deal(session, company_name=tag, created_at=now - timedelta(days=1))
    make_deal(session, company_name=tag, created_at=now - timedelta(days=40))
    filters = DealFilters(search=tag)
    since = (now - timedelta(days=10)).replace(tzinfo=None)
    rows = _export(session, "deals", filters=filters, since=since)
    assert [r["id"] for r in rows] == [str(recent.id)]


def test_drafts_and_events_export_flatten_their_json(session: Session) -> None:
    draft = make_draft(session, validation={"status": "warnings", "issues": ["=bad"], "checkedAt": "2026-01-01"})
    session.execute(text("INSERT INTO draft_events (draft_id, actor, action, details) "
                         "VALUES (:d, 'broker@tandem.space', 'approve', '{\"note\": \"@me\"}')"), {"d": draft.id})
    [drow] = _export(session, "drafts", filters=ByIds((draft.id,)))
    assert drow["validation.status"] == "warnings"
    assert drow["validation.issues"] == "'=bad"
    assert drow["metadata.model"] == "offline-rules"
    [erow] = _export(session, "events", filters=OfDraft(draft.id))
    assert erow["details.note"] == "'@me"


def test_unknown_export_name_is_a_clear_error(session: Session) -> None:
    with pytest.raises(InvalidInput, match="choose one of: deals, spaces, emails, drafts, events"):
        write_csv(session.connection(), "passwords", io.StringIO(), actor=ANALYST)


class _Sink(io.TextIOBase):
    """Counts what is written and keeps none of it."""

    def __init__(self) -> None:
        self.chars = 0

    def write(self, s: str) -> int:
        self.chars += len(s)
        return len(s)


def test_a_large_export_streams_in_flat_memory(session: Session) -> None:
    tag = f"X{uuid.uuid4().hex[:8]}"
    rows = 30_000
    session.execute(text("""
        INSERT INTO deals (seeker_name, seeker_email, company_name, team_size, monthly_budget, requirements, stage)
        SELECT 'Seeker ' || g, 's' || g || '@example.com', :tag || ' ' || g, 1 + g % 50, 1000 * (g % 40),
               jsonb_build_object('dogFriendly', g % 2 = 0, 'location', 'Hood ' || g % 7), 'inquiry'
        FROM generate_series(1, :n) AS g
    """), {"tag": tag, "n": rows})
    sink = _Sink()
    tracemalloc.start()
    try:
        count = write_csv(session.connection(), "deals", sink, actor=ANALYST,  # type: ignore[arg-type]
                          filters=DealFilters(search=tag))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == rows
    # The CSV is several MB; holding the rows would cost far more. Streaming keeps the peak at a few batches.
    assert sink.chars > 2_500_000
    assert peak < sink.chars / 2, f"peak {peak} bytes for {sink.chars} chars written"


def test_a_filter_object_for_another_table_is_refused(session: Session) -> None:
    with pytest.raises(InvalidInput, match="cannot filter the deals export"):
        write_csv(session.connection(), "deals", io.StringIO(), actor=ANALYST, filters=OfDeal(1))
