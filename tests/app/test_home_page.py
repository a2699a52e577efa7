"""Home: real counts read from the database, never stale after an action elsewhere."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine, text
from streamlit.testing.v1 import AppTest

from tests.app.conftest import figure_values, static_tables

HOME = "pages/home.py"


def _metric(at: AppTest, label: str) -> str:
    return figure_values(at)[label]


def test_home_shows_the_databases_counts_and_the_waiting_drafts(
    demo_db_url: str, app_engine: Engine, open_page: Callable[..., AppTest]
) -> None:
    at = open_page(HOME)
    with app_engine.connect() as conn:
        pending = conn.scalar(text("SELECT count(*) FROM email_drafts WHERE status = 'pending'"))
        spaces = conn.scalar(text("SELECT count(*) FROM spaces"))
    assert _metric(at, "Waiting for review") == f"{pending:,}"
    assert _metric(at, "Spaces") == f"{spaces:,}"
    waiting = static_tables(at)["Waiting for review"]
    assert len(waiting) == min(pending, 20) and not at.dataframe
    assert list(waiting.columns) == ["Draft", "Created", "Company", "Seeker", "Subject", "Confidence", "Fact check"]
    assert all(draft.startswith("#") for draft in waiting["Draft"])


def test_an_approval_on_the_review_page_shows_at_once_on_home(
    demo_db_url: str, app_engine: Engine, open_page: Callable[..., AppTest]
) -> None:
    at = open_page(HOME)
    before = int(_metric(at, "Waiting for review"))
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
    assert int(_metric(at, "Waiting for review")) == before - 1


def test_home_and_analytics_show_the_same_approved_figure(
    demo_db_url: str, app_engine: Engine, open_page: Callable[..., AppTest]
) -> None:
    """One definition: drafts created in the period that were approved, sent since or not."""
    from datetime import date, timedelta

    at = open_page(HOME, role="lead")
    home = figure_values(at)
    at.switch_page("pages/analytics.py").run()
    at.date_input(key="analytics_range").set_value((date.today() - timedelta(days=29), date.today())).run()
    analytics = figure_values(at)
    for label in ("Drafts written", "Approved", "Sent", "Archived"):
        assert home[label] == analytics[label], label
    with app_engine.connect() as conn:
        approved = conn.scalar(text(
            "SELECT count(*) FROM email_drafts WHERE created_at >= current_date - 29 AND (status IN ('approved', "
            "'sent') OR sent_email_id IS NOT NULL OR archived_from_status IN ('approved', 'sent'))"))
    assert home["Approved"] == f"{approved:,}"
