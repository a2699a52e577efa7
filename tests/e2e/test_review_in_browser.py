"""The review inbox in Debian's headless Chromium against `streamlit run serve.py`: a broker, a lead, an analyst.

- one click on a row opens the draft; edit → Approve & send WITHOUT pressing Save sends the edited text,
  which then shows in the thread, and the next draft opens, highlighted;
- keyboard only: F focuses the reply, typing, Esc keeps the text, A approves it; Ctrl+Enter sends
  straight from inside the reply;
- two browsers on one draft see each other;
- an archive (a reason picked under the reply) counts in the Analytics chart (its tab opened); an analyst's chart
  CSV parses; the charts draw (bars, the line image, a titled dot per week) after st.html's sanitiser.
"""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from tests.e2e.conftest import LiveApp

pytestmark = pytest.mark.e2e
BROKER = ("broker@tandem.space", "echo-demo-broker")
LEAD = ("lead@tandem.space", "echo-demo-lead")
ANALYST = ("analyst@tandem.space", "echo-demo-analyst")
SAFE = "Thanks for reaching out! Happy to set up a tour — which day suits you next week?"  # no facts to check
EDITED = "Hi Sam, thanks for reaching out! A tour works well — which afternoon next week suits your team?"
TYPED = " See you soon."


@pytest.fixture(scope="module")
def inbox(live_app: LiveApp) -> dict[str, int]:
    """Drafts made before any page of this module loads (the queue is cached per server for a minute).

    They are the oldest in the queue, so they are its first rows, in this order.
    """
    from echo_core.db.models import Deal
    from tests.factories import make_draft, make_email

    old = datetime.now(UTC) - timedelta(days=900)
    made: dict[str, int] = {}
    with Session(live_app.engine) as s:
        deal = s.scalars(select(Deal).order_by(Deal.id.desc())).first()
        assert deal is not None
        for i, name in enumerate(("first", "second", "keys", "keys_next", "typing", "typing_next", "shared",
                                 "archive_focus")):
            inbound = make_email(s, deal=deal, subject=f"E2E inbox {name}", body=f"Question {name}: can we tour?",
                                 sent_at=old + timedelta(minutes=i))
            made[name] = make_draft(s, deal=deal, inbound=inbound, body=SAFE, created_at=old + timedelta(minutes=i)).id
        s.commit()
    return made


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


def sign_in(page: Any, app: LiveApp, email: str, password: str, path: str = "/") -> None:
    page.goto(app.url + path)
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


def open_heading(page: Any, draft_id: int) -> Any:
    """Wait until draft `draft_id` is open and its reply editor holds its text (it renders just after the run)."""
    heading = page.get_by_role("heading", name=f"Draft #{draft_id} ·")
    heading.wait_for()
    settle(page)
    box = reply(page)
    box.wait_for()
    deadline = time.monotonic() + 10
    while not box.input_value() and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    return heading


def reply(page: Any) -> Any:
    return page.locator(".st-key-echo_reply textarea")


def queue_row(page: Any, draft_id: int) -> Any:
    return page.locator(f".st-key-inbox_row_{draft_id} button:visible")


def highlighted(page: Any, draft_id: int) -> bool:
    """The open draft's row wears the panel's highlight (a style the draft panel writes: ui/draft_panel.py)."""
    row_button = page.locator(f".st-key-inbox_row_{draft_id} button")
    if not row_button.count():
        return False
    return bool(row_button.first.evaluate("b => getComputedStyle(b).borderTopColor") == "rgb(26, 115, 232)")


@pytest.fixture
def second_page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(20_000)
    yield tab
    context.close()


def test_row_click_edit_and_approve_and_send_without_save(live_app: LiveApp, inbox: dict[str, int],
                                                          page: Any) -> None:
    first, second = inbox["first"], inbox["second"]
    page.set_viewport_size({"width": 1440, "height": 900})
    sign_in(page, live_app, *BROKER)
    go_to(page, "Draft review")
    queue_row(page, first).click()  # one click on the row's text opens it
    open_heading(page, first)
    assert highlighted(page, first), "the open draft's row is highlighted"
    box = reply(page)
    assert box.is_visible() and box.bounding_box()["y"] + 100 < 900, "the reply is on screen without scrolling"

    box.fill(EDITED)  # typed, never saved, never blurred
    page.get_by_role("button", name="Approve & send").click()
    open_heading(page, second)  # the next draft in the queue is open …
    assert highlighted(page, second) and not highlighted(page, first)  # … and it is the highlighted row
    sent = eventually(lambda: row(
        live_app, "SELECT e.body, d.status FROM email_drafts d JOIN emails e ON e.id = d.sent_email_id "
                  "WHERE d.id = :i", i=first))
    assert sent is not None and (sent["status"], sent["body"]) == ("sent", EDITED)
    thread = page.locator(".st-key-inbox_thread")
    thread.get_by_text("Rest of the thread").click()  # the earlier emails are one toggle away
    thread.get_by_text(EDITED).first.wait_for()  # the sent email, in this deal's thread, carries the edit


FOCUS_IN_ARCHIVE_FORM = ("() => document.activeElement && document.activeElement.type === 'radio' && "
                         "!!document.activeElement.closest('[class*=\"st-key-archive_form_\"]')")


def test_the_archive_form_takes_the_focus_from_the_keyboard_and_from_its_button(
    live_app: LiveApp, inbox: dict[str, int], page: Any
) -> None:
    draft = inbox["archive_focus"]
    sign_in(page, live_app, *BROKER, path=f"/drafts?draft={draft}")
    open_heading(page, draft)
    form = page.locator(f".st-key-archive_form_{draft}")

    page.keyboard.press("e")  # the archive shortcut: the form opens with its reasons focused …
    form.wait_for()
    page.wait_for_function(FOCUS_IN_ARCHIVE_FORM, timeout=5000)
    page.keyboard.press("ArrowDown")  # … so the arrows pick a reason
    assert form.locator('input[type="radio"]').nth(1).is_checked()
    form.get_by_role("button", name="Cancel").click()
    form.wait_for(state="detached")

    page.locator('[class*="st-key-archive_open_"] button:visible').click()  # the mouse: the same
    form.wait_for()
    page.wait_for_function(FOCUS_IN_ARCHIVE_FORM, timeout=5000)
    assert row(live_app, "SELECT status FROM email_drafts WHERE id = :i", i=draft)["status"] == "pending"


def test_keyboard_alone_focus_type_keep_and_approve(live_app: LiveApp, inbox: dict[str, int], page: Any) -> None:
    draft = inbox["keys"]
    sign_in(page, live_app, *BROKER, path=f"/drafts?draft={draft}")
    open_heading(page, draft)
    page.keyboard.press("f")  # focus the reply
    assert page.evaluate("document.activeElement.tagName") == "TEXTAREA"
    page.keyboard.press("End")
    page.keyboard.press("Control+End")
    page.keyboard.type(TYPED)
    page.keyboard.press("Escape")  # leave the reply: the text is kept
    settle(page)
    page.keyboard.press("a")  # approve
    approved = eventually(lambda: row(live_app, "SELECT status, final_body FROM email_drafts WHERE id = :i "
                                                "AND status = 'approved'", i=draft))
    assert approved is not None and approved["final_body"].endswith(TYPED.strip()), approved
    settle(page)
    page.keyboard.press("j")  # next draft
    open_heading(page, inbox["keys_next"])


def test_ctrl_enter_sends_the_text_being_typed(live_app: LiveApp, inbox: dict[str, int], page: Any) -> None:
    draft = inbox["typing"]
    sign_in(page, live_app, *BROKER, path=f"/drafts?draft={draft}")
    open_heading(page, draft)
    box = reply(page)
    box.click()
    page.keyboard.press("Control+End")
    page.keyboard.type(TYPED)  # still typing: Streamlit has not received this text yet
    page.keyboard.press("Control+Enter")
    sent = eventually(lambda: row(live_app, "SELECT e.body FROM email_drafts d JOIN emails e ON e.id = d.sent_email_id "
                                            "WHERE d.id = :i", i=draft))
    assert sent is not None and sent["body"].endswith(TYPED.strip()), sent
    open_heading(page, inbox["typing_next"])


def test_two_browsers_see_each_other_on_the_same_draft(live_app: LiveApp, inbox: dict[str, int], page: Any,
                                                      second_page: Any) -> None:
    draft = inbox["shared"]
    sign_in(page, live_app, *BROKER, path=f"/drafts?draft={draft}")
    open_heading(page, draft)
    sign_in(second_page, live_app, *LEAD, path=f"/drafts?draft={draft}")
    open_heading(second_page, draft)
    second_page.get_by_text("Also open now: broker@tandem.space").wait_for(timeout=30_000)
    page.get_by_text("Also open now: lead@tandem.space").wait_for(timeout=30_000)  # the next heartbeat shows it


def download_csv(page: Any, button: str) -> list[dict[str, str]]:
    with page.expect_download() as info:
        page.get_by_role("button", name=button).click()
    return list(csv.DictReader(io.StringIO(info.value.path().read_text(encoding="utf-8"))))


def archive_reason_count(page: Any, category: str) -> int:
    go_to(page, "Analytics")
    page.get_by_role("tab", name="Archive and fact checks").click()  # the charts sit in lazy tabs
    page.get_by_role("heading", name="Archive reasons").wait_for()
    rows = download_csv(page, "Download archive reasons (CSV)")
    return sum(int(r["drafts"]) for r in rows if r["category"] == category)


def test_an_archived_draft_is_counted_in_the_archive_reason_chart(live_app: LiveApp, page: Any) -> None:
    sign_in(page, live_app, *LEAD)  # a lead sees every broker's figures, so the count is the team's
    before = archive_reason_count(page, "duplicate")  # also caches the figures
    draft_id = live_app.drafts["to_archive"]
    page.goto(f"{live_app.url}/drafts?draft={draft_id}")
    open_heading(page, draft_id)
    page.locator('[class*="st-key-archive_open_"] button:visible').click()
    form = page.locator(f".st-key-archive_form_{draft_id}")  # inline, under the reply's buttons
    form.get_by_text("Duplicate").click()
    form.get_by_label("Note (optional)").fill("Same question as yesterday's thread")
    form.get_by_role("button", name="Archive", exact=True).click()
    assert eventually(lambda: row(live_app, "SELECT 1 FROM email_drafts WHERE id = :i AND status = 'archived' "
                                            "AND archive_category = 'duplicate'", i=draft_id))
    settle(page)
    assert archive_reason_count(page, "duplicate") == before + 1


def test_an_analyst_downloads_chart_data_that_parses(live_app: LiveApp, page: Any) -> None:
    sign_in(page, live_app, *ANALYST)
    go_to(page, "Analytics")
    page.get_by_role("tab", name="Volume and funnel").click()
    page.get_by_role("heading", name="Weekly volume").wait_for()
    rows = download_csv(page, "Download weekly volume (CSV)")
    assert rows and set(rows[0]) == {"week", "written", "sent", "archived"}
    total = row(live_app, "SELECT count(*) AS n FROM email_drafts WHERE created_at >= now() - interval '91 days'")
    assert sum(int(r["written"]) for r in rows) == total["n"]


def test_the_analytics_charts_draw_in_the_browser_with_their_tooltips(live_app: LiveApp, page: Any) -> None:
    # st.html sanitises what it shows (an inline <svg> is dropped without a word): the charts must survive it.
    sign_in(page, live_app, *LEAD)
    go_to(page, "Analytics")
    page.get_by_role("heading", name="Confidence by outcome").wait_for()
    bars = page.locator('figure[aria-label="Confidence by outcome"] [title*=" · outcome: "]')
    assert bars.count() > 0
    assert all(box["height"] > 0 for box in (bars.nth(i).bounding_box() for i in range(bars.count())))
    page.get_by_role("tab", name="Volume and funnel").click()
    page.get_by_role("heading", name="Weekly volume").wait_for()
    volume = page.locator('figure[aria-label="Weekly volume"]')
    lines = volume.locator("img")
    lines.wait_for()
    assert lines.evaluate("img => img.complete && img.naturalWidth > 0")  # the line drawing decoded
    assert lines.bounding_box()["width"] > 200
    assert volume.locator('[title^="week of "][title*=" · written: "]').count() > 0  # a dot per week, each titled
    funnel = page.locator('figure[aria-label="Status funnel"] [title^="stage: 1 written · drafts: "]')
    assert funnel.count() == 1
