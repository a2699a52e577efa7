"""Home: what is waiting now, the last 30 days in the same figures as Analytics, and the oldest waiting drafts."""

from datetime import date, timedelta

import streamlit as st

from echo_core.errors import EchoError
from echo_core.queries.review import QueueFilters
from ui import figures, flash
from ui.actor import current_actor
from ui.analytics_data import load_kpis
from ui.home_data import load_table_counts, load_waiting
from ui.resources import get_engine
from ui.review_data import load_counts
from ui.static_table import static_table
from ui.text import md_escape

engine = get_engine()
current_actor()  # signed in, or the sign-in form and nothing else
flash.show()
DAYS = 30

st.title("Echo Alpha")
st.caption("AI-drafted replies to office-space seekers, reviewed by brokers before anything is sent.")
today = date.today()
try:
    queue = load_counts(engine, QueueFilters(statuses=()))
    kpis = load_kpis(engine, today - timedelta(days=DAYS - 1), today)
    tables, waiting = load_table_counts(engine), load_waiting(engine)
except EchoError as error:
    st.error(md_escape(error))
    st.stop()

st.subheader("Now")
figures.row(figures.defined(figures.WAITING, f"{queue['pending']:,}"),
            figures.defined(figures.READY, f"{queue['approved']:,}"),
            figures.Shown("Open deals", f"{tables['open_deals']:,}", "Deals in any stage but closed."),
            figures.Shown("Spaces", f"{tables['spaces']:,}"),
            figures.Shown("Emails", f"{tables['emails']:,}"))

st.subheader(f"Last {DAYS} days", help="The same figures, with the same definitions, as on the Analytics page.")
period = f"drafts created {today - timedelta(days=DAYS - 1):%-d %b} – {today:%-d %b}"
figures.row(*(figures.defined(figure, f"{figures.volume_value(kpis, figure):,}", period=period)
              for figure in figures.VOLUME))

st.subheader("Waiting for review", anchor=False)
if len(waiting):
    # Static HTML, not a data grid: twenty rows to read, on the page every sign-in lands on (ui/static_table.py).
    static_table(waiting.assign(draft_id=waiting["draft_id"].map("#{}".format)), name="Waiting for review")
    st.page_link("pages/drafts.py", label="Open the inbox", icon=":material/rate_review:")
else:
    st.info("No drafts are waiting for review.")
