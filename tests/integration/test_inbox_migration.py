"""Revision 0012's amendments to the analytics rollups: opening a draft is not acting on it, and hand-edit
versions are not refinements — both in the triggers and in a full rebuild."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from tests.factories import make_draft


def brokers_of(session: Session, draft_id: int) -> set[str]:
    rows = session.execute(text("SELECT broker FROM analytics_draft_brokers WHERE draft_id = :d"), {"d": draft_id})
    return {r[0] for r in rows}


def activity(session: Session, actor: str) -> int:
    return int(session.scalar(text("SELECT coalesce(sum(actions), 0) FROM analytics_activity_rollup "
                                   "WHERE actor = :a AND grain = 'd'"), {"a": actor}) or 0)


def test_an_opened_event_neither_counts_as_activity_nor_scopes_the_draft_to_the_viewer(session: Session) -> None:
    draft = make_draft(session)
    viewer = "just.looking@tandem.space"
    session.execute(text("INSERT INTO draft_events (draft_id, actor, action) VALUES (:d, :a, 'opened')"),
                    {"d": draft.id, "a": viewer})
    assert viewer not in brokers_of(session, draft.id) and activity(session, viewer) == 0
    session.execute(text("INSERT INTO draft_events (draft_id, actor, action) VALUES (:d, :a, 'edit')"),
                    {"d": draft.id, "a": viewer})
    assert viewer in brokers_of(session, draft.id) and activity(session, viewer) == 1
    session.execute(text("SELECT analytics_rollup_rebuild()"))  # a rebuild agrees with the triggers
    assert viewer in brokers_of(session, draft.id) and activity(session, viewer) == 1


def test_refinements_are_the_versions_that_carry_a_prompt(session: Session) -> None:
    versions = [
        {"version": 0, "body": "a", "prompt": None},
        {"version": 1, "body": "b", "prompt": None, "kind": "hand_edit", "editedBy": "maya@tandem.space"},
        {"version": 2, "body": "c", "prompt": "Make it shorter"},
    ]
    draft = make_draft(session, draft_versions=versions, current_version=2, final_body="c")
    refinements = session.scalar(text("SELECT f.refinements FROM email_drafts d, analytics_draft_facts(d) f "
                                      "WHERE d.id = :d"), {"d": draft.id})
    assert refinements == 1
