"""Home: real counts and the drafts waiting for review."""

import streamlit as st

from echo_core.errors import EchoError
from echo_core.queries import home
from ui import text
from ui.actor import current_actor
from ui.resources import get_engine

engine = get_engine()
current_actor()  # signed in, or the sign-in form and nothing else


@st.cache_data(ttl=30)
def load_home(_engine: object) -> tuple[dict[str, int], dict[str, int], object]:
    return home.draft_status_counts(_engine), home.table_counts(_engine), home.waiting_for_review(_engine)  # type: ignore[arg-type]


st.title("Echo Alpha")
st.caption("AI-drafted replies to office-space seekers, reviewed by brokers before anything is sent.")
try:
    statuses, tables, waiting = load_home(engine)
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
if len(waiting):  # type: ignore[arg-type]
    st.dataframe(waiting, hide_index=True, width="stretch")
else:
    st.info("No drafts are waiting for review.")
