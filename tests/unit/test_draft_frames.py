"""How the dashboard frames one draft: the default diff (AI text vs the broker's), version names, tables."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pandas as pd

from echo_core.queries.drafts import DraftDetail
from ui.draft_frames import (
    default_comparison,
    diff_versions,
    facts_frame,
    history_frame,
    questions_frame,
    version_label,
    versions_frame,
)

NOW = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)


def version(number: int, body: str, **extra: Any) -> dict[str, Any]:
    return {"version": number, "body": body, "prompt": None, "confidence": 80, "createdAt": NOW.isoformat(), **extra}


def detail(versions: list[dict[str, Any]], current: int) -> DraftDetail:
    return DraftDetail(
        id=1, status="pending", deal_id=1, company="Acme", seeker_name="Sam", seeker_email="sam@acme.example",
        owner_email=None, inbound_email_id=1, inbound_from="sam@acme.example", inbound_subject="Hi",
        inbound_body="?", inbound_sent_at=NOW, ai_generated_body=versions[0]["body"],
        final_body=next(v["body"] for v in versions if v["version"] == current), edited=False, confidence_score=80,
        reasoning={}, validation=None, current_version=current, versions=versions, regeneration_count=0,
        refinements_left=3, refine_available_at=None, reviewed_at=None, reviewed_by=None, sent_at=None,
        sent_email_id=None, archived_at=None, archived_by=None, archive_category=None, archive_reason=None,
        archived_from_status=None, lock_version=1, created_at=NOW,
    )


HAND = {"kind": "hand_edit", "editedBy": "ann@tandem.space", "basedOn": 1}


def test_the_default_diff_is_the_ai_text_against_the_hand_edit() -> None:
    d = detail([version(0, "AI one"), version(1, "AI two", prompt="shorter"), version(2, "Ann's", **HAND),
                version(3, "Ann's again", **HAND)], current=3)
    assert default_comparison(d) == (1, 3)


def test_without_a_hand_edit_the_default_diff_is_the_previous_version() -> None:
    d = detail([version(0, "first"), version(1, "second", prompt="warmer")], current=1)
    assert default_comparison(d) == (0, 1)
    assert default_comparison(replace(d, versions=[version(0, "only")], current_version=0)) == (0, 0)


def test_versions_are_named_by_who_wrote_them() -> None:
    assert version_label(version(2, "x", **HAND)) == "v2 · hand edit by ann@tandem.space"
    assert version_label(version(1, "x", prompt="Shorter please")) == "v1 · refined: “Shorter please”"
    assert version_label(version(0, "x")) == "v0 · AI draft"
    frame = versions_frame(detail([version(0, "a b"), version(1, "a b c", **HAND)], current=1))
    assert list(frame["By"]) == ["AI", "ann@tandem.space"] and list(frame["Current"]) == [False, True]


def test_the_diff_of_two_versions_marks_the_changed_words() -> None:
    d = detail([version(0, "Parking is $250."), version(1, "Parking is $300.", **HAND)], current=1)
    changed = [(s.op, s.text) for s in diff_versions(d, 0, 1).segments if s.op != "equal"]
    assert changed == [("delete", "250"), ("insert", "300")]


def test_reasoning_tables_have_human_headers_and_no_none() -> None:
    reasoning = {"questionsAddressed": [{"question": "Dogs?", "answer": "Yes", "sourceEmailId": None}],
                 "dataUsed": [{"dataPoint": "dog policy", "sourceType": "space", "sourceId": 7, "value": True}]}
    questions, facts = questions_frame(reasoning), facts_frame(reasoning)
    assert list(questions.columns) == ["Question", "Answer", "Asked in email", "Asked as"]
    assert questions.iloc[0].to_dict() == {"Question": "Dogs?", "Answer": "Yes", "Asked in email": "—",
                                           "Asked as": "—"}
    assert facts.iloc[0]["Value"] == "true" and facts.iloc[0]["Field"] == "—"
    assert questions_frame(None).empty


def test_the_history_is_told_in_words() -> None:
    events = pd.DataFrame({"at": [NOW, NOW], "actor": ["ann@tandem.space", "ann@tandem.space"],
                           "action": ["opened", "approve"], "from_status": ["pending", "pending"],
                           "to_status": ["pending", "approved"]})
    frame = history_frame(events)
    assert list(frame["What"]) == ["Opened", "Approved"] and list(frame["Status"]) == ["—", "pending → approved"]
