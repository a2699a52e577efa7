"""Echo Alpha dashboard: the router. Pages only render; echo_core does the work.

This file runs on every click, so it only calls: the pages and navigations are defined once, in ui/navigation.py.
"""

from __future__ import annotations

import streamlit as st

from echo_core.logs import install_redaction
from ui.actor import resolve_for_run
from ui.health import database_banner, database_guard
from ui.navigation import signed_in_navigation, signed_out_navigation

st.set_page_config(page_title="Echo Alpha", page_icon="✉️", layout="wide")
install_redaction()
database_banner()  # while PostgreSQL is unreachable: a banner, and the run stops here; it recovers by itself

with database_guard():  # the database going away mid-run: the banner, not a traceback
    signed_in = resolve_for_run()  # read once: the page's current_actor() reuses it
    if signed_in is None:
        signed_out_navigation()
    else:
        signed_in_navigation(signed_in)
