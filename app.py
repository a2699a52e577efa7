"""Echo Alpha dashboard: the router. Pages only render; echo_core does the work."""

import streamlit as st

st.set_page_config(page_title="Echo Alpha", page_icon="✉️", layout="wide")

home = st.Page("pages/home.py", title="Home", icon=":material/home:", default=True)
mail = st.Page("pages/mail.py", title="Mail", icon=":material/mail:")
navigation = st.navigation({"Echo Alpha": [home, mail]})
navigation.run()
