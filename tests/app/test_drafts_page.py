"""The draft review page through the real router: queue, filters, every action, stale edits, plain text."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from echo_core.db.models import Deal, Email, EmailDraft
from echo_core.permissions import Actor
from echo_core.services import drafts
from tests.factories import make_deal, make_deal_space, make_draft, make_email, make_space

PAGE = "pages/drafts.py"
HOSTILE = "<script>alert('x')</script> ![tracker](http://evil.example/pixel.png) **bold?**"
NOW = datetime.now(UTC)
SAFE_BODY = "Hi! Thanks for reaching out. When would suit you for a tour next week?"  # no facts to check


def _arrange(engine: Engine, **overrides: object) -> EmailDraft:
    with Session(engine, expire_on_commit=False) as s:
        deal = make_deal(s, company_name="Acme Robotics")
        inbound = make_email(s, deal=deal, subject="Parking and dogs?", body=HOSTILE)
        draft = make_draft(s, deal=deal, inbound=inbound, **overrides)
        s.commit()
    return draft


def _link_space(engine: Engine, draft: EmailDraft) -> None:
    """Link a space (rent $12,000) so that a wrong figure in the body contradicts a record."""
    with Session(engine) as s:
        row = s.get(EmailDraft, draft.id)
        assert row is not None
        deal = s.get(Deal, row.deal_id)
        assert deal is not None
        make_deal_space(s, deal=deal, space=make_space(s), status="touring")
        s.commit()


def _draft(engine: Engine, draft_id: int) -> EmailDraft:
    with Session(engine) as s:
        row = s.get(EmailDraft, draft_id)
        assert row is not None
        s.expunge(row)
        return row


def _open(open_page: Callable[..., AppTest], draft: EmailDraft, **state: object) -> AppTest:
    at = open_page(PAGE, state={"open_draft": draft.id, **state})
    assert not at.exception, at.exception
    return at


def _errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


def test_queue_lists_drafts_oldest_first_with_counts(app_engine: Engine, open_page: Callable[..., AppTest]) -> None:
    newer = _arrange(app_engine, created_at=NOW - timedelta(hours=1))
    older = _arrange(app_engine, created_at=NOW - timedelta(days=3))
    at = open_page(PAGE)
    assert not at.exception
    assert list(at.dataframe[0].value["draft_id"]) == [older.id, newer.id]
    assert {m.label: m.value for m in at.metric}["Pending"] == "2"


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("q_status", ["archived"], "archived"),
        ("q_validation", ["failed"], "failed"),
        ("q_confidence", (50, 100), "confident"),
        ("q_age", "Over 7 days", "old"),
    ],
)
def test_filters_narrow_the_queue(
    app_engine: Engine, open_page: Callable[..., AppTest], key: str, value: object, expected: str
) -> None:
    checked = {"issues": ["Price is wrong"], "checkedAt": NOW.isoformat()}
    made = {
        "plain": _arrange(app_engine, confidence_score=30),
        "archived": _arrange(app_engine, status="archived", confidence_score=30),
        "failed": _arrange(app_engine, validation={"status": "failed", **checked}, confidence_score=30),
        "confident": _arrange(app_engine, confidence_score=90),
        "old": _arrange(app_engine, created_at=NOW - timedelta(days=9), confidence_score=30),
    }
    at = open_page(PAGE, state={"q_status": ["pending", "archived"]} if key != "q_status" else {})
    assert len(at.dataframe[0].value) == (5 if key != "q_status" else 4)
    at.get_by_key(key).set_value(value).run()
    assert list(at.dataframe[0].value["draft_id"]) == [made[expected].id]


def test_deal_filter_shows_only_that_deals_drafts(app_engine: Engine, open_page: Callable[..., AppTest]) -> None:
    mine, other = _arrange(app_engine), _arrange(app_engine)
    at = open_page(PAGE)
    at.selectbox(key="q_deal").set_value(mine.deal_id).run()
    assert list(at.dataframe[0].value["draft_id"]) == [mine.id]
    assert other.id not in list(at.dataframe[0].value["draft_id"])


def test_hostile_email_text_is_shown_only_as_plain_text(app_engine: Engine, open_page: Callable[..., AppTest]) -> None:
    draft = _arrange(app_engine, body=f"Reply quoting {HOSTILE}")
    at = _open(open_page, draft)
    assert any(HOSTILE in t.value for t in at.text), "the inbound body is shown verbatim"
    rendered_as_markup = [m.value for m in (*at.markdown, *at.caption, *at.warning, *at.info, *at.success)]
    assert not any("<script>" in v or "evil.example" in v for v in rendered_as_markup)
    assert not at.get("html")
    assert at.text_area(key=f"body_{draft.id}_1").value == f"Reply quoting {HOSTILE}"


def test_saving_an_edit_stores_the_body_and_bumps_the_lock(
    app_engine: Engine, open_page: Callable[..., AppTest]
) -> None:
    draft = _arrange(app_engine)
    at = _open(open_page, draft)
    at.text_area(key=f"body_{draft.id}_1").set_value("Hi! Parking is $250/month. See you Tuesday.")
    at.button(key=f"save_{draft.id}_1").click().run()
    assert not _errors(at) and not at.exception
    row = _draft(app_engine, draft.id)
    assert row.final_body == row.edited_body == "Hi! Parking is $250/month. See you Tuesday."
    assert row.lock_version == 2
    assert at.text_area(key=f"body_{draft.id}_2").value == row.final_body  # fresh data after the action


def test_a_stale_edit_tells_the_broker_to_reload(app_engine: Engine, open_page: Callable[..., AppTest]) -> None:
    draft = _arrange(app_engine)
    at = _open(open_page, draft)
    with Session(app_engine) as s:  # someone else edits meanwhile
        drafts.edit(session=s, draft_id=draft.id, actor=Actor("other@tandem.space"), body="Their version")
    at.text_area(key=f"body_{draft.id}_1").set_value("My version")
    at.button(key=f"save_{draft.id}_1").click().run()
    assert any("reload" in e.lower() for e in _errors(at)), _errors(at)
    assert not at.exception
    assert _draft(app_engine, draft.id).final_body == "Their version"


def test_approve_then_send_writes_the_sent_email(app_engine: Engine, open_page: Callable[..., AppTest]) -> None:
    draft = _arrange(app_engine, body=SAFE_BODY)
    at = _open(open_page, draft)
    at.button(key=f"approve_{draft.id}_1").click().run()
    assert not _errors(at), _errors(at)
    assert _draft(app_engine, draft.id).status == "approved"
    at.button(key=f"send_{draft.id}_2").click().run()
    assert not _errors(at), _errors(at)
    row = _draft(app_engine, draft.id)
    assert row.status == "sent" and row.sent_email_id is not None
    with Session(app_engine) as s:
        email = s.get(Email, row.sent_email_id)
        assert email is not None and email.body == row.final_body and email.ai_generated
    assert any(f"as email #{row.sent_email_id}" in t.value for t in at.text)


def test_sending_a_pending_draft_is_impossible_from_the_page(
    app_engine: Engine, open_page: Callable[..., AppTest]
) -> None:
    draft = _arrange(app_engine)
    at = _open(open_page, draft)
    assert f"send_{draft.id}_1" not in [b.key for b in at.button]


def test_failed_fact_check_needs_the_explicit_override(app_engine: Engine, open_page: Callable[..., AppTest]) -> None:
    draft = _arrange(app_engine, validation={"status": "failed", "issues": ["x"], "checkedAt": NOW.isoformat()},
                     body="The rent is $1 per month and there are 900 parking spots.")
    _link_space(app_engine, draft)
    at = _open(open_page, draft)
    assert at.checkbox(key=f"override_{draft.id}_1").label == "Approve despite failed fact-check"
    at.button(key=f"approve_{draft.id}_1").click().run()
    assert any("fact check failed" in e for e in _errors(at)), _errors(at)
    assert _draft(app_engine, draft.id).status == "pending"
    at.checkbox(key=f"override_{draft.id}_1").check().run()
    at.button(key=f"approve_{draft.id}_1").click().run()
    assert _draft(app_engine, draft.id).status == "approved"


def test_a_fact_check_failing_only_at_approval_offers_the_override(
    app_engine: Engine, open_page: Callable[..., AppTest]
) -> None:
    draft = _arrange(app_engine, body="Parking is $250/month and rent is $1.")  # stored as unchecked
    _link_space(app_engine, draft)
    at = _open(open_page, draft)
    assert not [c for c in at.checkbox if c.key == f"override_{draft.id}_1"]
    at.button(key=f"approve_{draft.id}_1").click().run()
    assert any("fact check failed" in e for e in _errors(at)), _errors(at)
    at.checkbox(key=f"override_{draft.id}_1").check().run()
    at.button(key=f"approve_{draft.id}_1").click().run()
    assert _draft(app_engine, draft.id).status == "approved"


def test_archive_with_a_reason_then_restore(app_engine: Engine, open_page: Callable[..., AppTest]) -> None:
    draft = _arrange(app_engine)
    at = _open(open_page, draft)
    at.selectbox(key=f"archive_reason_{draft.id}_1").set_value("wrong_tone")
    at.text_input(key=f"archive_note_{draft.id}_1").input("Too pushy")
    at.button(key=f"archive_{draft.id}_1").click().run()
    row = _draft(app_engine, draft.id)
    assert (row.status, row.archive_category, row.archive_reason) == ("archived", "wrong_tone", "Too pushy")
    at.button(key=f"restore_{draft.id}_2").click().run()
    row = _draft(app_engine, draft.id)
    assert (row.status, row.archive_category) == ("pending", None)


def test_use_an_earlier_version_and_see_the_diff(app_engine: Engine, open_page: Callable[..., AppTest]) -> None:
    versions = [
        {"version": 0, "body": "Parking is $250.", "prompt": None, "confidence": 70, "createdAt": NOW.isoformat()},
        {"version": 1, "body": "Parking is $300.", "prompt": "fix price", "confidence": 80,
         "createdAt": NOW.isoformat()},
    ]
    draft = _arrange(app_engine, draft_versions=versions, current_version=1, final_body="Parking is $300.")
    at = _open(open_page, draft)
    diff = at.code[0].value
    assert "-Parking is $250." in diff and "+Parking is $300." in diff
    at.selectbox(key=f"use_{draft.id}_1").set_value(0).run()
    at.button(key=f"use_btn_{draft.id}_1").click().run()
    row = _draft(app_engine, draft.id)
    assert (row.current_version, row.final_body) == (0, "Parking is $250.")


def test_refinement_shows_how_many_are_left_and_adds_a_version(
    app_engine: Engine, open_page: Callable[..., AppTest]
) -> None:
    draft = _arrange(app_engine)
    at = _open(open_page, draft)
    assert any("3 of 3 refinements left" in t.value for t in at.text)
    at.text_area(key=f"refine_prompt_{draft.id}_1").input("Make it shorter")
    at.button(key=f"refine_{draft.id}_1").click().run()
    assert not _errors(at), _errors(at)
    row = _draft(app_engine, draft.id)
    assert row.regeneration_count == 1 and row.current_version == 1
    assert any("2 of 3 refinements left" in t.value for t in at.text)


def test_used_up_refinements_show_when_the_cooldown_ends(
    app_engine: Engine, open_page: Callable[..., AppTest]
) -> None:
    last = NOW - timedelta(hours=1)
    draft = _arrange(app_engine, regeneration_count=3, last_regeneration_at=last)
    at = _open(open_page, draft)
    ends = (last + timedelta(hours=24)).strftime("%Y-%m-%d %H:%M")
    assert any(f"next one is possible at {ends}" in t.value for t in at.text)
    assert at.button(key=f"refine_{draft.id}_1").disabled


def test_the_page_counts_every_draft_in_the_demo(demo_db_url: str, app_engine: Engine,
                                                 open_page: Callable[..., AppTest]) -> None:
    at = open_page(PAGE, state={"q_status": []})
    assert not at.exception
    with Session(app_engine) as s:
        total = s.scalar(select(func.count()).select_from(EmailDraft))
    assert total, "the demo seed made no drafts"
    assert sum(int(m.value) for m in at.metric[:4]) == total


def test_an_analyst_reads_a_draft_but_gets_no_action_buttons(
    app_engine: Engine, open_page: Callable[..., AppTest]
) -> None:
    draft = _arrange(app_engine)
    at = open_page(PAGE, state={"open_draft": draft.id}, role="analyst")
    assert not at.exception
    assert at.text_area(key=f"body_{draft.id}_1").disabled
    keys = {b.key for b in at.button}
    assert not {f"approve_{draft.id}_1", f"save_{draft.id}_1", f"archive_{draft.id}_1", f"refine_{draft.id}_1"} & keys
    assert any("Read only" in i.value for i in at.info)
