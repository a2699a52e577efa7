"""The signed-in session is read from the database once per run: app.py resolves it, the page reuses it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from echo_core import web_sessions


@pytest.mark.parametrize("page", ["pages/home.py", "pages/deals.py"])
def test_a_page_run_resolves_the_session_once(open_page: Callable[..., AppTest], page: str,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_page(page, role="lead")
    calls: list[int | None] = []
    real = web_sessions.resolve

    def counted(**kwargs):  # type: ignore[no-untyped-def]
        calls.append(kwargs.get("session_id"))
        return real(**kwargs)

    monkeypatch.setattr(web_sessions, "resolve", counted)
    at.run()
    assert not at.exception, at.exception
    assert len(calls) == 1, calls


def test_a_disabled_account_is_still_refused_on_the_next_run(open_page: Callable[..., AppTest],
                                                             app_db_url: str) -> None:
    from sqlalchemy import create_engine, text

    at = open_page("pages/home.py", role="broker", email="once.per.run@tandem.space")
    engine = create_engine(app_db_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE users SET active = false WHERE email = 'once.per.run@tandem.space'"))
    engine.dispose()
    at.run()
    assert any("Sign in" in t.value for t in at.title), [t.value for t in at.title]
