"""Spaces: the inventory with filters, one space in full, and adding or editing spaces."""

import streamlit as st

from echo_core.errors import EchoError
from echo_core.export import table_csv_bytes
from echo_core.permissions import Action
from echo_core.queries.spaces import SpaceFilters
from ui import flash, text
from ui import spaces_data as data
from ui.actor import current_actor
from ui.keyset import KeysetPager
from ui.more_filters import RangeFilter, more_filters, summary
from ui.resources import get_engine
from ui.space_form import space_form
from ui.space_panel import show_space
from ui.widgets import clickable_table, csv_download

engine = get_engine()
actor = current_actor()

DEFAULTS: dict[str, object] = {"spaces_flags": [], "spaces_hoods": [], "spaces_search": "", "spaces_cursors": [],
                               "spaces_open": None}
for key, value in DEFAULTS.items():
    if key not in st.session_state:
        st.session_state[key] = value
if "spaces_open_next" in st.session_state:  # set by a save after the selectbox was drawn
    st.session_state.spaces_open = st.session_state.pop("spaces_open_next")
ss = st.session_state
flash.show()
pager = KeysetPager("spaces")
first_page = pager.first_page


st.title("Spaces")
try:
    hoods, flags = data.load_choices(engine)
except EchoError as error:
    text.error(error)
    st.stop()
cols = list(st.columns([2, 2, 3]))
cols[0].multiselect("Amenities", flags, key="spaces_flags", on_change=first_page)
cols[1].multiselect("Neighborhood", hoods, key="spaces_hoods", on_change=first_page, format_func=text.clean)
cols[2].text_input("Search name, address or host", key="spaces_search", on_change=first_page)
RANGES = (RangeFilter("Rate from ($/month)", "spaces_rate_min", 1000, "rate from ${:,}"),
          RangeFilter("Rate to ($/month)", "spaces_rate_max", 1000, "rate to ${:,}"))
more_filters(RANGES, key="spaces_more_filters", on_change=first_page, label="Monthly rate")

filters = SpaceFilters(flags=tuple(ss.spaces_flags), neighborhoods=tuple(ss.spaces_hoods), search=ss.spaces_search,
                       rate_min=ss.spaces_rate_min, rate_max=ss.spaces_rate_max)
try:
    page = data.load_page(engine, filters, pager.after)
    total = data.load_count(engine, filters)
except EchoError as error:
    text.error(error)
    st.stop()

ranges = summary(RANGES)
st.caption(f"{total:,} spaces match{' (' + ranges + ')' if ranges else ''} · page {pager.number + 1}, newest first")
rows = page.rows
row_ids = clickable_table(rows, key="spaces_table", page=pager.number, open_key="spaces_open",
                          money_columns=("monthly_rate",))

cols = list(st.columns([1, 1, 4]))
pager.buttons(cols[0], cols[1], page.next_cursor)
with cols[2]:
    csv_download("Download all matching spaces (CSV)",
                 lambda: table_csv_bytes(engine, "spaces", actor=actor, filters=filters),
                 file_name="spaces.csv", key="spaces_csv")

choices = [None, *row_ids] if ss.spaces_open in (None, *row_ids) else [None, ss.spaces_open, *row_ids]
names = dict(zip(row_ids, rows["name"].map(text.clean), strict=True))
st.selectbox("Open space", choices, key="spaces_open",
             format_func=lambda s: "—" if s is None else f"#{s} · {names.get(s, 'space')}")

if ss.spaces_open is not None:
    show_space(engine, int(ss.spaces_open), actor, flags)

if actor.may(Action.EDIT_DEALS):
    # Drawn only while open: a closed expander's form would still cost every run its seventeen widgets.
    add = st.expander("Add a space", key="spaces_add_open", on_change="rerun")
    if add.open:
        with add:
            space_form(engine, actor, flags)
