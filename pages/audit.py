"""Audit (leads): who changed which deal, space, deal link, account or outbox row, and deal ownership."""

import streamlit as st

from echo_core.db.models_audit import AUDIT_ENTITIES
from echo_core.errors import EchoError
from echo_core.export import audit_csv_bytes
from echo_core.permissions import Action
from echo_core.queries.audit import LIMIT_MAX, AuditFilters, actors, entries_frame
from ui import flash, text
from ui.actor import current_actor
from ui.formatting import article, show_table
from ui.resources import get_engine
from ui.widgets import csv_download

engine = get_engine()
actor = current_actor()
flash.show()

st.title("Audit trail")
if not actor.may(Action.VIEW_AUDIT):
    text.error(f"{actor.email} is signed in as {article(actor.role.value)} and may not view the audit trail.")
    st.stop()
st.caption("Every change to deals, spaces, deal links, accounts and outbox retries, newest first — with who made "
           "it and each changed field before → after. Draft actions are in each draft's history.")

try:
    people = actors(engine, actor=actor)
except EchoError as error:
    text.error(error)
    st.stop()
cols = list(st.columns([2, 1, 3, 1]))
entity = cols[0].selectbox("Record", ["all", *AUDIT_ENTITIES], key="audit_entity",
                           format_func=lambda e: "all records" if e == "all" else e.replace("_", " "))
record_id = cols[1].number_input("Id", min_value=1, step=1, value=None, key="audit_id",
                                 help="Only the record with this number (pick the kind of record too).")
who = cols[2].selectbox("Who", ["anyone", *people], key="audit_actor")
limit = cols[3].number_input("Show at most", min_value=1, max_value=LIMIT_MAX, value=200, step=50, key="audit_limit")

try:
    filters = AuditFilters(entity=None if entity == "all" else str(entity),
                           entity_id=None if record_id is None else int(record_id),
                           actor=None if who == "anyone" else str(who), limit=int(limit))
    frame = entries_frame(engine, actor=actor, filters=filters)
except EchoError as error:
    text.error(error)
    st.stop()

st.caption(f"{len(frame)} entries shown")
if frame.empty:
    st.info("No changes match — widen the filters.")
else:
    show_table(frame, key="audit_table")
    csv_download("Download these entries (CSV)", lambda: audit_csv_bytes(engine, actor=actor, filters=filters),
                 file_name="audit.csv", key="audit_csv")
