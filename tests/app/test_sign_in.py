"""Signing in to the dashboard with built-in accounts (AppTest): nothing before sign-in, roles after."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from echo_core.config import reload_settings
from tests.factories import make_user
from ui.text import md_escape

PASSWORD = "correct horse battery"


def sign_in(at: AppTest, email: str, password: str) -> AppTest:
    at.text_input(key="auth_email").input(email)
    at.text_input(key="auth_password").input(password)
    return at.button(key="auth_submit").click().run()


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
    assert not at.metric and not at.dataframe and not at.sidebar.button
    with pytest.raises(ValueError, match=r"Known pages: \['Sign in'\]"):  # no other page is registered
        at.switch_page("pages/deals.py")


def test_the_right_password_signs_in_and_session_state_keeps_only_the_id(
    demo_db_url: str, open_app: Callable[[], AppTest], app_engine: Engine
) -> None:
    user_id = account(app_engine, "maya.b@tandem.space")
    at = sign_in(open_app(), "Maya.B@Tandem.Space", PASSWORD)
    assert not at.exception and not at.error
    assert at.session_state["user_id"] == user_id
    assert at.metric, "the home page's figures are shown once signed in"
    assert "maya.b@tandem.space" in [t.value.splitlines()[0] for t in at.sidebar.text]
    stored = {k: at.session_state[k] for k in ("auth_email", "auth_password") if k in at.session_state}
    assert PASSWORD not in stored.values()  # the form is cleared on submit


def test_a_wrong_password_or_unknown_account_shows_one_message_and_no_data(
    app_db_url: str, open_app: Callable[[], AppTest], app_engine: Engine
) -> None:
    account(app_engine, "leo.b@tandem.space")
    at = sign_in(open_app(), "leo.b@tandem.space", "wrong password!")
    wrong = [e.value for e in at.error]
    at = sign_in(at, "ghost@tandem.space", PASSWORD)
    message = md_escape("The email or password is not right — check both and try again.")
    assert wrong == [e.value for e in at.error] == [message]
    assert "user_id" not in at.session_state and not at.metric


def test_repeated_failures_lock_the_account_and_say_when_to_retry(
    app_db_url: str, open_app: Callable[[], AppTest], app_engine: Engine
) -> None:
    account(app_engine, "leo.c@tandem.space")
    at = open_app()
    for _ in range(5):
        at = sign_in(at, "leo.c@tandem.space", "wrong password!")
    assert "locked; try again at" in at.error[0].value
    at = sign_in(at, "leo.c@tandem.space", PASSWORD)  # even the right password waits for the lock
    assert "locked" in at.error[0].value and "user_id" not in at.session_state


def test_a_disabled_account_is_locked_out_on_its_next_click(
    app_db_url: str, open_page: Callable[..., AppTest], app_engine: Engine
) -> None:
    at = open_page("pages/deals.py", role="broker")
    assert not at.exception and at.dataframe
    with app_engine.begin() as conn:
        conn.execute(text("UPDATE users SET active = false WHERE email = 'broker@tandem.space'"))
    at.run()
    assert [t.value for t in at.title] == ["Sign in to Echo Alpha"]
    assert "disabled" in at.warning[0].value and not at.dataframe
    assert "user_id" not in at.session_state


def test_a_role_change_applies_on_the_next_run(
    app_db_url: str, open_page: Callable[..., AppTest], app_engine: Engine
) -> None:
    with pytest.raises(ValueError, match="Could not find a navigation page"):  # not in a broker's navigation
        open_page("pages/accounts.py", role="broker", email="rising@tandem.space")
    at = open_page("pages/home.py", email="rising@tandem.space")
    with app_engine.begin() as conn:
        conn.execute(text("UPDATE users SET role = 'lead' WHERE email = 'rising@tandem.space'"))
    at.run()  # the next run registers the lead's pages
    at.switch_page("pages/accounts.py").run()
    assert [t.value for t in at.title] == ["Accounts"] and not at.error and at.dataframe


def test_sign_out_returns_to_the_sign_in_page(
    app_db_url: str, open_app: Callable[[], AppTest], app_engine: Engine
) -> None:
    account(app_engine, "out@tandem.space")
    at = sign_in(open_app(), "out@tandem.space", PASSWORD)
    at.sidebar.button(key="auth_sign_out").click().run()
    assert [t.value for t in at.title] == ["Sign in to Echo Alpha"] and not at.metric
    assert "user_id" not in at.session_state


def test_an_analyst_gets_no_write_controls(demo_db_url: str, open_page: Callable[..., AppTest]) -> None:
    at = open_page("pages/deals.py", role="analyst", state={"deals_open": None})
    assert not at.exception and at.dataframe
    labels = {b.label for b in at.button} | {b.label for b in at.get("form_submit_button")}
    assert "Create deal" not in labels
    at.selectbox(key="deals_open").set_value(int(at.dataframe[0].value["id"].iloc[0])).run()
    assert at.subheader and not at.exception
    labels = {b.label for b in at.button}
    assert not labels & {"Change stage", "Draft a reply", "Set status", "Add to deal"}, labels
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
    assert not at.error and at.session_state["user_id"]


def test_no_demo_logins_are_listed_outside_demo_mode(app_db_url: str, open_app: Callable[[], AppTest]) -> None:
    at = open_app()
    assert not at.dataframe and "echo-demo" not in shown_text(at)
