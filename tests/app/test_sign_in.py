"""Signing in to the dashboard with built-in accounts (AppTest): nothing before sign-in, roles after,
and sessions like a real web app (a signed cookie checked against web_sessions on every run)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from echo_core import web_sessions
from echo_core.config import reload_settings
from echo_core.permissions import Actor, Role
from echo_core.services import accounts as account_services
from tests.app.conftest import APP, TIMEOUT_SECONDS, frames, metrics
from tests.factories import make_user
from ui import prefetch
from ui.health import CALLBACK_DATABASE_ERROR
from ui.text import md_escape

PASSWORD = "correct horse battery"
LEAD = Actor("boss@tandem.space", Role.LEAD)


def sign_in(at: AppTest, email: str, password: str) -> AppTest:
    at.text_input(key="auth_email").input(email)
    at.text_input(key="auth_password").input(password)
    at = at.button(key="auth_submit").click().run()
    return reopened(at) if "web_session_id" in at.session_state else at


AUTH_KEYS = ("web_session_id", "auth_handoff", "auth_clear_cookie", "auth_spent_cookie", "auth_flash")


def reopened(at: AppTest) -> AppTest:
    """The same tab's next run through the router.

    (AppTest re-runs a page script directly when the address names one of pages/*.py — Streamlit's
    old pages-folder mode, which serve.py turns off for the real server — so a sign-in's rerun would
    skip app.py; a new AppTest with the tab's session state runs app.py as the browser does.)
    """
    fresh = AppTest.from_file(str(APP), default_timeout=TIMEOUT_SECONDS)
    for key in (*AUTH_KEYS, prefetch.DONE_KEY):
        if key in at.session_state:
            fresh.session_state[key] = at.session_state[key]
    return fresh.run()


def shown_text(at: AppTest) -> str:
    parts = [e.value for kind in ("title", "markdown", "text", "caption", "error", "warning", "info", "success")
             for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)


def account(engine: Engine, email: str, role: str = "broker", **overrides: object) -> int:
    with Session(engine) as session:
        user = make_user(session, email=email, role=role, password=PASSWORD, **overrides)
        session.commit()
        return user.id


def test_before_sign_in_only_the_sign_in_form_is_shown_and_no_data(
    demo_db_url: str, open_app: Callable[[], AppTest]
) -> None:
    at = open_app()
    assert not at.exception
    assert [t.value for t in at.title] == ["Sign in to Echo Alpha"]
    assert not metrics(at) and not frames(at) and not at.sidebar.button
    with pytest.raises(ValueError, match="Could not find a navigation page"):  # no page script is registered
        at.switch_page("pages/deals.py")


def test_the_right_password_starts_a_web_session_and_session_state_keeps_only_its_id(
    demo_db_url: str, open_app: Callable[[], AppTest], app_engine: Engine
) -> None:
    user_id = account(app_engine, "maya.b@tandem.space")
    at = sign_in(open_app(), "Maya.B@Tandem.Space", PASSWORD)
    assert not at.exception and not at.error
    with app_engine.connect() as conn:
        row = conn.execute(text("SELECT id, user_id, role, handoff_hash IS NOT NULL AS pending, revoked_at "
                                "FROM web_sessions")).one()
    assert at.session_state["web_session_id"] == row.id and row.user_id == user_id
    assert row.role == "broker" and row.pending and row.revoked_at is None
    assert metrics(at), "the home page's figures are shown once signed in"
    assert "maya.b@tandem.space" in [t.value.splitlines()[0] for t in at.sidebar.text]
    stored = {k: at.session_state[k] for k in ("auth_email", "auth_password") if k in at.session_state}
    assert PASSWORD not in stored.values()  # the form is cleared on submit
    # The browser is asked once to swap the one-time code for the HttpOnly cookie; the code is not kept.
    [handoff] = [h.value for h in at.sidebar.html]
    assert "fetch(\"/_echo/session\"" in handoff and '"method": "POST"' in handoff
    assert "auth_handoff" not in at.session_state
    at.run()
    assert not at.sidebar.html


def test_a_wrong_password_or_unknown_account_shows_one_message_and_no_data(
    app_db_url: str, open_app: Callable[[], AppTest], app_engine: Engine
) -> None:
    account(app_engine, "leo.b@tandem.space")
    at = sign_in(open_app(), "leo.b@tandem.space", "wrong password!")
    wrong = [e.value for e in at.error]
    at = sign_in(at, "ghost@tandem.space", PASSWORD)
    message = md_escape("The email or password is not right — check both and try again.")
    assert wrong == [e.value for e in at.error] == [message]
    assert "web_session_id" not in at.session_state and not metrics(at)
    with app_engine.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM web_sessions")) == 0


def test_a_database_error_while_signing_in_is_one_line_and_no_session(
    app_db_url: str, open_app: Callable[[], AppTest], app_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    account(app_engine, "leo.d@tandem.space")

    def broken(**_: object) -> None:
        raise OperationalError("SELECT users", {}, Exception("server closed the connection unexpectedly"))

    monkeypatch.setattr(account_services, "authenticate", broken)
    at = sign_in(open_app(), "leo.d@tandem.space", PASSWORD)
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [md_escape(CALLBACK_DATABASE_ERROR)]
    assert "web_session_id" not in at.session_state and not metrics(at)
    assert not at.session_state["auth_password"], "the password is not kept past the attempt"


def test_repeated_failures_lock_the_account_and_say_when_to_retry(
    app_db_url: str, open_app: Callable[[], AppTest], app_engine: Engine
) -> None:
    account(app_engine, "leo.c@tandem.space")
    at = open_app()
    for _ in range(5):
        at = sign_in(at, "leo.c@tandem.space", "wrong password!")
    assert "locked; try again at" in at.error[0].value
    at = sign_in(at, "leo.c@tandem.space", PASSWORD)  # even the right password waits for the lock
    assert "locked" in at.error[0].value and "web_session_id" not in at.session_state


def test_a_disabled_account_is_locked_out_on_its_next_click(
    app_db_url: str, open_page: Callable[..., AppTest], app_engine: Engine
) -> None:
    at = open_page("pages/deals.py", role="broker")
    assert not at.exception and at.dataframe
    with app_engine.begin() as conn:
        conn.execute(text("UPDATE users SET active = false WHERE email = 'broker@tandem.space'"))
    at.run()
    assert [t.value for t in at.title] == ["Sign in to Echo Alpha"]
    assert "disabled" in at.warning[0].value and not frames(at)
    assert "web_session_id" not in at.session_state
    with app_engine.connect() as conn:  # and the session stays ended, even if the account is enabled again
        assert conn.scalar(text("SELECT revoked_reason FROM web_sessions")) == "disabled"


def test_a_role_change_ends_the_session_and_the_new_role_applies_after_signing_in_again(
    app_db_url: str, open_app: Callable[[], AppTest], open_page: Callable[..., AppTest], app_engine: Engine
) -> None:
    with pytest.raises(ValueError, match="Could not find a navigation page"):  # not in a broker's navigation
        open_page("pages/accounts.py", role="broker", email="rising@tandem.space")
    account(app_engine, "rising.b@tandem.space")
    at = sign_in(open_app(), "rising.b@tandem.space", PASSWORD)
    with app_engine.begin() as conn:  # even straight in the database, not only through the services
        conn.execute(text("UPDATE users SET role = 'lead' WHERE email = 'rising.b@tandem.space'"))
    at.run()
    assert [t.value for t in at.title] == ["Sign in to Echo Alpha"]
    assert "role was changed" in at.warning[0].value and not metrics(at)
    at = sign_in(at, "rising.b@tandem.space", PASSWORD)
    at.switch_page("pages/accounts.py").run()
    assert [t.value for t in at.title] == ["Accounts"] and not at.error and at.dataframe


@pytest.mark.parametrize(("change", "message"), [
    (lambda s, email: account_services.set_password(session=s, actor=LEAD, email=email,
                                                    password="another long password"), "password was changed"),
    (lambda s, email: account_services.set_active(session=s, actor=LEAD, email=email, active=False), "disabled"),
    (lambda s, email: account_services.set_role(session=s, actor=LEAD, email=email, role="analyst"),
     "role was changed"),
])
def test_a_lead_resetting_the_password_disabling_or_changing_the_role_ends_open_sessions_at_their_next_click(
    app_db_url: str, open_app: Callable[[], AppTest], app_engine: Engine, change: Callable[..., object],
    message: str,
) -> None:
    account(app_engine, "target@tandem.space")
    account(app_engine, LEAD.email, role="lead")
    first = sign_in(open_app(), "target@tandem.space", PASSWORD)
    second = sign_in(open_app(), "target@tandem.space", PASSWORD)  # another browser
    assert metrics(first) and metrics(second)
    with Session(app_engine) as s:
        change(s, "target@tandem.space")
    for at in (first, second):
        at.run()
        assert [t.value for t in at.title] == ["Sign in to Echo Alpha"] and not metrics(at)
        assert message in at.warning[0].value


def test_sign_out_revokes_the_session_clears_the_cookie_and_returns_to_the_sign_in_page(
    app_db_url: str, open_app: Callable[[], AppTest], app_engine: Engine
) -> None:
    account(app_engine, "out@tandem.space")
    at = sign_in(open_app(), "out@tandem.space", PASSWORD)
    session_id = at.session_state["web_session_id"]
    at.sidebar.button(key="auth_sign_out").click().run()
    assert [t.value for t in at.title] == ["Sign in to Echo Alpha"] and not metrics(at) and not at.warning
    assert "web_session_id" not in at.session_state
    assert any('"method": "DELETE"' in h.value for h in at.html)  # the browser drops the cookie
    with app_engine.connect() as conn:
        assert conn.scalar(text("SELECT revoked_reason FROM web_sessions WHERE id = :i"), {"i": session_id}) \
            == "signed_out"


def test_an_analyst_gets_no_write_controls(demo_db_url: str, open_page: Callable[..., AppTest]) -> None:
    at = open_page("pages/deals.py", role="analyst", state={"deals_open": None})
    assert not at.exception and at.dataframe
    labels = {b.label for b in at.button} | {b.label for b in at.get("form_submit_button")}
    assert "Create deal" not in labels
    at.selectbox(key="deals_open").set_value(int(at.dataframe[0].value["id"].iloc[0])).run()
    assert at.subheader and not at.exception
    for view in ("thread", "spaces", "fits"):  # the opened deal draws one view at a time: each is read-only
        at.segmented_control(key="deal_view").set_value(view).run()
        labels = {b.label for b in at.button}
        assert not labels & {"Change stage", "Draft a reply", "Set status", "Add to deal"}, (view, labels)
    at.switch_page("pages/spaces.py").run()
    assert "Add a space" not in [e.label for e in at.expander]
    at.switch_page("pages/home.py").run()
    assert not any("Ingest" == b.label for b in at.button)


def test_demo_logins_are_listed_in_demo_mode_and_work(
    demo_db_url: str, open_app: Callable[[], AppTest], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ECHO_SEED_DEMO", "true")
    reload_settings()
    at = open_app()
    listed = at.dataframe[0].value.to_dict("records")
    assert {r["role"] for r in listed} == {"broker", "lead", "analyst"}
    lead = next(r for r in listed if r["email"] == "lead@tandem.space")
    at = sign_in(at, lead["email"], lead["password"])  # the listed password really works
    assert not at.error and at.session_state["web_session_id"]


def test_no_demo_logins_are_listed_outside_demo_mode(app_db_url: str, open_app: Callable[[], AppTest]) -> None:
    at = open_app()
    assert not frames(at) and "echo-demo" not in shown_text(at)


def cookie_for(engine: Engine, email: str) -> str:
    """What the browser holds after a sign-in: the cookie the session route set."""
    with Session(engine) as s:
        user_id = s.execute(text("SELECT id FROM users WHERE email = :e"), {"e": email}).scalar_one()
        started = web_sessions.start(session=s, user_id=user_id)
        return web_sessions.redeem_handoff(session=s, code=started.handoff_code).value


def reload_with(monkeypatch: pytest.MonkeyPatch, cookie: str | None) -> AppTest:
    """A fresh tab (a reload, a new tab): no session state, only the cookie the browser sends."""
    monkeypatch.setattr("ui.auth._cookie_token", lambda: cookie)
    return AppTest.from_file(str(APP), default_timeout=TIMEOUT_SECONDS).run()


def test_a_reload_or_new_tab_with_the_session_cookie_is_signed_in_without_the_form(
    demo_db_url: str, app_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    account(app_engine, "cookie@tandem.space")
    cookie = cookie_for(app_engine, "cookie@tandem.space")
    for _ in range(2):  # the reload and a second tab
        at = reload_with(monkeypatch, cookie)
        assert not at.exception and metrics(at) and not at.text_input
        assert "cookie@tandem.space" in [t.value.splitlines()[0] for t in at.sidebar.text]
        kept = [str(at.session_state[k]) for k in at.session_state]  # the token is never kept or shown
        assert not any(cookie in value for value in kept) and cookie not in repr(at.main)


@pytest.mark.parametrize("tamper", [
    lambda c: c[:-2] + ("AA" if not c.endswith("AA") else "BB"),  # the signature
    lambda c: c.replace(c.split(".")[0], c.split(".")[0][::-1], 1),  # the payload
    lambda c: "not a token",
    lambda c: "",
])
def test_a_tampered_or_garbage_cookie_shows_the_sign_in_page_and_no_data(
    demo_db_url: str, app_engine: Engine, monkeypatch: pytest.MonkeyPatch, tamper: Callable[[str], str]
) -> None:
    account(app_engine, "tamper@tandem.space")
    at = reload_with(monkeypatch, tamper(cookie_for(app_engine, "tamper@tandem.space")) or None)
    assert not at.exception and [t.value for t in at.title] == ["Sign in to Echo Alpha"]
    assert not metrics(at) and not frames(at)[1:]


def test_a_cookie_of_a_signed_out_session_no_longer_signs_in(
    demo_db_url: str, app_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    account(app_engine, "gone@tandem.space")
    cookie = cookie_for(app_engine, "gone@tandem.space")
    at = reload_with(monkeypatch, cookie)
    at.sidebar.button(key="auth_sign_out").click().run()  # sign out in one tab…
    other = reload_with(monkeypatch, cookie)  # …and the other tab's cookie is dead too
    assert [t.value for t in other.title] == ["Sign in to Echo Alpha"] and not metrics(other)
    assert "signed out" in other.warning[0].value
    assert any('"method": "DELETE"' in h.value for h in other.html)


def test_a_tab_opened_signed_in_draws_the_hidden_elements_once_after_its_first_page_and_a_signed_in_tab_never(
    demo_db_url: str, app_engine: Engine, monkeypatch: pytest.MonkeyPatch, open_app: Callable[[], AppTest]
) -> None:
    """ui/prefetch.py: a reload has no sign-in page to load the pages' element code, so its first page does it, in
    the sidebar, after the page; the tab's next run does not draw them again."""
    account(app_engine, "warm@tandem.space")
    at = reload_with(monkeypatch, cookie_for(app_engine, "warm@tandem.space"))
    assert not at.exception and metrics(at)  # the page itself, then …
    assert [m.label for m in at.sidebar.metric] == [prefetch.LABEL]  # … the hidden ones, in the sidebar
    assert prefetch.LABEL in [b.label for b in at.sidebar.button]
    at.run()
    assert not at.exception and metrics(at) and not at.sidebar.metric
    monkeypatch.setattr("ui.auth._cookie_token", lambda: None)  # a tab without the cookie: the sign-in page …
    signed_in_here = sign_in(open_app(), "warm@tandem.space", PASSWORD)  # … drew them already
    assert not signed_in_here.exception and metrics(signed_in_here) and not signed_in_here.sidebar.metric


def deep_link_script() -> None:
    import streamlit as st

    from ui.auth import requested_draft_id

    st.write(f"draft={requested_draft_id()}")


@pytest.mark.parametrize(("value", "expected", "warned"), [
    ("42", 42, False), ("abc", None, True), ("²", None, True), ("٤٢", None, True), ("-1", None, True),
    ("0", None, True), ("99999999999", None, True), ("2147483648", None, True), ("4.2", None, True),
    ("", None, False),
])
def test_a_deep_links_draft_number_is_read_and_a_malformed_one_gets_one_readable_line(
    value: str, expected: int | None, warned: bool
) -> None:
    at = AppTest.from_function(deep_link_script)
    at.query_params["draft"] = value
    at.run()
    assert not at.exception
    assert at.markdown[-1].value == f"draft={expected}"
    assert bool(at.warning) == warned
    if warned:
        assert len(at.warning) == 1 and "is not a draft number" in at.warning[0].value
        assert "draft" not in at.query_params  # dropped from the address
