"""The Accounts page (leads): add an account, change its role, disable it — checked in the database."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine, text
from streamlit.testing.v1 import AppTest

from ui.text import md_escape

PAGE = "pages/accounts.py"


def row(engine: Engine, email: str) -> tuple[str, bool, str | None] | None:
    with engine.connect() as conn:
        found = conn.execute(text("SELECT role, active, password_hash FROM users WHERE email = :e"),
                             {"e": email}).first()
    return None if found is None else (found.role, found.active, found.password_hash)


def test_a_lead_adds_an_account_changes_its_role_and_disables_it(
    app_db_url: str, open_page: Callable[..., AppTest], app_engine: Engine
) -> None:
    at = open_page(PAGE, role="lead")
    assert not at.exception and not at.error
    assert not at.text_input and not [b for b in at.button if b.key == "acc_toggle"]  # drawn when opened or picked
    at.session_state["acc_add_open"] = True  # the "Add an account" expander, opened
    at.run()
    at.text_input(key="acc_new_email").input("New.Broker@Tandem.Space")
    at.selectbox(key="acc_new_role").set_value("broker")
    at.text_input(key="acc_new_pw").input("a long enough password")
    at.button(key="acc_add").click().run()
    assert not at.error, [e.value for e in at.error]
    role, active, password_hash = row(app_engine, "new.broker@tandem.space") or ("", False, None)
    assert (role, active) == ("broker", True) and password_hash and "a long enough" not in password_hash
    assert "new.broker@tandem.space" in list(at.dataframe[0].value["Email"])

    at.selectbox(key="acc_pick").set_value("new.broker@tandem.space").run()
    at.selectbox(key="acc_role").set_value("analyst").run()
    at.button(key="acc_set_role").click().run()
    assert row(app_engine, "new.broker@tandem.space")[:2] == ("analyst", True)  # type: ignore[index]
    at.button(key="acc_toggle").click().run()
    assert row(app_engine, "new.broker@tandem.space")[:2] == ("analyst", False)  # type: ignore[index]


def test_a_bad_account_is_refused_with_one_clear_message(
    app_db_url: str, open_page: Callable[..., AppTest], app_engine: Engine
) -> None:
    at = open_page(PAGE, role="lead", state={"acc_add_open": True})
    at.text_input(key="acc_new_email").input("=cmd|' /C calc'!A0")
    at.button(key="acc_add").click().run()
    assert [e.value for e in at.error] == [md_escape("'=cmd|' /c calc'!a0' is not an email address — actors are "
                                                     "named by their email.")]
    assert "\\=cmd\\|" in at.error[0].value  # shown literally: markdown characters escaped
    at.text_input(key="acc_new_email").input("ok@tandem.space")
    at.text_input(key="acc_new_pw").input("short")
    at.button(key="acc_add").click().run()
    assert "at least 10 characters" in at.error[0].value
    assert row(app_engine, "ok@tandem.space") is None


def test_the_last_lead_cannot_lock_everyone_out(app_db_url: str, open_page: Callable[..., AppTest],
                                               app_engine: Engine) -> None:
    at = open_page(PAGE, role="lead")
    at.selectbox(key="acc_pick").set_value("lead@tandem.space").run()
    at.button(key="acc_toggle").click().run()
    assert "last active lead" in at.error[0].value
    assert row(app_engine, "lead@tandem.space")[1] is True  # type: ignore[index]
