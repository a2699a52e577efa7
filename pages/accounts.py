"""Accounts (leads): who may sign in, with which role; add, change role, disable, set a password."""

import pandas as pd
import streamlit as st

from echo_core.db.engine import session_factory
from echo_core.errors import EchoError
from echo_core.permissions import Action, Role
from echo_core.services import accounts as svc
from ui import commands, flash, form_versions
from ui.actor import current_actor
from ui.formatting import article, show_table
from ui.resources import get_engine
from ui.text import md_escape

engine = get_engine()
actor = current_actor()
flash.show()
ROLES = [role.value for role in Role]

st.title("Accounts")
if not actor.may(Action.MANAGE_ACCOUNTS):
    st.error(md_escape(f"{actor.email} is signed in as {article(actor.role.value)} and may not manage accounts."))
    st.stop()

try:
    with session_factory(engine)() as session:
        rows = svc.list_accounts(session=session, actor=actor)
except EchoError as error:
    st.error(md_escape(error))
    st.stop()
table = pd.DataFrame(
    [{"Email": a.email, "Role": a.role.value, "Active": a.active, "Password sign-in": a.has_password,
      "Locked until": a.locked_until, "Last sign-in": a.last_login_at} for a in rows],
    columns=["Email", "Role", "Active", "Password sign-in", "Locked until", "Last sign-in"],
)
show_table(table, key="accounts_table")

# Drawn only while open: a closed expander's form would still cost every run its widgets.
add = st.expander("Add an account", key="acc_add_open", on_change="rerun")
if add.open:
    with add, st.form("account_add", clear_on_submit=True):
        cols = st.columns(3)
        email = cols[0].text_input("Email", key="acc_new_email", max_chars=255)
        role = cols[1].selectbox("Role", ROLES, key="acc_new_role")
        password = cols[2].text_input("Password (empty: company sign-in only)", type="password", key="acc_new_pw")
        if st.form_submit_button("Add account", key="acc_add") and commands.create_account(
            engine, actor=actor, email=email, role=str(role), password=password or None
        ).ok:
            st.rerun()

by_email = {a.email: a for a in rows}
if by_email:
    st.subheader("Change an account")
    # The role, enable and password controls are drawn for a picked account only.
    picked = st.selectbox("Account", list(by_email), index=None, key="acc_pick", placeholder="Pick an account")
    current = by_email.get(str(picked)) if picked is not None else None
    if current is not None:
        scope = f"account_{current.id}"
        seen = form_versions.read_version(scope, probe="acc_role", version=current.lock_version)  # what was shown
        cols = st.columns(3)
        new_role = str(cols[0].selectbox("Role", ROLES, index=ROLES.index(current.role.value), key="acc_role"))
        done = None
        if cols[0].button("Set role", key="acc_set_role", disabled=new_role == current.role.value):
            done = commands.set_role(engine, actor=actor, email=current.email, role=new_role, expect_version=seen)
        label = "Disable account" if current.active else "Enable account"
        if cols[1].button(label, key="acc_toggle"):
            done = commands.set_active(engine, actor=actor, email=current.email, active=not current.active,
                                       expect_version=seen)
        with cols[2].form("acc_password", clear_on_submit=True):
            new_password = st.text_input("New password", type="password", key="acc_pw")
            if st.form_submit_button("Set password", key="acc_set_pw"):
                done = commands.set_password(engine, actor=actor, email=current.email, password=new_password,
                                             expect_version=seen)
        if done is not None:
            form_versions.forget_version(scope)  # saved, or refused as stale: the next draw reads the account again
            if done.ok:
                st.rerun()
