"""Row-level security through the real dashboard (issue 15): with ECHO_BROKER_SCOPE=own and the app connected
as the role from `db grant-app-role`, a broker's Deals page lists their own and unassigned deals only — also
right after another broker filled the shared cache — while a lead's lists every deal."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import streamlit as st
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from echo_core.config import reload_settings
from tests.app.conftest import APP, TIMEOUT_SECONDS, signed_in_state
from tests.factories import make_deal, make_user
from tests.integration.test_row_level_security import app_engine_for  # noqa: F401  (a fixture)


def deals_page(url: str, email: str, role: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_SECONDS)
    for key, value in signed_in_state(url, email, role).items():
        at.session_state[key] = value
    at.run()
    at.switch_page("pages/deals.py")
    at = at.run()
    assert not at.exception, at.exception
    return at


def test_the_deals_page_shows_a_broker_only_their_own_and_unassigned_deals(
    fresh_db_url: str, fresh_engine: Engine, app_engine_for: Callable[[str], Engine],  # noqa: F811
    monkeypatch: pytest.MonkeyPatch
) -> None:
    with Session(fresh_engine, expire_on_commit=False) as s:
        ana, ben = make_user(s, email="ana@tandem.space"), make_user(s, email="ben@tandem.space")
        make_user(s, email="lead@tandem.space", role="lead")
        names = {"ana": make_deal(s, owner_id=ana.id, company_name="Ana Co").company_name,
                 "ben": make_deal(s, owner_id=ben.id, company_name="Ben Co").company_name,
                 "free": make_deal(s, company_name="Free Co").company_name}
        s.commit()
    app = app_engine_for("own")  # grant-app-role with ECHO_BROKER_SCOPE=own (the fixture keeps it set)
    monkeypatch.setenv("DATABASE_URL", app.url.render_as_string(hide_password=False))
    monkeypatch.setenv("ECHO_AUTO_MIGRATE", "false")
    monkeypatch.setenv("ECHO_SEED_DEMO", "false")
    reload_settings()
    st.cache_resource.clear()
    st.cache_data.clear()
    url = app.url.render_as_string(hide_password=False)
    try:
        shown = {who: set(deals_page(url, f"{who}@tandem.space", role).dataframe[0].value["company"])
                 for who, role in (("lead", "lead"), ("ben", "broker"), ("ana", "broker"))}
    finally:
        st.cache_resource.clear()
        st.cache_data.clear()
    assert shown["lead"] == set(names.values())
    assert shown["ben"] == {names["ben"], names["free"]}
    assert shown["ana"] == {names["ana"], names["free"]}
