"""Who is signed in: OIDC (`st.login`) when `[auth]` is in secrets.toml, else built-in accounts.

Built-in accounts sign in like a real web app (echo_core.web_sessions): the password check starts a
session row, the browser swaps a one-time code for an HttpOnly cookie at /_echo/session (served by
serve.py), and every run checks the session against the database — by its id kept in
st.session_state (this tab) or by the cookie (a reload, a new tab). A disabled account, a changed
role, a reset password or a sign-out elsewhere ends the session at the next click. OIDC keeps its
identity in Streamlit's own cookie; the account's role and active flag are re-read on every run.
"""

from __future__ import annotations

import json
import re

import pandas as pd
import streamlit as st
from sqlalchemy import Engine
from streamlit.runtime.scriptrunner import get_script_run_ctx

from echo_core import web_sessions
from echo_core.config import get_settings
from echo_core.db import scope
from echo_core.db.engine import session_factory
from echo_core.errors import EchoError, InvalidInput, NoActiveAccount
from echo_core.permissions import Actor
from echo_core.services import accounts
from ui import prefetch, text
from ui.health import callback_guard
from ui.resources import get_engine
from ui.session_routes import SESSION_PATH

SESSION_KEY = "web_session_id"  # the web_sessions row of this tab (an id, never the token)
HANDOFF_KEY = "auth_handoff"  # a one-time code the browser still has to swap for the cookie
CLEAR_COOKIE_KEY = "auth_clear_cookie"
SPENT_COOKIE_KEY = "auth_spent_cookie"  # a cookie this tab found ended: not looked up again until reload
FLASH_KEY = "auth_flash"
ERROR_KEY = "auth_error"  # why the last sign-in was refused, shown once by the next run
ACTING_KEY = "auth_acting"  # (user id, role) of the signed-in account, for row-level security (db/scope.py)
DRAFT_PARAM = "draft"
_DRAFT_ID = re.compile(r"^[0-9]{1,10}$")  # ASCII digits only: int() would accept '²' and '٤'
DRAFT_ID_MAX = 2**31 - 1


def oidc_configured() -> bool:
    """True when `.streamlit/secrets.toml` has an [auth] section: then only st.login signs people in."""
    try:
        return bool(st.secrets.load_if_toml_exists() and st.secrets.get("auth"))
    except FileNotFoundError:
        return False


def _oidc_email() -> str | None:
    if not st.user.is_logged_in:
        return None
    return str(st.user.get("email") or "")


def _cookie_token() -> str | None:
    """The session cookie the browser sent when this tab connected (HttpOnly: the page never sees it)."""
    value = st.context.cookies.get(web_sessions.COOKIE_NAME)
    return value if isinstance(value, str) and value else None


def _bind(user_id: int | None, role: str) -> None:
    scope.bind(user_id, role)
    if user_id is not None:
        st.session_state[ACTING_KEY] = (user_id, role)


def _acting_in_this_browser_session() -> scope.Acting | None:
    """The actor the last full run bound (a fragment's rerun runs in a thread of its own)."""
    if get_script_run_ctx(suppress_warning=True) is None:
        return None
    found = st.session_state.get(ACTING_KEY)
    return scope.Acting(int(found[0]), str(found[1])) if isinstance(found, tuple) and len(found) == 2 else None


scope.set_fallback(_acting_in_this_browser_session)


def signed_in_actor(engine: Engine | None = None) -> Actor | None:
    """The Actor of the signed-in, active account; None if nobody is signed in.

    An OIDC identity without an active account stops the run on a page saying whom to ask. The actor is
    bound for the run (echo_core.db.scope): with ECHO_BROKER_SCOPE=own every transaction of the run names it.
    """
    scope.bind(None, None)  # this run acts for nobody until the session is resolved
    st.session_state.pop(ACTING_KEY, None)
    engine = engine or get_engine()
    if oidc_configured():
        return _oidc_actor(engine)
    session_id = st.session_state.get(SESSION_KEY)
    token = None
    if session_id is None:
        token = _cookie_token()
        if token is None or token == st.session_state.get(SPENT_COOKIE_KEY):
            return None
    try:
        with session_factory(engine)() as session:
            current = web_sessions.resolve(session=session, session_id=session_id, token=token)
    except web_sessions.SessionEnded as ended:
        st.session_state.pop(SESSION_KEY, None)
        st.session_state.pop(HANDOFF_KEY, None)
        if token is not None or _cookie_token() is not None:
            st.session_state[SPENT_COOKIE_KEY] = token or _cookie_token()
            st.session_state[CLEAR_COOKIE_KEY] = True
        st.session_state[FLASH_KEY] = str(ended)
        return None
    st.session_state[SESSION_KEY] = current.session_id
    _bind(current.user_id, current.actor.role.value)
    return current.actor


def _oidc_actor(engine: Engine) -> Actor | None:
    email = _oidc_email()
    if email is None:
        return None
    try:
        with session_factory(engine)() as session:
            actor = accounts.active_actor(session, email)
            _bind(accounts.account_id(session, actor.email), actor.role.value)
            return actor
    except (NoActiveAccount, InvalidInput):
        _no_account_page(email)
        return None  # unreachable: the page stops the run


def _no_account_page(email: str) -> None:
    st.title("No account yet")
    text.error(f"{email[:255] or 'This sign-in'} has no active Echo Alpha account — ask a lead to add your account.")
    if st.button("Sign out", key="auth_sign_out_unknown"):
        st.logout()
    st.stop()


def _browser_call(method: str, body: str | None = None) -> None:
    """Have the browser call the session route (fetch keeps the cookie HttpOnly: the script never reads it)."""
    options = {"method": method, "credentials": "same-origin", "headers": {"Content-Type": "text/plain"}}
    if body is not None:
        options["body"] = body
    # json.dumps: the code is URL-safe base64 anyway; this keeps it a JS string literal whatever it holds.
    st.html(f"<script>fetch({json.dumps(SESSION_PATH)}, {json.dumps(options)}).catch(() => {{}});</script>",
            unsafe_allow_javascript=True, width="content")


def _client_address() -> str | None:
    """The client's address as Streamlit sees it (None in tests and behind some proxies): sign-in locks by it."""
    address = st.context.ip_address
    return address if isinstance(address, str) and address else None


def sign_in_page() -> None:
    """The only page before sign-in (at every page's address): no data at all, just the form or the OIDC button."""
    st.title("Sign in to Echo Alpha")
    if st.session_state.pop(CLEAR_COOKIE_KEY, False):
        _browser_call("DELETE")
    if FLASH_KEY in st.session_state:
        st.warning(text.md_escape(st.session_state.pop(FLASH_KEY)))
    if oidc_configured():
        if st.button("Sign in with your company account", key="auth_oidc", type="primary"):
            st.login()
        return
    if ERROR_KEY in st.session_state:
        text.error(st.session_state.pop(ERROR_KEY))
    with st.form("sign_in", clear_on_submit=True):
        st.text_input("Email", key="auth_email", max_chars=255)
        st.text_input("Password", type="password", key="auth_password", max_chars=1024)
        # A callback, not `if submitted: … st.rerun()`: it runs before the run the click starts, so that one run
        # draws the signed-in page (the address the link named, and its ?draft=…), not the form and then a rerun.
        st.form_submit_button("Sign in", key="auth_submit", type="primary", on_click=_submit)
    if get_settings().should_seed_demo:
        _demo_accounts()
    prefetch.install()  # the signed-in pages' code, loaded while the form is filled in


def _submit() -> None:
    """The sign-in form's callback: check the password, start the session; a refusal is shown by the run."""
    email, password = str(st.session_state.get("auth_email") or ""), str(st.session_state.get("auth_password") or "")
    st.session_state["auth_password"] = ""  # not kept past the check, whatever the form does
    with callback_guard(lambda line: st.session_state.__setitem__(ERROR_KEY, line)):
        try:
            with session_factory(get_engine())() as session:
                account = accounts.authenticate(session=session, email=email, password=password,
                                                source=_client_address())
                started = web_sessions.start(session=session, user_id=account.id,
                                             user_agent=st.context.headers.get("User-Agent"))
        except EchoError as error:
            st.session_state[ERROR_KEY] = str(error)
        else:
            st.session_state[SESSION_KEY] = started.session_id
            st.session_state[HANDOFF_KEY] = started.handoff_code
            st.session_state.pop(SPENT_COOKIE_KEY, None)


def _demo_accounts() -> None:
    from echo_core.demo.accounts import DEMO_ACCOUNTS

    st.info("Demo mode: these demo accounts exist (one per role). Turn demo mode off with ECHO_SEED_DEMO=false "
            "and disable them with `python -m echo_core users disable EMAIL` before real use.")
    st.dataframe(pd.DataFrame(DEMO_ACCOUNTS, columns=["email", "role", "password"]), hide_index=True,
                 key="auth_demo_accounts")


def _sign_out() -> None:
    session_id = st.session_state.pop(SESSION_KEY, None)
    st.session_state.pop(HANDOFF_KEY, None)
    if session_id is not None:
        with session_factory(get_engine())() as session:
            web_sessions.end(session=session, session_id=int(session_id))
    st.session_state[SPENT_COOKIE_KEY] = _cookie_token()
    st.session_state[CLEAR_COOKIE_KEY] = True


def sidebar(actor: Actor) -> None:
    """Who is signed in, the sign-out button (its callback runs before the next run starts), and the
    one-time cookie handoff right after a sign-in."""
    code = st.session_state.pop(HANDOFF_KEY, None)
    if code:
        with st.sidebar:
            _browser_call("POST", str(code))
    st.sidebar.caption("Signed in as")
    st.sidebar.text(f"{actor.email}\n{actor.role.value}")
    oidc = oidc_configured()
    clicked = st.sidebar.button("Sign out", key="auth_sign_out", icon=":material/logout:",
                                on_click=None if oidc else _sign_out)
    if clicked and oidc:
        st.logout()  # clears Streamlit's identity cookie and reruns
    if clicked:
        st.rerun()


def requested_draft_id() -> int | None:
    """The draft a link names (`?draft=42`), or None. A malformed value gets one readable line and is dropped."""
    raw = st.query_params.get(DRAFT_PARAM)
    if raw is None or raw == "":
        return None
    value = str(raw).strip()
    if _DRAFT_ID.match(value) and 0 < int(value) <= DRAFT_ID_MAX:
        return int(value)
    shown = text.md_escape(value[:20] + ("…" if len(value) > 20 else ""))
    st.warning(f"The link's draft number “{shown}” is not a draft number — showing the queue instead.")
    del st.query_params[DRAFT_PARAM]
    return None
