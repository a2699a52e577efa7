"""Range filters (budget, team size, rate) behind a lazy "More filters" expander.

A number input is one of the dearer widgets for the browser to mount (four cost a stock page about 45 ms a visit
on this machine, measured), and most visits leave them empty. So they are drawn only while the expander is open
(`on_change="rerun"`: a closed one runs nothing), and what they filter by is kept under its own key, not the
widget's: Streamlit forgets a widget's value in a run that does not draw it, and a filter must not be dropped
because its box was closed. The page's caption names every range that is set, so a closed box hides no filter.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import streamlit as st


@dataclass(frozen=True)
class RangeFilter:
    """One number filter: its label, the session key its value lives under, its step, and how the caption names
    a value (a format string: "budget from ${:,}")."""

    label: str
    key: str
    step: int
    caption: str


def _widget_key(field: RangeFilter) -> str:
    return f"{field.key}_input"


def _keep(field: RangeFilter, on_change: Callable[[], None]) -> None:
    st.session_state[field.key] = st.session_state.get(_widget_key(field))
    on_change()


def more_filters(fields: Sequence[RangeFilter], *, key: str, on_change: Callable[[], None],
                 label: str = "More filters") -> None:
    """The expander, and inside it (only while open) one number input per field, side by side."""
    for field in fields:
        st.session_state.setdefault(field.key, None)
    box = st.expander(label, key=key, on_change="rerun", icon=":material/tune:")
    if not box.open:
        return
    with box:
        for column, field in zip(st.columns(len(fields)), fields, strict=True):
            st.session_state[_widget_key(field)] = st.session_state[field.key]  # reopened: the kept value
            column.number_input(field.label, value=None, min_value=0, step=field.step, key=_widget_key(field),
                                on_change=_keep, args=(field, on_change))


def summary(fields: Sequence[RangeFilter]) -> str:
    """The ranges that are set, for the page's caption ("" when none is)."""
    return " · ".join(field.caption.format(int(value)) for field in fields
                      if (value := st.session_state.get(field.key)) is not None)
