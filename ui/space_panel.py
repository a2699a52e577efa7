"""One opened space: its facts, then one view at a time — amenities, tour times, its deals, or the edit form."""

from __future__ import annotations

import streamlit as st
from sqlalchemy import Engine

from echo_core.errors import EchoError
from echo_core.permissions import Action, Actor
from ui import spaces_data as data
from ui import text
from ui.formatting import money, show_table
from ui.health import database_guard
from ui.space_form import space_form
from ui.widgets import dataframe_download, show_availability, show_detailed_amenities

VIEWS = ("details", "availability", "deals", "edit")
VIEW_KEY = "space_view"


@st.fragment
@database_guard()  # the database gone mid-run: the banner, not a traceback
def show_space(engine: Engine, space_id: int, actor: Actor, flags: list[str]) -> None:
    """The opened space, rerun on its own (a fragment): switching views leaves the table alone.

    Only the chosen view is drawn: a tab's body would run and be sent on every run (the edit form alone is
    seventeen widgets), looked at or not.
    """
    try:
        space = data.load_space(engine, space_id)
        deals_in = data.load_space_deals(engine, space.id)
    except EchoError as error:
        text.error(error)
        return
    st.subheader(f"Space #{space.id}")
    st.text(text.clean(f"{space.name} · {space.neighborhood or 'no neighborhood'}\n{space.address}\n"
                       f"Host: {space.host_company} <{space.host_email}>"))
    if space.host_context:
        st.text(f"Host context: {text.clean(space.host_context)}")
    cols = list(st.columns(3))
    cols[0].metric("Monthly rate", money(space.monthly_rate))
    cols[1].text("Amenities: " + (", ".join(k for k, v in space.amenities.items() if v is True) or "none"))
    can_edit = actor.may(Action.EDIT_DEALS)  # analysts: no write controls
    labels = {"details": "Amenities in detail", "availability": "Tour availability",
              "deals": f"Deals ({len(deals_in)})", "edit": "Edit"}
    views = VIEWS if can_edit else VIEWS[:-1]
    view = st.segmented_control("Show", views, default="details", required=True, key=VIEW_KEY,
                                format_func=labels.__getitem__, label_visibility="collapsed")
    if view == "availability":
        show_availability(space.availability)
    elif view == "deals":
        if deals_in.empty:
            st.info("This space is not on any deal yet.")
        else:
            show_table(deals_in, key="space_deals", money=("monthly_budget", "budget"))
            dataframe_download("Download deals (CSV)", deals_in, actor=actor, file_name=f"space-{space.id}-deals.csv",
                               key="space_deals_csv")
    elif view == "edit" and can_edit:
        space_form(engine, actor, flags, space)
    else:
        show_detailed_amenities(space.detailed_amenities)
