"""Who is signed in: OIDC (`st.login`) when `[auth]` is in secrets.toml, else built-in accounts.

st.session_state keeps only the signed-in account's id (built-in) — OIDC keeps its identity
in Streamlit's own cookie. Either way the role and the active flag are read from the
database on every run, so a disabled account is locked out on its next click.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from echo_core.config import get_settings
from echo_core.db.engine import session_factory
from echo_core.errors import EchoError, InvalidInput, NoActiveAccount
from echo_core.permissions import Actor
from echo_core.services import accounts
from ui import text
from ui.resources import get_engine

USER_KEY = "user_id"


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


def signed_in_actor(engine: Engine | None = None) -> Actor | None:
    """The Actor of the signed-in, active account; None if nobody is signed in.

    An OIDC identity without an active account stops the run on a page saying whom to ask.
    """
    engine = engine or get_engine()
    if oidc_configured():
        email = _oidc_email()
        if email is None:
            return None
        try:
            with session_factory(engine)() as session:
                return accounts.active_actor(session, email)
        except (NoActiveAccount, InvalidInput):
            _no_account_page(email)
            return None  # unreachable: the page stops the run
    user_id = st.session_state.get(USER_KEY)
    if user_id is None:
        return None
    with session_factory(engine)() as session:
        actor = accounts.actor_for_user(session, int(user_id))
    if actor is None:  # disabled (or removed) since sign-in: out at once
        st.session_state.pop(USER_KEY, None)
        st.session_state["auth_flash"] = "Your account has been disabled — ask a lead if that is a mistake."
    return actor


def _no_account_page(email: str) -> None:
    st.title("No account yet")
    text.error(f"{email[:255] or 'This sign-in'} has no active Echo Alpha account — ask a lead to add your account.")
    if st.button("Sign out", key="auth_sign_out_unknown"):
        st.logout()
    st.stop()


def sign_in_page() -> None:
    """The only page before sign-in: no data at all, just the form (or the OIDC button)."""
    st.title("Sign in to Echo Alpha")
    if "auth_flash" in st.session_state:
        st.warning(st.session_state.pop("auth_flash"))
    if oidc_configured():
        if st.button("Sign in with your company account", key="auth_oidc", type="primary"):
            st.login()
        return
    with st.form("sign_in", clear_on_submit=True):
        email = st.text_input("Email", key="auth_email", max_chars=255)
        password = st.text_input("Password", type="password", key="auth_password", max_chars=1024)
        submitted = st.form_submit_button("Sign in", key="auth_submit", type="primary")
    if submitted:
        try:
            with session_factory(get_engine())() as session:
                account = accounts.authenticate(session=session, email=email, password=password)
        except EchoError as error:
            text.error(error)
        else:
            st.session_state[USER_KEY] = account.id
            st.rerun()
    if get_settings().should_seed_demo:
        _demo_accounts()


def _demo_accounts() -> None:
    from echo_core.demo.accounts import DEMO_ACCOUNTS

    st.info("Demo mode: these demo accounts exist (one per role). Turn demo mode off with ECHO_SEED_DEMO=false "
            "and disable them with `python -m echo_core users disable EMAIL` before real use.")
    st.dataframe(pd.DataFrame(DEMO_ACCOUNTS, columns=["email", "role", "password"]), hide_index=True,
                 key="auth_demo_accounts")


def _forget_user() -> None:
    st.session_state.pop(USER_KEY, None)


def sidebar(actor: Actor) -> None:
    """Who is signed in, and the sign-out button (its callback runs before the next run starts)."""
    st.sidebar.caption("Signed in as")
    st.sidebar.text(f"{actor.email}\n{actor.role.value}")
    clicked = st.sidebar.button("Sign out", key="auth_sign_out", icon=":material/logout:", on_click=_forget_user)
    if clicked and oidc_configured():
        st.logout()  # clears Streamlit's identity cookie and reruns
    if clicked:
        st.rerun()
