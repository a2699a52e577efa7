"""The spaces page's read side against real PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from echo_core.errors import NotFound
from echo_core.queries import spaces as q
from tests.factories import make_deal, make_deal_space, make_space

METACHARACTERS = ["%", "_", "\\", "'", "'; DELETE FROM spaces; --", "%_%", "\\_", ":f_search"]


def _tag() -> str:
    return f"S{uuid.uuid4().hex[:8]}"


def _ids(page: q.Page) -> list[int]:
    return [int(i) for i in page.rows["id"]]


def test_amenity_flags_filter_by_jsonb_containment(session: Session) -> None:
    tag = _tag()
    both = make_space(session, name=f"{tag} a", amenities={"dogFriendly": True, "kitchen": True})
    dogs = make_space(session, name=f"{tag} b", amenities={"dogFriendly": True, "kitchen": False})
    make_space(session, name=f"{tag} c", amenities={"parking": True})
    conn = session.connection()
    assert set(_ids(q.list_spaces(conn, q.SpaceFilters(search=tag, flags=("dogFriendly",))))) == {both.id, dogs.id}
    assert _ids(q.list_spaces(conn, q.SpaceFilters(search=tag, flags=("dogFriendly", "kitchen")))) == [both.id]


def test_neighborhood_and_rate_range_narrow_the_inventory(session: Session) -> None:
    tag = _tag()
    cheap = make_space(session, name=f"{tag} 1", neighborhood="Mission", monthly_rate=8000)
    mid = make_space(session, name=f"{tag} 2", neighborhood="SoMa", monthly_rate=15000)
    make_space(session, name=f"{tag} 3", neighborhood="Mission", monthly_rate=30000)
    conn = session.connection()
    assert _ids(q.list_spaces(conn, q.SpaceFilters(search=tag, neighborhoods=("SoMa",)))) == [mid.id]
    in_range = q.SpaceFilters(search=tag, rate_min=5000, rate_max=20000)
    assert set(_ids(q.list_spaces(conn, in_range))) == {cheap.id, mid.id}
    assert q.count_spaces(conn, in_range) == 2


@pytest.mark.parametrize("needle", METACHARACTERS)
def test_sql_metacharacters_in_the_search_are_matched_literally(session: Session, needle: str) -> None:
    tag = _tag()
    literal = make_space(session, name=f"{tag} {needle} Loft")
    make_space(session, name=f"{tag} plain Loft")
    assert _ids(q.list_spaces(session.connection(), q.SpaceFilters(search=f"{tag} {needle}"))) == [literal.id]


def test_metacharacters_in_a_neighborhood_filter_are_plain_values(session: Session) -> None:
    tag = _tag()
    odd = make_space(session, name=tag, neighborhood="Mission' OR '1'='1")
    make_space(session, name=tag, neighborhood="Mission")
    filters = q.SpaceFilters(search=tag, neighborhoods=("Mission' OR '1'='1",))
    assert _ids(q.list_spaces(session.connection(), filters)) == [odd.id]


def test_keyset_pages_return_exactly_the_unpaginated_rows_in_order(session: Session) -> None:
    tag = _tag()
    instant = datetime.now(UTC) - timedelta(days=2)
    for i in range(17):
        make_space(session, name=f"{tag} {i}", created_at=instant if i % 2 else instant + timedelta(seconds=i))
    conn = session.connection()
    filters = q.SpaceFilters(search=tag)
    everything = _ids(q.list_spaces(conn, filters, limit=1000))
    paged: list[int] = []
    cursor = None
    while True:
        page = q.list_spaces(conn, filters, after=cursor, limit=4)
        paged += _ids(page)
        if (cursor := page.next_cursor) is None:
            break
    assert len(everything) == 17 and paged == everything


def test_a_space_in_full_and_the_deals_it_is_in(session: Session) -> None:
    space = make_space(session)
    deal = make_deal(session, company_name="Orbit Labs")
    make_deal_space(session, deal=deal, space=space, status="touring")
    detail = q.get_space(session.connection(), space.id)
    assert detail.detailed_amenities and detail.detailed_amenities["parking"]["costMonthly"] == 250
    frame = q.space_deals(session.connection(), space.id)
    assert list(zip(frame["deal_id"], frame["status"], strict=True)) == [(deal.id, "touring")]


def test_neighborhoods_and_flags_list_what_the_inventory_has(session: Session) -> None:
    tag = _tag()
    make_space(session, neighborhood=tag, amenities={f"flag{tag}": True})
    conn = session.connection()
    assert tag in q.neighborhoods(conn)
    assert f"flag{tag}" in q.amenity_flags(conn)


def test_unknown_space_is_a_readable_not_found(session: Session) -> None:
    with pytest.raises(NotFound, match="Space 987654321 does not exist"):
        q.get_space(session.connection(), 987654321)
