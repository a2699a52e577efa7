"""OIDC sign-in (st.login) end to end: a real `streamlit run` with `[auth]` in secrets.toml, a test
OpenID provider on 127.0.0.1 (tests/e2e/oidc_provider.py), and Debian's Chromium.

The OIDC identity is mapped to an active account; an identity without one gets the
"ask a lead to add your account" page and no data.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy.orm import Session

from echo_core.db.engine import make_engine
from tests import dbutil
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, ROOT, _wait_healthy, free_port, require_chromium
from tests.e2e.oidc_provider import OidcProvider
from tests.factories import make_deal, make_user

LEAD = {"sub": "lead-1", "email": "oidc.lead@tandem.space", "email_verified": True, "name": "Olive Lead"}
STRANGER = {"sub": "x-9", "email": "stranger@elsewhere.example", "email_verified": True, "name": "Stranger"}


@dataclass
class OidcApp:
    url: str
    provider: OidcProvider


@pytest.fixture(scope="module")
def oidc_app(server_url: str, template_db: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[OidcApp]:
    require_chromium()
    provider = OidcProvider(client_id="echo-alpha-test", client_secret=secrets.token_urlsafe(16),
                            user=dict(LEAD)).start()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    home = tmp_path_factory.mktemp("oidc")  # the app runs from here: .streamlit/secrets.toml holds [auth]
    (home / ".streamlit").mkdir()
    (home / ".streamlit" / "secrets.toml").write_text(
        "[auth]\n"
        f'redirect_uri = "{url}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_urlsafe(32)}"\n'
        f'client_id = "{provider.client_id}"\n'
        f'client_secret = "{provider.client_secret}"\n'
        f'server_metadata_url = "{provider.issuer}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    with dbutil.database_copy(server_url, template_db, prefix="echo_oidc") as db_url:
        engine = make_engine(db_url)
        with Session(engine) as session:
            make_user(session, email=LEAD["email"], role="lead")  # OIDC only: no password
            make_deal(session, company_name="Visible Only After Sign-in")
            session.commit()
        engine.dispose()
        env = {**os.environ, "DATABASE_URL": db_url, "ECHO_AUTO_MIGRATE": "false", "ECHO_SEED_DEMO": "false",
               "ECHO_PROVIDER": "offline", "PYTHONPATH": str(ROOT),
               "AUTHLIB_INSECURE_TRANSPORT": "1"}  # the test provider speaks plain HTTP on 127.0.0.1
        env.pop("OPENAI_API_KEY", None)
        command = [sys.executable, "-m", "streamlit", "run", str(ROOT / "serve.py"), "--server.port", str(port),
                   "--server.address", "127.0.0.1", "--server.headless", "true",
                   "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
        process = subprocess.Popen(command, cwd=home, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            _wait_healthy(url, process)
            yield OidcApp(url=url, provider=provider)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
            provider.stop()


@pytest.fixture
def tab(oidc_app: OidcApp) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        page = context.new_page()
        page.set_default_timeout(30_000)
        yield page
        context.close()
        browser.close()


def sign_in_with_the_provider(page: Any, app: OidcApp) -> None:
    page.goto(f"{app.url}/deals")  # a page's own address, before sign-in: still only the sign-in page
    page.get_by_role("heading", name="Sign in to Echo Alpha").wait_for()
    assert "Visible Only After Sign-in" not in page.content()  # no data before sign-in
    page.goto(app.url)  # (Streamlit also shows a "page not found" dialog above; start clean)
    page.get_by_role("button", name="Sign in with your company account").click()


def test_an_oidc_user_with_an_account_is_signed_in_with_their_role(oidc_app: OidcApp, tab: Any) -> None:
    oidc_app.provider.user = dict(LEAD)
    sign_in_with_the_provider(tab, oidc_app)
    sidebar = tab.get_by_test_id("stSidebar")
    sidebar.get_by_text(LEAD["email"]).wait_for()
    assert {"/authorize", "/token", "/jwks"} <= set(oidc_app.provider.requests)
    tab.get_by_test_id("stSidebarNav").get_by_role("link", name="Accounts").wait_for()  # a lead's page
    tab.get_by_test_id("stSidebarNav").get_by_role("link", name="Deals").click()
    tab.get_by_role("heading", name="Deals").wait_for()
    tab.get_by_text("Visible Only After Sign-in").first.wait_for(state="attached")  # a grid cell
    sidebar.get_by_role("button", name="Sign out").click()
    tab.get_by_role("heading", name="Sign in to Echo Alpha").wait_for()


def test_an_oidc_user_without_an_account_is_told_to_ask_a_lead(oidc_app: OidcApp, tab: Any) -> None:
    oidc_app.provider.user = dict(STRANGER)
    sign_in_with_the_provider(tab, oidc_app)
    tab.get_by_text("ask a lead to add your account").wait_for()
    assert "Visible Only After Sign-in" not in tab.content()
    assert tab.get_by_test_id("stSidebarNav").count() == 0
