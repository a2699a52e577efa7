"""The demo data looks like a real brokerage, and seeding twice changes nothing."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from echo_core.demo.seed import seed_demo
from echo_core.schemas import Availability, DetailedAmenities, parse

TABLES = ["deals", "spaces", "deal_spaces", "emails", "email_drafts", "draft_events", "deal_events"]


def _fingerprint(session: Session) -> dict[str, str]:
    """A content hash per table, so 'changes nothing' means no row added, removed or altered."""
    out = {}
    for table in TABLES:
        out[table] = session.scalar(
            text(f"SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t.id), '')) FROM {table} t")
        )
    return out


def test_seeding_twice_changes_nothing(session: Session) -> None:
    first = seed_demo(session)
    assert first.total > 0
    before = _fingerprint(session)
    second = seed_demo(session)
    assert second.total == 0
    assert _fingerprint(session) == before


def test_demo_deals_have_owners_through_the_audited_service_and_some_wait_unassigned(session: Session) -> None:
    seed_demo(session)
    owners = dict(session.execute(text(
        "SELECT d.seeker_email, u.email FROM deals d LEFT JOIN users u ON u.id = d.owner_id")).all())
    assert owners["sarah@brightpath.example.com"] == "maya@tandem.space"
    assert owners["tom@gridwise.example.com"] == "leo@tandem.space"
    assert owners["priya@fernbio.example.com"] is None and owners["ben@cobaltlabs.example.com"] is None
    audited = session.scalar(text("SELECT count(*) FROM deal_events WHERE action = 'assigned'"))
    assert audited == sum(1 for o in owners.values() if o)


def test_a_reseed_never_undoes_an_owner_decision(session: Session) -> None:
    from echo_core.permissions import Actor, Role
    from echo_core.services.ownership import unassign

    seed_demo(session)
    deal_id = session.scalar(text("SELECT id FROM deals WHERE seeker_email = 'sarah@brightpath.example.com'"))
    unassign(session=session, deal_id=deal_id, actor=Actor("jordan@tandem.space", Role.LEAD))
    assert seed_demo(session).total == 0
    assert session.scalar(text("SELECT owner_id FROM deals WHERE id = :d"), {"d": deal_id}) is None


def test_demo_deals_cover_every_stage(session: Session) -> None:
    seed_demo(session)
    stages = dict(session.execute(text("SELECT stage, count(*) FROM deals GROUP BY stage")).all())
    assert sum(stages.values()) >= 8
    assert set(stages) == {"inquiry", "touring", "negotiating", "closed"}


def test_demo_spaces_span_neighborhoods_with_full_detailed_amenities(session: Session) -> None:
    seed_demo(session)
    rows = session.execute(text("SELECT neighborhood, detailed_amenities, availability, amenities FROM spaces")).all()
    assert len(rows) >= 15
    assert len({r.neighborhood for r in rows}) >= 4
    for row in rows:
        details = parse(DetailedAmenities, row.detailed_amenities, what="detailed amenities")
        assert details.dog_policy is not None and details.access is not None
        assert details.meeting_rooms is not None and details.rent_inclusions is not None
        assert details.host_status
        assert parse(Availability, row.availability, what="availability").root
    assert {r.amenities["dogFriendly"] for r in rows} == {True, False}
    assert {r.amenities["parking"] for r in rows} == {True, False}


def test_demo_links_use_every_deal_space_status(session: Session) -> None:
    seed_demo(session)
    statuses = set(session.scalars(text("SELECT DISTINCT status FROM deal_spaces")))
    assert statuses == {"shown", "interested", "touring", "rejected", "selected"}


def test_demo_threads_ask_the_questions_seekers_really_ask(session: Session) -> None:
    seed_demo(session)
    bodies = " ".join(session.scalars(text("SELECT lower(body) FROM emails"))).lower()
    for topic in ("dog", "parking", "after-hours", "meeting room", "price", "include", "tour"):
        assert topic in bodies, topic


def test_demo_drafts_cover_every_status_with_versions_reasoning_validation_and_reasons(session: Session) -> None:
    seed_demo(session)
    rows = session.execute(text(
        "SELECT status, jsonb_array_length(draft_versions) AS versions, reasoning, validation, archive_category, "
        "sent_email_id FROM email_drafts")).all()
    assert {r.status for r in rows} == {"pending", "approved", "sent", "archived"}
    assert any(r.versions > 1 for r in rows), "a refined draft has a version history"
    assert sum(bool(r.reasoning["questionsAddressed"]) for r in rows) >= 8
    assert all(r.validation["status"] in ("passed", "warnings", "failed") for r in rows)
    assert {r.archive_category for r in rows if r.status == "archived"} >= {"wrong_facts", "handled_by_phone"}
    assert all(r.sent_email_id for r in rows if r.status == "sent")
    events = session.scalar(text("SELECT count(*) FROM draft_events"))
    assert events >= len(rows)
