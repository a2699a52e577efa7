"""Accounts (leads): who may sign in, with which role; add, change role, disable, set a password."""

import pandas as pd
import streamlit as st

from echo_core.db.engine import session_factory
from echo_core.errors import EchoError
from echo_core.permissions import Action
from echo_core.services import accounts as svc
from ui import text
from ui.actor import current_actor
from ui.resources import get_engine

engine = get_engine()
actor = current_actor()
ROLES = ["broker", "lead", "analyst"]

st.title("Accounts")
if not actor.may(Action.MANAGE_ACCOUNTS):
    st.error(f"{actor.email} is signed in as {actor.role.value} and may not manage accounts.")
    st.stop()


def run(done: str, call: object) -> None:
    """One account change; its EchoError is shown, success reruns with a toast."""
    try:
        with session_factory(engine)() as session:
            call(session)  # type: ignore[operator]
    except EchoError as error:
        text.error(error)
        return
    text.toast(done)
    st.rerun()


with session_factory(engine)() as session:
    rows = svc.list_accounts(session=session, actor=actor)
table = pd.DataFrame(
    [{"email": a.email, "role": a.role.value, "active": a.active, "password sign-in": a.has_password,
      "locked until": a.locked_until, "last sign-in": a.last_login_at} for a in rows],
    columns=["email", "role", "active", "password sign-in", "locked until", "last sign-in"],
)
st.dataframe(table, hide_index=True, width="stretch", key="accounts_table")

with st.expander("Add an account"), st.form("account_add", clear_on_submit=True):
    cols = st.columns(3)
    email = cols[0].text_input("Email", key="acc_new_email", max_chars=255)
    role = cols[1].selectbox("Role", ROLES, key="acc_new_role")
    password = cols[2].text_input("Password (empty: company sign-in only)", type="password", key="acc_new_pw")
    if st.form_submit_button("Add account", key="acc_add"):
        run(f"{email.strip().lower()} added.", lambda s: svc.create_account(
            session=s, actor=actor, email=email, role=role, password=password or None))

emails = [a.email for a in rows]
if emails:
    st.subheader("Change an account")
    picked = st.selectbox("Account", emails, key="acc_pick")
    current = next(a for a in rows if a.email == picked)
    cols = st.columns(3)
    new_role = cols[0].selectbox("Role", ROLES, index=ROLES.index(current.role.value), key="acc_role")
    if cols[0].button("Set role", key="acc_set_role", disabled=new_role == current.role.value):
        run(f"{picked} is now {new_role}.", lambda s: svc.set_role(session=s, actor=actor, email=picked,
                                                                    role=new_role))
    label = "Disable account" if current.active else "Enable account"
    if cols[1].button(label, key="acc_toggle"):
        run(f"{picked} {'disabled' if current.active else 'enabled'}.",
            lambda s: svc.set_active(session=s, actor=actor, email=picked, active=not current.active))
    with cols[2].form("acc_password", clear_on_submit=True):
        new_password = st.text_input("New password", type="password", key="acc_pw")
        if st.form_submit_button("Set password", key="acc_set_pw"):
            run(f"Password of {picked} changed.", lambda s: svc.set_password(session=s, actor=actor, email=picked,
                                                                             password=new_password))
