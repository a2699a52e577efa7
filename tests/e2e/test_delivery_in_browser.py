"""Sent in the browser, delivered by the worker running beside the app (as `make run` runs it): the reply is an
.eml in the outbox folder, and the sent draft's page turns from "queued" to "delivered" by itself."""

from __future__ import annotations

import signal
import time
from typing import Any

import pytest

from tests.e2e.conftest import LiveApp
from tests.e2e.test_review_in_browser import BROKER, eventually, open_heading, row, settle, sign_in

pytestmark = pytest.mark.e2e


def test_a_draft_sent_in_the_browser_is_delivered_and_the_page_says_so(live_app: LiveApp, page: Any) -> None:
    draft_id = live_app.drafts["to_deliver"]
    page.set_viewport_size({"width": 1440, "height": 900})
    sign_in(page, live_app, *BROKER, path=f"/drafts?draft={draft_id}")
    open_heading(page, draft_id)

    page.get_by_role("button", name="Approve & send").click()
    sent_at = time.monotonic()
    state = eventually(lambda: row(live_app, "SELECT o.status, e.message_id FROM outbox o JOIN emails e "
                                             "ON e.id = o.email_id WHERE o.draft_id = :i AND o.status = 'delivered'",
                                   i=draft_id), seconds=30)
    assert state is not None, "the worker beside the app never delivered the reply"
    print(f"\nsent → delivered in {time.monotonic() - sent_at:.1f} s")
    emls = [p for p in live_app.outbox.glob("*.eml") if state["message_id"].strip("<>").split("@")[0] in p.name]
    assert len(emls) == 1 and "Thanks for reaching out!" in emls[0].read_text()

    # Open the sent draft again, as a broker checking on it would; its delivery line follows the worker.
    page.goto(f"{live_app.url}/drafts?draft={draft_id}")
    page.get_by_role("heading", name=f"Draft #{draft_id} ·").wait_for()
    settle(page)
    page.get_by_text("Delivery: delivered to").wait_for(timeout=15_000)


def test_a_queued_reply_turns_delivered_on_the_open_page_without_a_click(live_app: LiveApp, page: Any) -> None:
    """With the worker paused the page first says "queued"; once it resumes and delivers, the open page follows
    within seconds, with no click and no reload."""
    draft_id = live_app.drafts["to_send"]
    page.set_viewport_size({"width": 1440, "height": 900})
    sign_in(page, live_app, *BROKER, path=f"/drafts?draft={draft_id}")
    open_heading(page, draft_id)
    assert live_app.worker is not None
    live_app.worker.send_signal(signal.SIGSTOP)
    try:
        page.get_by_role("button", name="Approve & send").click()
        assert eventually(lambda: row(live_app, "SELECT 1 FROM email_drafts WHERE id = :i AND status = 'sent'",
                                      i=draft_id))
        page.goto(f"{live_app.url}/drafts?draft={draft_id}")
        page.get_by_role("heading", name=f"Draft #{draft_id} ·").wait_for()
        page.get_by_text("Delivery: queued").first.wait_for()
    finally:
        live_app.worker.send_signal(signal.SIGCONT)
    page.get_by_text("Delivery: delivered to").wait_for(timeout=20_000)
