"""The review inbox through the real router: queue, filters, every action, no lost edits, plain text."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from echo_core.db.models import Deal, DraftEvent, Email, EmailDraft
from echo_core.permissions import Actor
from echo_core.services import drafts
from tests.factories import make_deal, make_deal_space, make_draft, make_email, make_space, make_user
from ui.health import CALLBACK_DATABASE_ERROR
from ui.text import md_escape

PAGE = "pages/drafts.py"
HOSTILE = "<script>alert('x')</script> ![tracker](http://evil.example/pixel.png) **bold?**"
NOW = datetime.now(UTC)
SAFE_BODY = "Hi! Thanks for reaching out. When would suit you for a tour next week?"  # no facts to check
EDITED = "Hi Sam! Thanks for reaching out. Which afternoon next week suits your team for a tour?"


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


def _tab(at: AppTest, name: str) -> AppTest:
    """Select one of the draft's tabs (they are lazy: only the selected one is drawn)."""
    at.session_state["draft_tabs"] = name
    return at.run()


def _errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


def _rows(at: AppTest) -> list[int]:
    return [int(b.key.removeprefix("inbox_row_")) for b in at.button if (b.key or "").startswith("inbox_row_")]


def _highlighted(at: AppTest) -> list[int]:
    """The rows the draft panel's style highlights (it writes the rule, so the queue is not redrawn)."""
    styles = " ".join(str(getattr(e.proto, "body", "")) for e in at.get("html"))
    return [int(i) for i in re.findall(r"\.st-key-inbox_row_(\d+) button \{background", styles)]


def _toasts(at: AppTest) -> list[str]:
    return [t.value for t in at.toast]


def _diff_html(at: AppTest) -> str:
    """The body of the version diff (the page's other st.html elements are fixed style sheets)."""
    bodies = [e.proto.body for e in at.get("html") if "echo-diff" in e.proto.body]
    assert bodies, "no diff on the page"
    return bodies[-1]


def _events(engine: Engine, draft_id: int) -> list[str]:
    with Session(engine) as s:
        return list(s.scalars(select(DraftEvent.action).where(DraftEvent.draft_id == draft_id)
                              .order_by(DraftEvent.id)))


# --- the queue ------------------------------------------------------------------------------


def test_the_queue_lists_drafts_oldest_first_and_counts_them(app_engine: Engine,
                                                             open_page: Callable[..., AppTest]) -> None:
    newer = _arrange(app_engine, created_at=NOW - timedelta(hours=1))
    older = _arrange(app_engine, created_at=NOW - timedelta(days=3))
    at = open_page(PAGE)
    assert not at.exception
    assert _rows(at) == [older.id, newer.id]
    assert at.selectbox(key="q_view").format_func("To review") == "To review 2"
    label = next(b.label for b in at.button if b.key == f"inbox_row_{newer.id}")
    assert "Acme Robotics" in label and "1 h ago" in label and "Parking and dogs?" in label


def test_one_click_on_a_row_opens_that_draft_and_highlights_it(app_engine: Engine,
                                                               open_page: Callable[..., AppTest]) -> None:
    first, second = _arrange(app_engine), _arrange(app_engine)
    at = open_page(PAGE)
    at.button(key=f"inbox_row_{second.id}").click().run()
    assert at.session_state["open_draft"] == second.id
    assert at.subheader[0].value.startswith(f"Draft #{second.id}")
    assert _highlighted(at) == [second.id]
    assert at.query_params["draft"] in (str(second.id), [str(second.id)])
    assert _events(app_engine, second.id) == ["opened"] and _events(app_engine, first.id) == []


def test_a_deep_link_opens_the_draft(app_engine: Engine, open_page: Callable[..., AppTest]) -> None:
    _arrange(app_engine)
    wanted = _arrange(app_engine)
    at = open_page(PAGE)
    at.query_params["draft"] = str(wanted.id)
    at.run()
    assert at.subheader[0].value.startswith(f"Draft #{wanted.id}")


def test_next_and_previous_walk_the_queue(app_engine: Engine, open_page: Callable[..., AppTest]) -> None:
    made = [_arrange(app_engine, created_at=NOW - timedelta(hours=h)) for h in (3, 2, 1)]
    at = open_page(PAGE)
    at.button(key="inbox_next").click().run()  # nothing open: the first draft
    assert at.session_state["open_draft"] == made[0].id
    at.button(key="inbox_next").click().run()
    at.button(key="inbox_next").click().run()
    assert at.session_state["open_draft"] == made[2].id and _highlighted(at) == [made[2].id]
    at.button(key="inbox_prev").click().run()
    assert at.session_state["open_draft"] == made[1].id


def test_next_walks_on_to_the_older_page_and_the_pager_pages(app_engine: Engine,
                                                             open_page: Callable[..., AppTest]) -> None:
    from ui.review_data import QUEUE_ROWS

    made = [_arrange(app_engine, created_at=NOW - timedelta(hours=100 - n)) for n in range(QUEUE_ROWS + 2)]
    at = open_page(PAGE)
    assert _rows(at) == [d.id for d in made[:QUEUE_ROWS]]
    at.session_state["open_draft"] = made[QUEUE_ROWS - 1].id  # the first page's last row
    at.run()
    at.button(key="inbox_next").click().run()
    assert at.session_state["open_draft"] == made[QUEUE_ROWS].id
    assert _rows(at) == [d.id for d in made[QUEUE_ROWS:]] and _highlighted(at) == [made[QUEUE_ROWS].id]
    at.button(key="inbox_page_prev").click().run()
    assert _rows(at) == [d.id for d in made[:QUEUE_ROWS]]
    at.button(key="inbox_page_next").click().run()
    assert _rows(at) == [d.id for d in made[QUEUE_ROWS:]]


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [("q_view", "Archived", "archived"), ("q_validation", ["failed"], "failed"),
     ("q_confidence", (50, 100), "confident"), ("q_age", "Over 7 days", "old"),
     ("q_coverage", ["incomplete"], "incomplete")],
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
        "incomplete": _arrange(app_engine, confidence_score=30, validation={
            "status": "passed", "issues": [], "checkedAt": NOW.isoformat(),
            "coverage": {"status": "incomplete", "asks": 2, "unanswered": ["parking"]}}),
    }
    at = open_page(PAGE, state={"q_view": "All"} if key != "q_view" else {})
    assert len(_rows(at)) == (6 if key != "q_view" else 5)
    at.get_by_key(key).set_value(value).run()
    assert _rows(at) == [made[expected].id]


def test_the_deal_filter_shows_only_that_deals_drafts(app_engine: Engine, open_page: Callable[..., AppTest]) -> None:
    mine, other = _arrange(app_engine), _arrange(app_engine)
    at = open_page(PAGE)
    at.selectbox(key="q_deal").set_value(mine.deal_id).run()
    assert _rows(at) == [mine.id] and other.id not in _rows(at)


def test_mine_unassigned_and_all_and_assign_to_me(app_engine: Engine, open_page: Callable[..., AppTest]) -> None:
    draft = _arrange(app_engine)
    at = _open(open_page, draft)
    at.get_by_key("q_owner").set_value("mine").run()
    assert _rows(at) == []
    at.get_by_key("q_owner").set_value("unassigned").run()
    assert _rows(at) == [draft.id]
    at.button(key=f"assign_{draft.deal_id}").click().run()
    assert not _errors(at), _errors(at)
    assert _rows(at) == []  # it is no longer unassigned
    at.get_by_key("q_owner").set_value("mine").run()
    assert _rows(at) == [draft.id]
    assert md_escape("broker@tandem.space") in next(b.label for b in at.button if b.key == f"inbox_row_{draft.id}")


def test_search_finds_a_draft_by_a_word_of_its_email_and_opens_it(app_engine: Engine,
                                                                  open_page: Callable[..., AppTest]) -> None:
    _arrange(app_engine)
    with Session(app_engine, expire_on_commit=False) as s:
        deal = make_deal(s, company_name="Zephyr Labs")
        inbound = make_email(s, deal=deal, subject="Rooftop terrace?", body="Does the loft have a rooftop terrace?")
        wanted = make_draft(s, deal=deal, inbound=inbound)
        s.commit()
    at = open_page(PAGE)
    at.text_input(key="q_search").input("rooftop terrace").run()
    hits = [b for b in at.button if (b.key or "").startswith("hit_")]
    assert hits and all("Zephyr Labs" in b.label for b in hits)
    hits[0].click().run()
    assert at.session_state["open_draft"] == wanted.id


def test_search_hits_come_a_page_at_a_time_and_new_words_start_from_the_newest(
    app_engine: Engine, open_page: Callable[..., AppTest]
) -> None:
    from ui.review_data import QUEUE_ROWS

    with Session(app_engine, expire_on_commit=False) as s:
        deal = make_deal(s, company_name="Quokka Freight")
        made = [make_draft(s, deal=deal, created_at=NOW - timedelta(hours=n),
                           inbound=make_email(s, deal=deal, subject=f"Mezzanine {n}?", body="A mezzanine floor?",
                                              sent_at=NOW - timedelta(hours=n)))
                for n in range(QUEUE_ROWS + 3)]
        s.commit()

    def hits() -> list[str]:
        return [b.key or "" for b in at.button if (b.key or "").startswith("hit_")]

    at = open_page(PAGE)
    at.text_input(key="q_search").input("mezzanine").run()
    first = hits()
    assert len(first) == QUEUE_ROWS and at.button(key="search_page_prev").disabled
    assert any(c.value.startswith(f"Showing matches 1–{QUEUE_ROWS}, newest first") for c in at.caption)
    at.button(key="search_page_next").click().run()
    rest = hits()
    assert rest and not set(rest) & set(first)
    assert any(c.value.startswith(f"Showing matches {QUEUE_ROWS + 1}–") for c in at.caption)
    every = {f"hit_draft_{d.id}" for d in made} | {f"hit_email_{d.inbound_email_id}" for d in made}
    assert set(first) | set(rest) <= every
    at.button(key="search_page_prev").click().run()
    assert hits() == first
    at.button(key="search_page_next").click().run()
    at.text_input(key="q_search").input("mezzanine floor").run()  # new words: the newest hits again
    assert at.session_state["q_search_cursor"] == [] and len(hits()) == QUEUE_ROWS


def test_hostile_email_text_is_shown_only_as_plain_text(app_engine: Engine, open_page: Callable[..., AppTest]) -> None:
    draft = _arrange(app_engine, body=f"Reply quoting {HOSTILE}")
    at = _open(open_page, draft)
    assert any(HOSTILE in t.value for t in at.text), "the inbound body is shown verbatim"
    rendered_as_markup = [m.value for m in (*at.markdown, *at.caption, *at.warning, *at.info, *at.success)]
    assert not any("<script>" in v or "evil.example" in v for v in rendered_as_markup)
    assert at.text_area(key=f"body_{draft.id}_1").value == f"Reply quoting {HOSTILE}"


def test_flags_to_check_and_unanswered_asks_sit_above_the_reply(app_engine: Engine,
                                                                open_page: Callable[..., AppTest]) -> None:
    coverage = {"status": "incomplete", "asks": 3, "unanswered": ["Can we tour Tuesday?"]}
    draft = _arrange(app_engine, reasoning={"needsHumanReview": ["Confirm the dog weight limit"]},
                     validation={"status": "passed", "issues": [], "checkedAt": NOW.isoformat(), "coverage": coverage})
    at = _open(open_page, draft)
    flags = next(t.value for t in at.text if "Confirm the dog weight limit" in t.value)
    assert "Not answered: Can we tour Tuesday?" in flags
    texts = [t.value for t in at.text]
    assert texts.index(flags) < len(texts), "shown outside the tabs"
    assert any(b.proto.label == "Misses an ask" for b in at.get("badge")) if at.get("badge") else True


# --- no lost work ---------------------------------------------------------------------------


def test_save_confirms_with_a_toast_and_the_edit_becomes_a_version(app_engine: Engine,
                                                                   open_page: Callable[..., AppTest]) -> None:
    draft = _arrange(app_engine)
    at = _open(open_page, draft)
    at.text_area(key=f"body_{draft.id}_1").set_value(EDITED)
    at.button(key=f"save_{draft.id}_1").click().run()
    assert not _errors(at) and not at.exception
    assert any("Saved" in t for t in _toasts(at)), _toasts(at)
    row = _draft(app_engine, draft.id)
    assert row.final_body == row.edited_body == EDITED and row.lock_version == 2
    latest = row.draft_versions[-1]
    assert (latest["kind"], latest["editedBy"], latest["body"]) == ("hand_edit", "broker@tandem.space", EDITED)
    assert at.text_area(key=f"body_{draft.id}_2").value == EDITED
    diff = _diff_html(_tab(at, "Versions & diff"))
    assert "<ins" in diff and "Sam" in diff, "the AI text against the hand edit"


def test_approve_acts_on_the_unsaved_text_in_the_editor(app_engine: Engine,
                                                        open_page: Callable[..., AppTest]) -> None:
    draft = _arrange(app_engine, body=SAFE_BODY)
    at = _open(open_page, draft)
    at.text_area(key=f"body_{draft.id}_1").set_value(EDITED)
    at.button(key=f"approve_{draft.id}_1").click().run()
    assert not _errors(at), _errors(at)
    row = _draft(app_engine, draft.id)
    assert (row.status, row.final_body) == ("approved", EDITED)
    assert _events(app_engine, draft.id)[-2:] == ["edit", "approve"]


def test_approve_and_send_without_save_sends_the_edit_and_opens_the_next_draft(
    app_engine: Engine, open_page: Callable[..., AppTest]
) -> None:
    draft = _arrange(app_engine, body=SAFE_BODY, created_at=NOW - timedelta(hours=2))
    following = _arrange(app_engine, body=SAFE_BODY, created_at=NOW - timedelta(hours=1))
    at = _open(open_page, draft)
    at.text_area(key=f"body_{draft.id}_1").set_value(EDITED)
    at.button(key=f"send_{draft.id}_1").click().run()
    assert not _errors(at), _errors(at)
    row = _draft(app_engine, draft.id)
    assert row.status == "sent" and row.sent_email_id is not None
    with Session(app_engine) as s:
        email = s.get(Email, row.sent_email_id)
        assert email is not None and email.body == EDITED and email.ai_generated
    assert at.session_state["open_draft"] == following.id
    assert _highlighted(at) == [following.id] and _rows(at) == [following.id]
    assert any(md_escape(f"sent as email #{row.sent_email_id}") in t for t in _toasts(at)), _toasts(at)


def test_a_stale_edit_is_refused_and_the_text_stays_for_a_reload(app_engine: Engine,
                                                                 open_page: Callable[..., AppTest]) -> None:
    draft = _arrange(app_engine)
    at = _open(open_page, draft)
    with Session(app_engine) as s:  # someone else edits meanwhile
        make_user(s, email="other@tandem.space", role="broker")
        s.commit()
        drafts.edit(session=s, draft_id=draft.id, actor=Actor("other@tandem.space"), body="Their version")
    at.text_area(key=f"body_{draft.id}_1").set_value("My version")
    at.button(key=f"approve_{draft.id}_1").click().run()
    assert any("reload" in e.lower() for e in _errors(at)), _errors(at)
    assert at.text_area(key=f"body_{draft.id}_1").value == "My version"
    assert _draft(app_engine, draft.id).final_body == "Their version"
    at.button(key=f"reload_now_{draft.id}_1").click().run()
    assert at.text_area(key=f"body_{draft.id}_2").value == "My version", "the typed text survives the reload"


def test_a_failed_fact_check_needs_the_explicit_override(app_engine: Engine,
                                                         open_page: Callable[..., AppTest]) -> None:
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


def test_archive_with_a_reason_opens_the_next_draft_then_restore(app_engine: Engine,
                                                                 open_page: Callable[..., AppTest]) -> None:
    draft = _arrange(app_engine, created_at=NOW - timedelta(hours=2))
    following = _arrange(app_engine, created_at=NOW - timedelta(hours=1))
    at = _open(open_page, draft)
    at.button(key=f"archive_open_{draft.id}_1").click().run()
    at.radio(key=f"archive_reason_{draft.id}_1").set_value("wrong_tone").run()
    at.text_input(key=f"archive_note_{draft.id}_1").input("Too pushy")
    at.button(key=f"archive_{draft.id}_1").click().run()
    row = _draft(app_engine, draft.id)
    assert (row.status, row.archive_category, row.archive_reason) == ("archived", "wrong_tone", "Too pushy")
    assert at.session_state["open_draft"] == following.id
    at = _open(open_page, row, q_view="Archived")
    at.button(key=f"restore_{draft.id}_2").click().run()
    assert (_draft(app_engine, draft.id).status, _draft(app_engine, draft.id).archive_category) == ("pending", None)


def test_use_an_earlier_version_and_see_the_word_diff(app_engine: Engine, open_page: Callable[..., AppTest]) -> None:
    versions = [
        {"version": 0, "body": "Parking is $250.", "prompt": None, "confidence": 70, "createdAt": NOW.isoformat()},
        {"version": 1, "body": "Parking is $300.", "prompt": "fix price", "confidence": 80,
         "createdAt": NOW.isoformat()},
    ]
    draft = _arrange(app_engine, draft_versions=versions, current_version=1, final_body="Parking is $300.")
    at = _open(open_page, draft)
    diff = _diff_html(_tab(at, "Versions & diff"))
    assert 'removed">250</del>' in diff and 'added">300</ins>' in diff
    at.selectbox(key=f"use_{draft.id}_1").set_value(0).run()
    at.button(key=f"use_btn_{draft.id}_1").click().run()
    row = _draft(app_engine, draft.id)
    assert (row.current_version, row.final_body) == (0, "Parking is $250.")


def test_refinement_shows_how_many_are_left_and_adds_a_version(
    app_engine: Engine, open_page: Callable[..., AppTest]
) -> None:
    draft = _arrange(app_engine)
    at = _open(open_page, draft)
    _tab(at, "Refine")
    assert any("3 of 3 refinements left" in t.value for t in at.text)
    at.text_area(key=f"refine_prompt_{draft.id}_1").input("Make it shorter")
    at.button(key=f"refine_{draft.id}_1").click().run()
    assert not _errors(at), _errors(at)
    row = _draft(app_engine, draft.id)
    assert row.regeneration_count == 1 and row.current_version == 1
    assert any("2 of 3 refinements left" in t.value for t in at.text)


def test_refining_over_unsaved_text_is_refused_with_the_reason(app_engine: Engine,
                                                              open_page: Callable[..., AppTest]) -> None:
    draft = _arrange(app_engine)
    at = _open(open_page, draft)
    _tab(at, "Refine")
    at.text_area(key=f"body_{draft.id}_1").set_value(EDITED)
    at.text_area(key=f"refine_prompt_{draft.id}_1").input("Make it shorter")
    at.button(key=f"refine_{draft.id}_1").click().run()
    assert any("unsaved changes" in e for e in _errors(at))
    assert _draft(app_engine, draft.id).regeneration_count == 0
    assert at.text_area(key=f"body_{draft.id}_1").value == EDITED


def test_used_up_refinements_show_when_the_cooldown_ends(
    app_engine: Engine, open_page: Callable[..., AppTest]
) -> None:
    last = NOW - timedelta(hours=1)
    draft = _arrange(app_engine, regeneration_count=3, last_regeneration_at=last)
    at = _open(open_page, draft)
    _tab(at, "Refine")
    ends = (last + timedelta(hours=24)).strftime("%Y-%m-%d %H:%M")
    assert any(f"next one is possible at {ends}" in t.value for t in at.text)
    assert at.button(key=f"refine_{draft.id}_1").disabled


def test_the_page_counts_every_draft_in_the_demo(demo_db_url: str, app_engine: Engine,
                                                 open_page: Callable[..., AppTest]) -> None:
    at = open_page(PAGE)
    assert not at.exception
    with Session(app_engine) as s:
        total = s.scalar(select(func.count()).select_from(EmailDraft))
    assert total, "the demo seed made no drafts"
    assert at.selectbox(key="q_view").format_func("All") == f"All {total:,}"


def test_an_analyst_reads_a_draft_but_gets_no_action_buttons(
    app_engine: Engine, open_page: Callable[..., AppTest]
) -> None:
    draft = _arrange(app_engine)
    at = open_page(PAGE, state={"open_draft": draft.id}, role="analyst")
    assert not at.exception
    assert at.text_area(key=f"body_{draft.id}_1").disabled
    _tab(at, "Refine")  # where the Refine button would be
    keys = {b.key for b in at.button}
    assert not {f"approve_{draft.id}_1", f"save_{draft.id}_1", f"send_{draft.id}_1", f"refine_{draft.id}_1"} & keys
    assert any("Read only: an analyst may not review drafts." in i.value for i in at.info)
    assert _events(app_engine, draft.id) == [], "an analyst reading is not a review starting"


def test_someone_else_with_the_draft_open_is_named(app_engine: Engine, open_page: Callable[..., AppTest]) -> None:
    from echo_core import presence

    draft = _arrange(app_engine)
    with Session(app_engine) as s:
        make_user(s, email="lead@tandem.space", role="lead")
        s.commit()
        presence.heartbeat(session=s, draft_id=draft.id, actor=Actor("lead@tandem.space"))
    at = _open(open_page, draft)
    assert any(md_escape("lead@tandem.space") in w.value for w in at.warning), [w.value for w in at.warning]


def test_a_rerun_seconds_after_a_beat_names_the_others_without_writing_another_beat(
    app_engine: Engine, open_page: Callable[..., AppTest]
) -> None:
    from echo_core import presence
    from ui.inbox import BEAT_KEY

    draft = _arrange(app_engine)
    with Session(app_engine) as s:
        make_user(s, email="lead@tandem.space", role="lead")
        s.commit()
        presence.heartbeat(session=s, draft_id=draft.id, actor=Actor("lead@tandem.space"))

    def beats() -> dict[str, object]:
        with app_engine.connect() as conn:
            return dict(conn.execute(text("SELECT actor, seen_at FROM draft_presence WHERE draft_id = :d"),
                                     {"d": draft.id}).all())

    at = _open(open_page, draft)
    first = beats()
    assert len(first) == 2, first  # the lead's and this broker's
    at.run()  # approve, then send: the panel reruns within seconds
    assert beats() == first
    assert any(md_escape("lead@tandem.space") in w.value for w in at.warning)
    drawn_id, drawn_at = at.session_state[BEAT_KEY]
    at.session_state[BEAT_KEY] = (drawn_id, drawn_at - presence.FRESH_BEAT.total_seconds())  # five seconds on
    at.run()
    later = beats()
    assert [later[a] > first[a] for a in sorted(later)] == [a != "lead@tandem.space" for a in sorted(later)]


def test_presence_follows_the_open_draft_and_review_is_marked_once(app_engine: Engine,
                                                                   open_page: Callable[..., AppTest]) -> None:
    first, second = _arrange(app_engine), _arrange(app_engine)

    def present_on() -> list[int]:
        with app_engine.connect() as conn:
            return list(conn.execute(text("SELECT draft_id FROM draft_presence WHERE draft_id IN (:a, :b) "
                                          "ORDER BY draft_id"), {"a": first.id, "b": second.id}).scalars())

    at = open_page(PAGE)
    at.button(key=f"inbox_row_{first.id}").click().run()
    assert present_on() == [first.id] and _events(app_engine, first.id) == ["opened"]
    at.button(key=f"inbox_row_{second.id}").click().run()
    assert present_on() == [second.id] and _events(app_engine, second.id) == ["opened"]
    at.button(key=f"inbox_row_{first.id}").click().run()  # back within seconds: a beat is written all the same
    assert present_on() == [first.id] and _events(app_engine, first.id) == ["opened"]  # nothing done in between
    at.run()
    assert present_on() == [first.id] and _events(app_engine, first.id) == ["opened"]


def test_unsaved_text_is_still_there_after_opening_another_draft_and_coming_back(
    app_engine: Engine, open_page: Callable[..., AppTest]
) -> None:
    draft, other = _arrange(app_engine), _arrange(app_engine)
    at = _open(open_page, draft)
    at.text_area(key=f"body_{draft.id}_1").set_value(EDITED).run()
    at.button(key=f"inbox_row_{other.id}").click().run()
    assert at.subheader[0].value.startswith(f"Draft #{other.id}")
    at.button(key=f"inbox_row_{draft.id}").click().run()
    assert at.text_area(key=f"body_{draft.id}_1").value == EDITED
    assert any("Unsaved changes" in c.value for c in at.caption)
    assert _draft(app_engine, draft.id).final_body != EDITED, "kept in the editor, not saved behind the broker's back"


def test_opening_a_draft_draws_no_details_until_one_is_picked_and_the_pick_stays(
        app_engine: Engine, open_page: Callable[..., AppTest]) -> None:
    versions = [{"version": v, "body": f"Parking is ${250 + v}.", "prompt": None, "confidence": 70,
                 "createdAt": NOW.isoformat()} for v in (0, 1)]
    draft = _arrange(app_engine, draft_versions=versions, current_version=1, final_body="Parking is $251.")
    at = _open(open_page, draft)
    assert not _diff_html_present(at) and not [s for s in at.selectbox if (s.key or "").startswith("diff_from_")]
    at.segmented_control(key="draft_tabs").set_value("Versions & diff").run()
    assert _diff_html_present(at)
    at.run()  # another run (e.g. the next draft): the broker's pick is kept
    assert at.segmented_control(key="draft_tabs").value == "Versions & diff" and _diff_html_present(at)


def _diff_html_present(at: AppTest) -> bool:
    try:
        return bool(_diff_html(at))
    except AssertionError:
        return False


def test_the_rest_of_the_thread_is_one_toggle_away_and_stays_as_plain_text(
        app_engine: Engine, open_page: Callable[..., AppTest]) -> None:
    with Session(app_engine, expire_on_commit=False) as s:
        deal = make_deal(s, company_name="Thread Co")
        make_email(s, deal=deal, subject="First contact", body="**Earlier** mail \u202e with <b>tags</b>",
                   sent_at=NOW - timedelta(days=3))
        inbound = make_email(s, deal=deal, subject="Follow-up", body="Any parking?", sent_at=NOW)
        draft = make_draft(s, deal=deal, inbound=inbound)
        s.commit()
    at = _open(open_page, draft)
    texts = [t.value for t in at.text]
    assert "Any parking?" in texts and not any("Earlier" in t for t in texts)
    at.toggle(key="thread_rest").set_value(True).run()
    earlier = [t.value for t in at.text if "Earlier" in t.value]
    assert len(earlier) == 1 and "Subject: First contact" in earlier[0]
    assert "**Earlier** mail [U+202E] with <b>tags</b>" in earlier[0]  # verbatim text, the bidi control shown


def _database_error(**_: object) -> None:
    raise OperationalError("UPDATE email_drafts", {}, Exception("server closed the connection unexpectedly"))


@pytest.mark.parametrize("button", ["send", "approve"])
def test_a_database_error_in_an_actions_callback_is_one_line_and_the_typed_text_stays(
    app_engine: Engine, open_page: Callable[..., AppTest], monkeypatch: pytest.MonkeyPatch, button: str
) -> None:
    draft = _arrange(app_engine)
    at = _open(open_page, draft)
    monkeypatch.setattr(drafts, "approve_and_send", _database_error)
    monkeypatch.setattr(drafts, "approve", _database_error)
    at.text_area(key=f"body_{draft.id}_1").set_value("My version")
    at.button(key=f"{button}_{draft.id}_1").click().run()
    assert not at.exception, at.exception
    assert _errors(at) == [md_escape(CALLBACK_DATABASE_ERROR)]
    assert at.text_area(key=f"body_{draft.id}_1").value == "My version"
    assert _draft(app_engine, draft.id).status == "pending"
    at.run()
    assert not _errors(at), "the line is shown once, by the run the click started"


def test_archiving_without_a_reason_is_refused_in_one_line_and_nothing_changes(
    app_engine: Engine, open_page: Callable[..., AppTest]
) -> None:
    draft = _arrange(app_engine)
    at = _open(open_page, draft)
    at.button(key=f"archive_open_{draft.id}_1").click().run()
    at.button(key=f"archive_{draft.id}_1").click().run()
    assert not at.exception
    assert any("Pick a reason" in e for e in _errors(at)), _errors(at)
    assert _draft(app_engine, draft.id).status == "pending" and at.session_state["open_draft"] == draft.id
