"""Sent in the browser, delivered by the worker running beside the app (as `make run` runs it): the reply is an
.eml in the outbox folder and the draft's page says "delivered"."""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.e2e.conftest import LiveApp
from tests.e2e.test_review_in_browser import BROKER, act, eventually, open_draft, row, settle, sign_in

pytestmark = pytest.mark.e2e


def test_a_draft_sent_in_the_browser_is_delivered_and_the_page_says_so(live_app: LiveApp, page: Any) -> None:
    draft_id = live_app.drafts["to_deliver"]
    sign_in(page, live_app, *BROKER)
    open_draft(page, draft_id)

    act(page, "Approve", page.get_by_role("button", name="Send", exact=True))
    sent_at = time.monotonic()
    act(page, "Send", page.get_by_text("as email #"))

    state = eventually(lambda: row(live_app, "SELECT o.status, e.message_id FROM outbox o JOIN emails e "
                                             "ON e.id = o.email_id WHERE o.draft_id = :i AND o.status = 'delivered'",
                                   i=draft_id), seconds=30)
    assert state is not None, "the worker beside the app never delivered the reply"
    print(f"\nsent → delivered in {time.monotonic() - sent_at:.1f} s")
    emls = [p for p in live_app.outbox.glob("*.eml") if state["message_id"].strip("<>").split("@")[0] in p.name]
    assert len(emls) == 1 and "Thanks for reaching out!" in emls[0].read_text()

    delivered = page.get_by_text("Delivery: delivered to")
    for _ in range(10):  # the draft's page reads the delivery state each time it is drawn: rerun it ("R")
        if delivered.count():
            break
        page.get_by_role("heading", name=f"Draft #{draft_id}").click()
        page.keyboard.press("r")
        settle(page)
    assert delivered.count() == 1
