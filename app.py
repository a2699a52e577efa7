"""Echo Alpha dashboard: the router. Pages only render; echo_core does the work.

Nobody sees any page but the sign-in page until signed in; then only the pages the role may use.
"""

import streamlit as st

from echo_core.logs import install_redaction
from echo_core.permissions import Action
from ui.auth import sidebar, sign_in_page, signed_in_actor

st.set_page_config(page_title="Echo Alpha", page_icon="✉️", layout="wide")
install_redaction()

actor = signed_in_actor()
if actor is None:
    st.navigation([st.Page(sign_in_page, title="Sign in", icon=":material/login:")]).run()
    st.stop()

home = st.Page("pages/home.py", title="Home", icon=":material/home:", default=True)
drafts = st.Page("pages/drafts.py", title="Draft review", icon=":material/rate_review:")
analytics = st.Page("pages/analytics.py", title="Analytics", icon=":material/monitoring:")
mail = st.Page("pages/mail.py", title="Mail", icon=":material/mail:")
deals = st.Page("pages/deals.py", title="Deals", icon=":material/handshake:")
spaces = st.Page("pages/spaces.py", title="Spaces", icon=":material/apartment:")
accounts = st.Page("pages/accounts.py", title="Accounts", icon=":material/group:")
work = [drafts, deals, spaces] + ([mail] if actor.may(Action.REVIEW_DRAFTS) else [])
insight = [analytics] if actor.may(Action.VIEW_ANALYTICS) else []
admin = [accounts] if actor.may(Action.MANAGE_ACCOUNTS) else []
sidebar(actor)
groups = {"Echo Alpha": [home], "Work": work, "Insight": insight, "Admin": admin}
navigation = st.navigation({name: pages for name, pages in groups.items() if pages})
navigation.run()
