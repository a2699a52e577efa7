"""A broker and an analyst in a real headless Chromium against `streamlit run app.py`."""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from sqlalchemy import text

from tests.e2e.conftest import LiveApp

pytestmark = pytest.mark.e2e
# Demo accounts (echo_core.demo.accounts), seeded with the demo brokerage.
BROKER = ("broker@tandem.space", "echo-demo-broker")
LEAD = ("lead@tandem.space", "echo-demo-lead")
ANALYST = ("analyst@tandem.space", "echo-demo-analyst")
NEW_BODY = "Thanks for reaching out! A tour works well — which afternoon next week suits your team?"


def eventually(check: Callable[[], Any], *, seconds: float = 20) -> Any:
    """Poll the database until `check` returns something truthy (the app commits asynchronously)."""
    deadline = time.monotonic() + seconds
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.25)


def row(app: LiveApp, sql: str, **params: Any) -> Any:
    with app.engine.connect() as conn:
        return conn.execute(text(sql), params).mappings().first()


def settle(page: Any) -> None:
    """Wait until the app is idle: not running for two checks in a row (a rerun may start just after a click)."""
    idle = page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]')
    quiet = 0
    deadline = time.monotonic() + 20
    while quiet < 2 and time.monotonic() < deadline:
        quiet = quiet + 1 if idle.count() else 0
        page.wait_for_timeout(250)


def choose(page: Any, label: str, option: str) -> None:
    """Pick `option` in the Streamlit selectbox labelled `label` (retrying if a rerun closed the menu)."""
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text=label).locator("input").first
    wanted = page.get_by_role("option", name=option).first
    for _ in range(5):
        settle(page)
        box.click()
        try:
            wanted.wait_for(timeout=3000)
        except PlaywrightTimeout:
            continue
        wanted.click()
        settle(page)
        return
    raise AssertionError(f"option {option!r} never appeared in the {label!r} box")


def sign_in(page: Any, app: LiveApp, email: str, password: str) -> None:
    """Open the app and sign in with the login form (a demo account); later moves use the sidebar only,
    since reloading the page would start a new, signed-out session."""
    page.goto(app.url)
    page.get_by_role("textbox", name="Email", exact=True).fill(email)
    page.get_by_role("textbox", name="Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.get_by_test_id("stSidebarNav").wait_for()
    settle(page)


def go_to(page: Any, title: str) -> None:
    """Follow the sidebar link, as a person would."""
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=title).click()
    page.get_by_role("heading", name=title).first.wait_for()
    settle(page)


def act(page: Any, button: str, then: Any) -> None:
    """Click an action button once the app is idle, then wait for what the fresh page shows."""
    settle(page)
    page.get_by_role("button", name=button, exact=True).click()
    then.first.wait_for()
    settle(page)


def open_draft(page: Any, draft_id: int) -> None:
    go_to(page, "Draft review")
    choose(page, "Open a draft", f"#{draft_id} ·")
    page.get_by_role("heading", name=f"Draft #{draft_id}").wait_for()
    settle(page)


def download_csv(page: Any, button: str) -> list[dict[str, str]]:
    with page.expect_download() as info:
        page.get_by_role("button", name=button).click()
    return list(csv.DictReader(io.StringIO(info.value.path().read_text(encoding="utf-8"))))


def archive_reason_count(page: Any, category: str) -> int:
    go_to(page, "Analytics")
    page.get_by_role("heading", name="Archive reasons").wait_for()
    rows = download_csv(page, "Download archive reasons (CSV)")
    return sum(int(r["drafts"]) for r in rows if r["category"] == category)


def test_a_broker_edits_approves_and_sends_a_draft(live_app: LiveApp, page: Any) -> None:
    draft_id = live_app.drafts["to_send"]
    sign_in(page, live_app, *BROKER)
    open_draft(page, draft_id)

    page.get_by_label("Reply body").fill(NEW_BODY)
    act(page, "Save edit", page.get_by_role("tab", name="History"))
    assert eventually(lambda: row(live_app, "SELECT 1 FROM email_drafts WHERE id = :i AND final_body = :b",
                                  i=draft_id, b=NEW_BODY)), "the edit never reached the database"

    act(page, "Approve", page.get_by_role("button", name="Send", exact=True))
    act(page, "Send", page.get_by_text("as email #"))
    sent = eventually(lambda: row(
        live_app,
        "SELECT e.id, e.body, d.status FROM email_drafts d JOIN emails e ON e.id = d.sent_email_id WHERE d.id = :i",
        i=draft_id,
    ))
    assert sent is not None, "no sent email row"
    assert (sent["status"], sent["body"]) == ("sent", NEW_BODY)
    sent_id = sent["id"]
    assert page.get_by_text(f"as email #{sent_id}").count()  # the page shows the fresh, sent draft


def test_an_archived_draft_is_counted_in_the_archive_reason_chart(live_app: LiveApp, page: Any) -> None:
    sign_in(page, live_app, *LEAD)  # a lead sees every broker's figures, so the count is the team's
    before = archive_reason_count(page, "duplicate")  # also caches the figures

    draft_id = live_app.drafts["to_archive"]
    open_draft(page, draft_id)
    page.get_by_text("Archive this draft").click()
    page.get_by_label("Note (optional)").wait_for()
    choose(page, "Reason", "Duplicate")
    page.get_by_label("Note (optional)").fill("Same question as yesterday's thread")
    act(page, "Archive", page.get_by_role("button", name="Restore", exact=True))
    assert eventually(lambda: row(live_app, "SELECT 1 FROM email_drafts WHERE id = :i AND status = 'archived' "
                                            "AND archive_category = 'duplicate'", i=draft_id))

    assert archive_reason_count(page, "duplicate") == before + 1


def test_an_analyst_downloads_chart_data_that_parses(live_app: LiveApp, page: Any) -> None:
    sign_in(page, live_app, *ANALYST)
    go_to(page, "Analytics")
    page.get_by_role("heading", name="Weekly volume").wait_for()
    rows = download_csv(page, "Download weekly volume (CSV)")
    assert rows and set(rows[0]) == {"week", "written", "sent", "archived"}
    total = row(live_app, "SELECT count(*) AS n FROM email_drafts WHERE created_at >= now() - interval '91 days'")
    assert sum(int(r["written"]) for r in rows) == total["n"]
