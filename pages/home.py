"""Home: real counts and the drafts waiting for review."""

import streamlit as st

from echo_core.errors import EchoError
from ui import text
from ui.actor import current_actor
from ui.home_data import load_status_counts, load_table_counts, load_waiting
from ui.resources import get_engine

engine = get_engine()
current_actor()  # signed in, or the sign-in form and nothing else


st.title("Echo Alpha")
st.caption("AI-drafted replies to office-space seekers, reviewed by brokers before anything is sent.")
try:
    statuses, tables, waiting = load_status_counts(engine), load_table_counts(engine), load_waiting(engine)
except EchoError as error:
    text.error(error)
    st.stop()

cols = st.columns(4)
for col, status in zip(cols, ("pending", "approved", "sent", "archived"), strict=True):
    col.metric(f"Drafts {status}", statuses[status])
cols = st.columns(3)
cols[0].metric("Open deals", tables["open_deals"])
cols[1].metric("Spaces", tables["spaces"])
cols[2].metric("Emails", tables["emails"])

st.subheader("Waiting for review")
if len(waiting):
    st.dataframe(waiting, hide_index=True, width="stretch")
else:
    st.info("No drafts are waiting for review.")
