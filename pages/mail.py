"""Mail: upload inbound .eml/mbox files; the outbox with delivery states and a retry for failures."""

import streamlit as st

from echo_core.errors import EchoError
from ui import commands, figures, flash
from ui.actor import current_actor
from ui.formatting import show_table
from ui.mail_data import load_outbox, load_to_complete
from ui.resources import get_engine
from ui.text import md_escape, plain

engine = get_engine()
actor = current_actor()
flash.show()

st.title("Mail")
st.subheader("Inbound mail")
uploads = st.file_uploader("Upload .eml or mbox files", type=["eml", "mbox"], accept_multiple_files=True,
                           key="mail_uploads")
if st.button("Ingest", key="mail_ingest", disabled=not uploads):
    done = commands.ingest_mail(engine, actor=actor, uploads=[(f.name, f.getvalue()) for f in uploads or []])
    if done.value is not None:
        report = done.value
        notice = st.warning if report.failed or report.draft_errors else st.success
        notice(md_escape(report.summary()))
        for line in report.errors + report.draft_errors:  # file names and reasons come from the uploads
            plain(line)

try:
    to_complete = load_to_complete(engine)
    status = st.selectbox("Outbox status", ["all", "queued", "sending", "delivered", "failed"], key="mail_status")
    counts, rows, failed_ids = load_outbox(engine, None if status == "all" else status)
except EchoError as error:
    st.error(md_escape(error))
    st.stop()

if len(to_complete):
    st.caption("New inquiries from unknown senders — complete team size, budget and company on the deal.")
    show_table(to_complete, key="mail_to_complete", money=("monthly_budget",))

st.subheader("Outbox")
figures.row(*(figures.Shown(name.capitalize(), f"{counts[name]:,}")
              for name in ("queued", "sending", "delivered", "failed")))
if len(rows):
    show_table(rows, key="mail_outbox")
else:
    st.info("Nothing in the outbox yet: sent drafts are queued here for delivery.")
if failed_ids:
    retry_id = st.selectbox("Failed delivery to retry", failed_ids, key="mail_retry_id")
    if st.button("Retry delivery", key="mail_retry") and commands.retry_delivery(
        engine, actor=actor, outbox_id=int(retry_id)
    ).ok:
        st.rerun()
