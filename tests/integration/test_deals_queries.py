"""The deals page's read side against real PostgreSQL (rows from factories, rolled back)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from echo_core.errors import NotFound
from echo_core.queries import deals as q
from tests.factories import make_deal, make_deal_space, make_email, make_space

METACHARACTERS = ["%", "_", "\\", "'", "''; DROP TABLE deals; --", "\" OR 1=1 --", "%_%", "\\%", "$1", ":f_search"]


def _tag() -> str:
    return f"T{uuid.uuid4().hex[:8]}"


def _ids(page: q.Page) -> list[int]:
    return [int(i) for i in page.rows["id"]]


def test_search_matches_company_or_seeker_case_insensitively(session: Session) -> None:
    tag = _tag()
    by_company = make_deal(session, company_name=f"{tag} Robotics")
    by_seeker = make_deal(session, seeker_name=f"Ana {tag.lower()}")
    make_deal(session, company_name="Unrelated Co")
    page = q.list_deals(session.connection(), q.DealFilters(search=tag))
    assert set(_ids(page)) == {by_company.id, by_seeker.id}


@pytest.mark.parametrize("needle", METACHARACTERS)
def test_sql_metacharacters_in_the_search_are_matched_literally(session: Session, needle: str) -> None:
    tag = _tag()
    literal = make_deal(session, company_name=f"{tag} {needle} Labs")
    make_deal(session, company_name=f"{tag} plain Labs")
    page = q.list_deals(session.connection(), q.DealFilters(search=f"{tag} {needle}"))
    assert _ids(page) == [literal.id]
    assert q.count_deals(session.connection(), q.DealFilters(search=f"{tag} {needle}")) == 1


def test_requirement_flags_filter_by_jsonb_containment(session: Session) -> None:
    tag = _tag()
    both = make_deal(session, company_name=f"{tag} a", requirements={"dogFriendly": True, "parking": True})
    dogs = make_deal(session, company_name=f"{tag} b", requirements={"dogFriendly": True, "parking": False})
    make_deal(session, company_name=f"{tag} c", requirements={"location": "SoMa"})
    conn = session.connection()
    assert set(_ids(q.list_deals(conn, q.DealFilters(search=tag, flags=("dogFriendly",))))) == {both.id, dogs.id}
    assert _ids(q.list_deals(conn, q.DealFilters(search=tag, flags=("dogFriendly", "parking")))) == [both.id]


def test_stage_budget_and_team_ranges_narrow_the_rows(session: Session) -> None:
    tag = _tag()
    small = make_deal(session, company_name=f"{tag} s", team_size=5, monthly_budget=8000, stage="inquiry")
    mid = make_deal(session, company_name=f"{tag} m", team_size=20, monthly_budget=20000, stage="touring")
    big = make_deal(session, company_name=f"{tag} b", team_size=60, monthly_budget=50000, stage="closed")
    conn = session.connection()

    def ids(**kw: object) -> set[int]:
        return set(_ids(q.list_deals(conn, q.DealFilters(search=tag, **kw))))  # type: ignore[arg-type]

    assert ids(stages=("inquiry", "closed")) == {small.id, big.id}
    assert ids(budget_min=10000, budget_max=30000) == {mid.id}
    assert ids(team_min=20) == {mid.id, big.id}
    assert ids(team_max=5) == {small.id}


def test_keyset_pages_return_exactly_the_unpaginated_rows_in_order(session: Session) -> None:
    tag = _tag()
    same_instant = datetime.now(UTC) - timedelta(days=3)
    # Ties on created_at are where OFFSET-free paging usually goes wrong.
    for i in range(23):
        make_deal(session, company_name=f"{tag} {i}", created_at=same_instant if i % 3 else same_instant - timedelta(
            minutes=i))
    conn = session.connection()
    filters = q.DealFilters(search=tag)
    everything = _ids(q.list_deals(conn, filters, limit=1000))
    paged: list[int] = []
    cursor = None
    while True:
        page = q.list_deals(conn, filters, after=cursor, limit=5)
        paged += _ids(page)
        cursor = page.next_cursor
        if cursor is None:
            break
    assert len(everything) == 23
    assert paged == everything


def test_last_page_has_no_next_cursor(session: Session) -> None:
    tag = _tag()
    for _ in range(3):
        make_deal(session, company_name=tag)
    page = q.list_deals(session.connection(), q.DealFilters(search=tag), limit=3)
    assert len(page.rows) == 3 and page.next_cursor is None


def test_table_rows_summarise_requirements_readably(session: Session) -> None:
    tag = _tag()
    make_deal(session, company_name=tag, requirements={"dogFriendly": True, "parking": False, "location": "SoMa"})
    row = q.list_deals(session.connection(), q.DealFilters(search=tag)).rows.iloc[0]
    assert row["needs"] == "Dog friendly"
    assert row["location"] == "SoMa"


def test_thread_is_in_the_order_it_was_sent(session: Session) -> None:
    deal = make_deal(session)
    now = datetime.now(UTC)
    late = make_email(session, deal=deal, subject="second", sent_at=now - timedelta(hours=1))
    early = make_email(session, deal=deal, subject="first", sent_at=now - timedelta(days=1))
    frame = q.thread(session.connection(), deal.id)
    assert list(frame["id"]) == [early.id, late.id]


def test_unknown_deal_is_a_readable_not_found(session: Session) -> None:
    with pytest.raises(NotFound, match="Deal 987654321 does not exist"):
        q.get_deal(session.connection(), 987654321)


def test_fitting_spaces_meet_flags_budget_rooms_and_location_with_reasons(session: Session) -> None:
    hood = f"Hood{_tag()}"
    deal = make_deal(session, team_size=20, monthly_budget=15000,
                     requirements={"dogFriendly": True, "parking": True, "location": f"{hood} or nearby"})
    rooms = {"meetingRooms": {"count": 2, "sizes": [6, 12]}}
    fits = make_space(session, neighborhood=hood, monthly_rate=14000, detailed_amenities=rooms)
    make_space(session, neighborhood=hood, monthly_rate=16000, detailed_amenities=rooms)  # over budget
    make_space(session, neighborhood=hood, monthly_rate=9000, detailed_amenities=rooms,
               amenities={"dogFriendly": False, "parking": True})  # no dogs
    make_space(session, neighborhood=hood, monthly_rate=9000,
               detailed_amenities={"meetingRooms": {"count": 1, "sizes": [4]}})  # 20 people need 2 rooms
    make_space(session, neighborhood="Elsewhere", monthly_rate=9000, detailed_amenities=rooms)  # wrong place
    linked = make_space(session, neighborhood=hood, monthly_rate=10000, detailed_amenities=rooms)
    make_deal_space(session, deal=deal, space=linked)  # already on the deal

    frame = q.fitting_spaces(session.connection(), deal.id)
    assert list(frame["space_id"]) == [fits.id]
    reasons = frame.iloc[0]["reasons"]
    assert "Dog friendly, as required" in reasons
    assert "Parking, as required" in reasons
    assert "$14,000/month is within the $15,000 budget ($1,000 to spare)" in reasons
    assert "2 meeting rooms, largest seats 12 for a team of 20 (needs 2)" in reasons
    assert any(r.startswith(f"In {hood}, which matches") for r in reasons)


def test_a_deal_without_flags_or_location_fits_every_roomy_enough_space_in_budget_cheapest_first(
    session: Session,
) -> None:
    deal = make_deal(session, team_size=5, monthly_budget=2_000_000, requirements={})
    rooms = {"meetingRooms": {"count": 1, "sizes": [8]}}
    dearer = make_space(session, neighborhood=None, monthly_rate=1_900_001, detailed_amenities=rooms,
                        amenities={"dogFriendly": False})
    cheaper = make_space(session, neighborhood="", monthly_rate=1_900_000, detailed_amenities=rooms)
    make_space(session, monthly_rate=1_900_002, detailed_amenities=None)  # no meeting room
    make_space(session, monthly_rate=2_000_001, detailed_amenities=rooms)  # over budget

    frame = q.fitting_spaces(session.connection(), deal.id, limit=500)
    ours = [i for i in frame["space_id"] if i in (cheaper.id, dearer.id)]
    assert ours == [cheaper.id, dearer.id]
    assert list(frame["monthly_rate"]) == sorted(frame["monthly_rate"])
    assert not any(r.startswith("In ") for reasons in frame["reasons"] for r in reasons)  # no location asked


def test_deal_spaces_show_each_linked_space_with_its_status(session: Session) -> None:
    deal = make_deal(session)
    first, second = make_space(session), make_space(session)
    make_deal_space(session, deal=deal, space=first, status="touring")
    make_deal_space(session, deal=deal, space=second, status="rejected")
    frame = q.deal_spaces(session.connection(), deal.id)
    assert list(zip(frame["space_id"], frame["status"], strict=True)) == [(first.id, "touring"),
                                                                          (second.id, "rejected")]
