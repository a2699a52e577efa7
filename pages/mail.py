"""Mail: upload inbound .eml/mbox files; the outbox with delivery states and a retry for failures."""

import streamlit as st

from echo_core.db.engine import session_factory
from echo_core.errors import EchoError
from echo_core.mail.ingest import ingest_uploads
from echo_core.mail.outbox import retry_delivery
from echo_core.queries import outbox
from ui import text
from ui.actor import current_actor
from ui.resources import get_engine

engine = get_engine()
actor = current_actor()


@st.cache_data(ttl=15)
def load_outbox(_engine: object, status: str | None) -> tuple[dict[str, int], object, list[int]]:
    return (outbox.outbox_counts(_engine), outbox.outbox_rows(_engine, status=status),  # type: ignore[arg-type]
            outbox.failed_ids(_engine))  # type: ignore[arg-type]


@st.cache_data(ttl=30)
def load_to_complete(_engine: object) -> object:
    return outbox.deals_to_complete(_engine)  # type: ignore[arg-type]


# Actions run as button callbacks, before the page renders, so the tables below already show their effect.
def ingest_clicked() -> None:
    files = st.session_state.get("mail_uploads") or []
    try:
        with session_factory(engine)() as session:
            report = ingest_uploads(session=session, uploads=[(f.name, f.getvalue()) for f in files], actor=actor)
    except EchoError as error:
        st.session_state["mail_flash"] = ("error", str(error), [])
        return
    kind = "warning" if report.failed or report.draft_errors else "success"
    st.session_state["mail_flash"] = (kind, report.summary(), report.errors + report.draft_errors)
    load_outbox.clear()
    load_to_complete.clear()


def retry_clicked() -> None:
    outbox_id = int(st.session_state["mail_retry_id"])
    try:
        with session_factory(engine)() as session:
            retry_delivery(session=session, outbox_id=outbox_id, actor=actor)
    except EchoError as error:
        st.session_state["mail_flash"] = ("error", str(error), [])
        return
    st.session_state["mail_flash"] = ("success", f"Outbox message {outbox_id} is queued again.", [])
    load_outbox.clear()


st.title("Mail")
if "mail_flash" in st.session_state:
    kind, message, details = st.session_state.pop("mail_flash")
    {"error": st.error, "warning": st.warning, "success": st.success}[kind](text.md_escape(message))
    for line in details:  # file names and reasons come from the uploads: plain text only
        st.text(line)

st.subheader("Inbound mail")
uploads = st.file_uploader("Upload .eml or mbox files", type=["eml", "mbox"], accept_multiple_files=True,
                           key="mail_uploads")
st.button("Ingest", key="mail_ingest", disabled=not uploads, on_click=ingest_clicked)

try:
    to_complete = load_to_complete(engine)
    status = st.selectbox("Outbox status", ["all", "queued", "sending", "delivered", "failed"], key="mail_status")
    counts, rows, failed_ids = load_outbox(engine, None if status == "all" else status)
except EchoError as error:
    text.error(error)
    st.stop()

if len(to_complete):  # type: ignore[arg-type]
    st.caption("New inquiries from unknown senders — complete team size, budget and company on the deal.")
    st.dataframe(to_complete, hide_index=True, width="stretch")

st.subheader("Outbox")
for col, name in zip(st.columns(4), ("queued", "sending", "delivered", "failed"), strict=True):
    col.metric(name.capitalize(), counts[name])
if len(rows):  # type: ignore[arg-type]
    st.dataframe(rows, hide_index=True, width="stretch")
else:
    st.info("Nothing in the outbox yet: sent drafts are queued here for delivery.")
if failed_ids:
    st.selectbox("Failed delivery to retry", failed_ids, key="mail_retry_id")
    st.button("Retry delivery", key="mail_retry", on_click=retry_clicked)
