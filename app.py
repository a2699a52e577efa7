"""Echo Alpha dashboard: the router. Pages only render; echo_core does the work."""

import streamlit as st

st.set_page_config(page_title="Echo Alpha", page_icon="✉️", layout="wide")

home = st.Page("pages/home.py", title="Home", icon=":material/home:", default=True)
drafts = st.Page("pages/drafts.py", title="Draft review", icon=":material/rate_review:")
analytics = st.Page("pages/analytics.py", title="Analytics", icon=":material/monitoring:")
mail = st.Page("pages/mail.py", title="Mail", icon=":material/mail:")
deals = st.Page("pages/deals.py", title="Deals", icon=":material/handshake:")
spaces = st.Page("pages/spaces.py", title="Spaces", icon=":material/apartment:")
navigation = st.navigation({"Echo Alpha": [home], "Work": [drafts, deals, spaces, mail], "Insight": [analytics]})
navigation.run()
