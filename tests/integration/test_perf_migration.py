"""Revision 0015: the amenity-flag counts stay exact through every write to spaces, and the two page queries
it serves read them (and the new index) — correctness only, the timings are `bench run`'s."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from echo_core.queries.spaces import amenity_flags
from tests.factories import make_space


def counts(session: Session) -> dict[str, int]:
    return {str(r.flag): int(r.spaces) for r in session.execute(text("SELECT flag, spaces FROM space_amenity_flags"))}


def recount(session: Session) -> dict[str, int]:
    rows = session.execute(text("SELECT k, count(*) FROM spaces, jsonb_object_keys(amenities) AS k "
                                "WHERE jsonb_typeof(amenities) = 'object' GROUP BY k"))
    return {str(k): int(n) for k, n in rows}


def test_the_flag_counts_follow_every_insert_edit_and_delete(session: Session) -> None:
    before = counts(session)
    space = make_space(session, amenities={"parking": True, "benchFlagA": True})
    other = make_space(session, amenities={"benchFlagA": False, "benchFlagB": True})
    session.flush()
    after = counts(session)
    assert after["benchFlagA"] == before.get("benchFlagA", 0) + 2
    assert after["parking"] == before.get("parking", 0) + 1
    space.amenities = {"benchFlagB": True}
    session.flush()
    session.delete(other)
    session.flush()
    final = counts(session)
    assert final["benchFlagA"] == before.get("benchFlagA", 0)
    assert final["benchFlagB"] == before.get("benchFlagB", 0) + 1
    assert final["parking"] == before.get("parking", 0)
    assert {k: v for k, v in final.items() if v} == recount(session)


def test_the_amenity_filter_lists_exactly_the_keys_some_space_carries(session: Session) -> None:
    make_space(session, amenities={"benchOnlyFlag": True})
    session.flush()
    listed = amenity_flags(session.connection())
    assert listed == sorted(recount(session)) and "benchOnlyFlag" in listed
    session.execute(text("DELETE FROM spaces WHERE amenities ? 'benchOnlyFlag'"))
    assert "benchOnlyFlag" not in amenity_flags(session.connection())


def test_the_cheapest_first_index_is_there_for_fitting_spaces(session: Session) -> None:
    found = session.scalar(text("SELECT indexdef FROM pg_indexes WHERE indexname = 'idx_spaces_monthly_rate_id'"))
    assert found is not None and "(monthly_rate, id)" in found
