"""Sessions like a real web app, in Debian's Chromium against `streamlit run serve.py`:
a reload and a new tab keep the session, a deep link survives signing in, sign-out and a disabled
account end the session at the next click, and the cookie is HttpOnly and SameSite=Lax."""

from __future__ import annotations

import time
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from echo_core.permissions import Actor, Role
from echo_core.services import accounts
from tests.e2e.conftest import LiveApp
from tests.factories import make_user

pytestmark = pytest.mark.e2e
PASSWORD = "a long e2e password"
COOKIE = "echo_session"
SIGN_IN_TITLE = "Sign in to Echo Alpha"
OPERATOR = Actor("operator@echo-alpha.local", Role.LEAD)


def settle(page: Any) -> None:
    """Wait until the app is idle: not running for two checks in a row (a rerun may start just after a click)."""
    idle = page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]')
    quiet = 0
    deadline = time.monotonic() + 20
    while quiet < 2 and time.monotonic() < deadline:
        quiet = quiet + 1 if idle.count() else 0
        page.wait_for_timeout(250)


def account(app: LiveApp, email: str) -> str:
    with Session(app.engine) as s:
        if s.execute(text("SELECT 1 FROM users WHERE email = :e"), {"e": email}).first() is None:
            make_user(s, email=email, role="broker", password=PASSWORD)
            s.commit()
    return email


def session_cookie(page: Any, *, seconds: float = 15) -> dict[str, Any] | None:
    """The session cookie once the browser has it (the page swaps a one-time code for it right after sign-in)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = [c for c in page.context.cookies() if c["name"] == COOKIE]
        if found:
            return found[0]  # type: ignore[no-any-return]
        page.wait_for_timeout(200)
    return None


def fill_sign_in(page: Any, email: str) -> None:
    page.get_by_role("textbox", name="Email", exact=True).fill(email)
    page.get_by_role("textbox", name="Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()


def sign_in(page: Any, app: LiveApp, email: str, path: str = "/") -> None:
    page.goto(app.url + path)
    fill_sign_in(page, email)
    page.get_by_text("Signed in as").wait_for()
    assert session_cookie(page), "the browser never got the session cookie"
    settle(page)


def is_signed_in(page: Any, email: str) -> bool:
    page.get_by_text("Signed in as").or_(page.get_by_role("heading", name=SIGN_IN_TITLE)).first.wait_for()
    settle(page)
    return bool(page.get_by_test_id("stSidebar").get_by_text(email).count())


def test_a_deep_link_while_signed_out_shows_sign_in_and_then_that_draft(page: Any, live_app: LiveApp) -> None:
    # First in the module: the server's very first request (serve.py keeps Streamlit's old
    # pages-folder mode from running pages/drafts.py on its own then).
    email = account(live_app, "deep.e2e@tandem.space")
    draft_id = live_app.drafts["to_archive"]
    page.goto(f"{live_app.url}/drafts?draft={draft_id}")
    page.get_by_role("heading", name=SIGN_IN_TITLE).wait_for()
    settle(page)
    assert page.get_by_text("Page not found").count() == 0
    fill_sign_in(page, email)
    page.get_by_text("Signed in as").wait_for()
    settle(page)
    assert page.url.endswith(f"/drafts?draft={draft_id}"), page.url
    page.get_by_text("E2E to_archive").first.wait_for()  # the linked draft's inbound subject
    assert page.get_by_role("heading", name=SIGN_IN_TITLE).count() == 0
    page.reload()  # and the link keeps working once signed in
    page.get_by_text("E2E to_archive").first.wait_for()
    assert page.get_by_text("Signed in as").count()


def test_a_reload_and_a_new_tab_keep_the_session(page: Any, live_app: LiveApp) -> None:
    email = account(live_app, "reload.e2e@tandem.space")
    sign_in(page, live_app, email)
    page.reload()
    assert is_signed_in(page, email), "a reload signed the user out"
    other = page.context.new_page()
    other.goto(live_app.url + "/deals")
    assert is_signed_in(other, email), "a new tab was not signed in"
    assert other.get_by_role("heading", name=SIGN_IN_TITLE).count() == 0


def test_the_cookie_is_httponly_samesite_lax_and_never_visible_to_the_page(page: Any, live_app: LiveApp) -> None:
    email = account(live_app, "cookie.e2e@tandem.space")
    sign_in(page, live_app, email)
    cookie = session_cookie(page)
    assert cookie is not None and cookie["httpOnly"] and cookie["sameSite"] == "Lax" and cookie["path"] == "/"
    assert cookie["expires"] > time.time() + 3600  # a working day, not the browser session only
    assert COOKIE not in page.evaluate("document.cookie")
    assert cookie["value"] not in page.content()
    with live_app.engine.connect() as conn:  # the database keeps a hash only
        stored = conn.execute(text("SELECT token_hash, handoff_hash FROM web_sessions ws JOIN users u "
                                   "ON u.id = ws.user_id WHERE u.email = :e"), {"e": email}).one()
    assert stored.handoff_hash is None and cookie["value"] not in stored.token_hash


def test_a_malformed_deep_link_is_ignored_with_a_readable_line(page: Any, live_app: LiveApp) -> None:
    email = account(live_app, "bad.link.e2e@tandem.space")
    sign_in(page, live_app, email, "/drafts?draft=%C2%B2")  # ?draft=²
    page.get_by_text("is not a draft number").wait_for()
    assert page.get_by_text("Traceback").count() == 0


def test_sign_out_ends_the_session_in_every_tab_and_drops_the_cookie(page: Any, live_app: LiveApp) -> None:
    email = account(live_app, "out.e2e@tandem.space")
    sign_in(page, live_app, email)
    other = page.context.new_page()
    other.goto(live_app.url)
    assert is_signed_in(other, email)
    page.get_by_test_id("stSidebar").get_by_role("button", name="Sign out").click()
    page.get_by_role("heading", name=SIGN_IN_TITLE).wait_for()
    deadline = time.monotonic() + 10
    while session_cookie(page, seconds=0.2) and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    assert session_cookie(page, seconds=0.2) is None
    other.get_by_test_id("stSidebarNav").get_by_role("link", name="Deals").click()  # the other tab's next click
    other.get_by_role("heading", name=SIGN_IN_TITLE).wait_for()
    assert other.get_by_text("signed out").count()
    page.reload()
    page.get_by_role("heading", name=SIGN_IN_TITLE).wait_for()


def test_a_disabled_accounts_open_session_is_refused_at_its_next_click(page: Any, live_app: LiveApp) -> None:
    email = account(live_app, "disabled.e2e@tandem.space")
    sign_in(page, live_app, email)
    with Session(live_app.engine) as s:
        accounts.set_active(session=s, actor=OPERATOR, email=email, active=False)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Deals").click()
    page.get_by_role("heading", name=SIGN_IN_TITLE).wait_for()
    page.get_by_text("has been disabled").wait_for()
    assert page.locator('[data-testid="stDataFrame"] >> visible=true').count() == 0  # (the hidden warm-up's only)
    with Session(live_app.engine) as s:  # enabled again: the old session stays ended, a new sign-in works
        accounts.set_active(session=s, actor=OPERATOR, email=email, active=True)
    page.reload()
    page.get_by_role("heading", name=SIGN_IN_TITLE).wait_for()
    fill_sign_in(page, email)
    assert is_signed_in(page, email)


def test_the_sign_in_page_loads_the_pages_code_before_the_click(page: Any, live_app: LiveApp) -> None:
    """ui/prefetch.py: the code for Home's elements (a metric) and for other pages' (the reply's text area) arrives,
    and is drawn once, hidden, while the form is filled in, not after the click; nothing hidden takes the focus."""
    email = account(live_app, "prefetch.e2e@tandem.space")
    page.goto(live_app.url + "/")
    page.get_by_role("heading", name=SIGN_IN_TITLE).wait_for()

    def loaded(module: str) -> str:
        return (f"performance.getEntriesByType('resource')"
                f".filter(e => /\\/static\\/js\\/{module}\\.[^/.]+\\.js$/.test(e.name)).length")

    page.wait_for_function(f"() => {loaded('Metric')} > 0 && {loaded('TextArea')} > 0", timeout=15_000)
    hidden = page.locator(".st-key-prefetch_elements")
    hidden.get_by_test_id("stMetric").wait_for(state="attached")  # drawn (no placeholder left)…
    hidden.get_by_test_id("stMetric").wait_for(state="hidden")  # …out of sight…
    hidden.get_by_test_id("stTextArea").wait_for(state="attached")  # (drawn after the metric, a frame later)
    assert not hidden.get_by_test_id("stTextArea").is_visible() and hidden.get_by_test_id("stTextArea").count() == 1
    box = hidden.bounding_box()
    assert box is not None and box["height"] <= 1  # …in no more than a pixel
    page.get_by_role("button", name="Sign in", exact=True).focus()
    page.keyboard.press("Tab")  # the next stop is not one of the hidden widgets
    assert not page.evaluate("() => !!document.activeElement.closest('.st-key-prefetch_elements')")
    fill_sign_in(page, email)
    page.locator("dl.echo-figures >> visible=true").first.wait_for()  # Home's figures (ui/figures.py)
    assert page.evaluate(f"() => {loaded('Metric')}") == 1  # fetched once: the pages' own draws found it loaded
