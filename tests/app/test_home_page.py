"""Home: real counts read from the database, never stale after an action elsewhere."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine, text
from streamlit.testing.v1 import AppTest

HOME = "pages/home.py"


def _metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_home_shows_the_databases_counts_and_the_waiting_drafts(
    demo_db_url: str, app_engine: Engine, open_page: Callable[..., AppTest]
) -> None:
    at = open_page(HOME)
    with app_engine.connect() as conn:
        pending = conn.scalar(text("SELECT count(*) FROM email_drafts WHERE status = 'pending'"))
        spaces = conn.scalar(text("SELECT count(*) FROM spaces"))
    assert _metric(at, "Drafts pending") == str(pending)
    assert _metric(at, "Spaces") == str(spaces)
    assert len(at.dataframe[0].value) == pending


def test_an_approval_on_the_review_page_shows_at_once_on_home(
    demo_db_url: str, app_engine: Engine, open_page: Callable[..., AppTest]
) -> None:
    at = open_page(HOME)
    before = int(_metric(at, "Drafts pending"))
    with app_engine.connect() as conn:
        draft_id = conn.scalar(text(
            "SELECT id FROM email_drafts WHERE status = 'pending' AND validation->>'status' = 'passed' "
            "ORDER BY id LIMIT 1"))
        lock = conn.scalar(text("SELECT lock_version FROM email_drafts WHERE id = :d"), {"d": draft_id})
    at.session_state["open_draft"] = draft_id
    at.switch_page("pages/drafts.py").run()
    at.button(key=f"approve_{draft_id}_{lock}").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    at.switch_page(HOME).run()
    assert int(_metric(at, "Drafts pending")) == before - 1
