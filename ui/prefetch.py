"""Get Streamlit's code for the signed-in pages ready while the sign-in form is on screen.

Streamlit draws each element type through a lazily loaded React component: the first time a tab draws a metric,
a table grid or a select, it fetches and compiles that type's code (the table grid alone is 1.2 MB with its Arrow
code), shows a placeholder, and draws the element a frame later. The first page after a sign-in, and each page's
first visit in the tab, paid that for every element type on it (measured: Draft review, Deals, Analytics and
Monitoring took 2-3x their later visits; importing the modules at idle cut that by a third, and the placeholders
still cost a frame each).

So the sign-in page (or, in a tab opened already signed in, its first page, in the sidebar after the page) draws
one element of every type the signed-in pages use, in a container one pixel tall, hidden from sight, pointer,
focus and screen reader (`visibility: hidden`, which unlike `display: none` or an off-screen position still lets
Streamlit lay the elements out and draw them). The placeholder and the load happen here, while the form is filled
in.
Nothing of the user or the data is in them: fixed labels, one empty value each. (Importing the modules by URL at
idle, as before, loaded the code but left each component's first draw a frame late.)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import streamlit as st

LABEL = "Preparing the dashboard"  # every warmed element's (hidden) label: tests tell them from real ones by it
CONTAINER_KEY = "prefetch_elements"
DONE_KEY = "prefetch_done"  # this tab (Streamlit session) has drawn them: a reload is a new session
_KEY = "prefetch_"


@dataclass(frozen=True)
class Element:
    """One element type the signed-in pages draw: its Streamlit code module, and how to draw one of it."""

    module: str
    draw: Callable[[], object]


ELEMENTS: tuple[Element, ...] = (
    # Home (metrics, a table, a page link) and the sidebar (a button) first: the page every sign-in lands on.
    Element("Metric", lambda: st.metric(LABEL, "—", help=LABEL, label_visibility="collapsed")),
    Element("DataFrame", lambda: st.dataframe(pd.DataFrame({LABEL: [""]}), hide_index=True, key=_KEY + "table")),
    Element("PageLink", lambda: st.page_link("https://example.invalid/", label=LABEL, disabled=True)),
    Element("Button", lambda: st.button(LABEL, key=_KEY + "button", disabled=True)),
    # Draft review, Deals, Spaces, Mail, Analytics, Accounts, Monitoring.
    Element("ButtonGroup", lambda: st.segmented_control(LABEL, ["—"], key=_KEY + "segments",
                                                        label_visibility="collapsed")),
    Element("Selectbox", lambda: st.selectbox(LABEL, ["—"], key=_KEY + "select", label_visibility="collapsed")),
    Element("Checkbox", lambda: st.toggle(LABEL, key=_KEY + "toggle", label_visibility="collapsed")),
    Element("TextArea", lambda: st.text_area(LABEL, key=_KEY + "text", label_visibility="collapsed")),
    Element("Multiselect", lambda: st.multiselect(LABEL, ["—"], key=_KEY + "multi", label_visibility="collapsed")),
    Element("NumberInput", lambda: st.number_input(LABEL, key=_KEY + "number", label_visibility="collapsed")),
    Element("DownloadButton", lambda: st.download_button(LABEL, b"", key=_KEY + "download", disabled=True)),
    Element("FileUploader", lambda: st.file_uploader(LABEL, key=_KEY + "upload", label_visibility="collapsed")),
    Element("DateInput", lambda: st.date_input(LABEL, value=None, key=_KEY + "date", label_visibility="collapsed")),
    Element("Radio", lambda: st.radio(LABEL, ["—"], key=_KEY + "radio", label_visibility="collapsed")),
    Element("Slider", lambda: st.slider(LABEL, 0, 1, key=_KEY + "slider", label_visibility="collapsed")),
    # Not an element: markdown's emoji plugin, which Streamlit loads for any text with a `:word:` in it (a time
    # such as 16:47:12 has one), and draws a frame late; and the code font, which inline code (Monitoring's
    # captions) fetches and then lays the page out again.
    Element("remark-emoji", lambda: st.caption(f"{LABEL} :hourglass: `{LABEL}`")),
)
# The container is one pixel tall from its first frame (Streamlit draws it scrolled, with its elements laid out);
# this style, whose html element loads a moment later, hides it and everything in it from sight and focus.
_HIDE = (f"<style>.st-key-{CONTAINER_KEY} {{ height: 0 !important; min-height: 0 !important; overflow: hidden "
         f"!important; pointer-events: none; }} .st-key-{CONTAINER_KEY}, .st-key-{CONTAINER_KEY} * "
         "{ visibility: hidden !important; }</style>")


def install_once() -> None:
    """In a tab that opened signed in (a reload, a link): after its first page, in the sidebar."""
    if not st.session_state.get(DONE_KEY):
        with st.sidebar:
            install()


def install() -> None:
    """Draw the hidden elements (last in the run: what the page shows is drawn first) and mark the tab as done.

    The sign-in page draws them on each of its runs (a failed attempt keeps them rather than removing them)."""
    st.session_state[DONE_KEY] = True
    st.html(_HIDE, width="content")
    with st.container(key=CONTAINER_KEY, height=1, border=False):
        for element in ELEMENTS:
            element.draw()
