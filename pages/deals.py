"""Deals: filter and page through deals, open one, move it along, add a deal, draft a reply."""

import streamlit as st

from echo_core.db.models import DEAL_STAGES
from echo_core.errors import EchoError
from echo_core.export import table_csv_bytes
from echo_core.permissions import Action
from echo_core.queries.deals import FLAG_LABELS, DealFilters
from ui import commands, flash, text
from ui import deals_data as data
from ui.actor import current_actor
from ui.deal_panels import show_deal
from ui.keyset import KeysetPager
from ui.more_filters import RangeFilter, more_filters, summary
from ui.resources import get_engine
from ui.widgets import clickable_table, csv_download

engine = get_engine()
actor = current_actor()

DEFAULTS: dict[str, object] = {"deals_stages": [], "deals_flags": [], "deals_search": "", "deals_cursors": [],
                               "deals_open": None}
for key, value in DEFAULTS.items():
    if key not in st.session_state:
        st.session_state[key] = value
if "deals_open_next" in st.session_state:  # set by an action after the selectbox was drawn
    st.session_state.deals_open = st.session_state.pop("deals_open_next")
flash.show()
pager = KeysetPager("deals")
first_page = pager.first_page


st.title("Deals")
cols = list(st.columns([2, 2, 3]))
cols[0].multiselect("Stage", DEAL_STAGES, key="deals_stages", on_change=first_page)
cols[1].multiselect("Requires", list(FLAG_LABELS), key="deals_flags", on_change=first_page,
                    format_func=lambda f: FLAG_LABELS.get(f, f))
cols[2].text_input("Search company or seeker", key="deals_search", on_change=first_page)
RANGES = (RangeFilter("Budget from ($/month)", "deals_budget_min", 1000, "budget from ${:,}"),
          RangeFilter("Budget to ($/month)", "deals_budget_max", 1000, "budget to ${:,}"),
          RangeFilter("Team size from", "deals_team_min", 1, "team from {}"),
          RangeFilter("Team size to", "deals_team_max", 1, "team to {}"))
more_filters(RANGES, key="deals_more_filters", on_change=first_page, label="Budget and team size")

ss = st.session_state
filters = DealFilters(
    stages=tuple(ss.deals_stages), flags=tuple(ss.deals_flags), search=ss.deals_search,
    budget_min=ss.deals_budget_min, budget_max=ss.deals_budget_max,
    team_min=ss.deals_team_min, team_max=ss.deals_team_max,
)
try:
    page = data.load_page(engine, filters, pager.after)
    total = data.load_count(engine, filters)
except EchoError as error:
    text.error(error)
    st.stop()

ranges = summary(RANGES)
st.caption(f"{total:,} deals match{' (' + ranges + ')' if ranges else ''} · page {pager.number + 1}, newest first")
rows = page.rows
row_ids = clickable_table(rows, key="deals_table", page=pager.number, open_key="deals_open",
                          money_columns=("budget", "monthly_budget"))

cols = list(st.columns([1, 1, 4]))
pager.buttons(cols[0], cols[1], page.next_cursor)
with cols[2]:
    csv_download("Download all matching deals (CSV)", lambda: table_csv_bytes(engine, "deals", actor=actor,
                 filters=filters), file_name="deals.csv", key="deals_csv")

choices = [None, *row_ids] if ss.deals_open in (None, *row_ids) else [None, ss.deals_open, *row_ids]
names = dict(zip(row_ids, rows["company"].map(text.clean), strict=True))
st.selectbox("Open deal", choices, key="deals_open",
             format_func=lambda d: "—" if d is None else f"#{d} · {names.get(d, 'deal')}")
if ss.deals_open is not None:
    show_deal(engine, int(ss.deals_open), actor)

if not actor.may(Action.EDIT_DEALS):  # analysts: no write controls
    st.stop()
# Drawn only while open: a closed expander's form would still cost every run its widgets.
new_deal = st.expander("New deal", key="deals_new_open", on_change="rerun")
if new_deal.open:
    with new_deal, st.form("new_deal", clear_on_submit=False):
        cols = list(st.columns(3))
        company = cols[0].text_input("Company", key="nd_company")
        seeker = cols[1].text_input("Seeker name", key="nd_seeker")
        email = cols[2].text_input("Seeker email", key="nd_email")
        cols = list(st.columns(3))
        team = cols[0].number_input("Team size", value=10, step=1, key="nd_team")
        budget = cols[1].number_input("Monthly budget ($)", value=15000, step=500, key="nd_budget")
        location = cols[2].text_input("Location (e.g. Mission or SoMa)", key="nd_location")
        needs = {flag: st.checkbox(label, key=f"nd_{flag}") for flag, label in FLAG_LABELS.items()}
        if st.form_submit_button("Create deal", key="nd_submit"):
            requirements: dict[str, object] = {flag: True for flag, wanted in needs.items() if wanted}
            if location.strip():
                requirements["location"] = location.strip()
            fields = {"seeker_name": seeker, "seeker_email": email, "company_name": company,
                      "team_size": int(team), "monthly_budget": int(budget), "requirements": requirements}
            created = commands.create_deal(engine, actor=actor, fields=fields)
            if created.ok and created.value is not None:
                ss.deals_cursors, ss.deals_open_next = [], created.value.id
                st.rerun()
