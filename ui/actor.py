"""Who is acting in the dashboard: the ONE place the signed-in Actor comes from.

Until login exists (issue 6), the sidebar's "Acting as" box names the broker; its default
comes from ECHO_DEFAULT_ACTOR (else broker@tandem.space). Issue 6 replaces this body.
"""

from __future__ import annotations

import os

import streamlit as st
from streamlit.errors import StreamlitDuplicateElementKey

from echo_core.errors import InvalidInput
from echo_core.permissions import Actor, Role

DEFAULT_ACTOR = "broker@tandem.space"
KEY = "acting_as"


def current_actor() -> Actor:
    """The actor for this run; a malformed address stops the page with a readable error."""
    if KEY not in st.session_state:
        st.session_state[KEY] = os.environ.get("ECHO_DEFAULT_ACTOR") or DEFAULT_ACTOR
    try:
        email = st.sidebar.text_input("Acting as", key=KEY, help="Your email: it is recorded on every change you make.")
    except StreamlitDuplicateElementKey:  # already drawn in this run (a page may ask more than once)
        email = str(st.session_state[KEY])
    try:
        return Actor(email.strip().lower(), Role.BROKER)
    except InvalidInput as error:
        st.sidebar.error(str(error))
        st.stop()
        raise  # unreachable: st.stop() raises
