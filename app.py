"""Echo Alpha dashboard: the router. Pages only render; echo_core does the work.

Nobody sees any page but the sign-in page until signed in; then only the pages the role may use.
"""

import streamlit as st

from echo_core.logs import install_redaction
from echo_core.permissions import Action
from ui.auth import sidebar, sign_in_page, signed_in_actor
from ui.health import database_banner

st.set_page_config(page_title="Echo Alpha", page_icon="✉️", layout="wide")
install_redaction()
database_banner()  # while PostgreSQL is unreachable: a banner, and the run stops here; it recovers by itself

actor = signed_in_actor()
if actor is None:
    st.navigation([st.Page(sign_in_page, title="Sign in", icon=":material/login:")]).run()
    st.stop()

# Only the pages this role may use are even constructed (a page object is routable once made).
home = st.Page("pages/home.py", title="Home", icon=":material/home:", default=True)
work = [
    st.Page("pages/drafts.py", title="Draft review", icon=":material/rate_review:"),
    st.Page("pages/deals.py", title="Deals", icon=":material/handshake:"),
    st.Page("pages/spaces.py", title="Spaces", icon=":material/apartment:"),
]
if actor.may(Action.REVIEW_DRAFTS):
    work.append(st.Page("pages/mail.py", title="Mail", icon=":material/mail:"))
insight = []
if actor.may(Action.VIEW_ANALYTICS):
    insight.append(st.Page("pages/analytics.py", title="Analytics", icon=":material/monitoring:"))
admin = []
if actor.may(Action.MANAGE_ACCOUNTS):
    admin.append(st.Page("pages/accounts.py", title="Accounts", icon=":material/group:"))
if actor.may(Action.VIEW_MONITORING):
    admin.append(st.Page("pages/monitoring.py", title="Monitoring", icon=":material/speed:"))
sidebar(actor)
groups = {"Echo Alpha": [home], "Work": work, "Insight": insight, "Admin": admin}
navigation = st.navigation({name: pages for name, pages in groups.items() if pages})
navigation.run()
