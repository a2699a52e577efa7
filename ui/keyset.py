"""Keyset paging state for a table page: the cursors of the pages before this one, in session_state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import streamlit as st

from echo_core.queries.reading import Cursor


@dataclass(frozen=True)
class KeysetPager:
    """`{prefix}_cursors` holds (created_at ISO, id) of each previous page's last row; ids and text only."""

    prefix: str

    @property
    def key(self) -> str:
        return f"{self.prefix}_cursors"

    def _cursors(self) -> list[tuple[str, int]]:
        return list(st.session_state.get(self.key, []))

    def first_page(self) -> None:
        """A filter changed: cursors of the old result set mean nothing now."""
        st.session_state[self.key] = []

    def next_page(self, cursor: Cursor) -> None:
        st.session_state[self.key] = [*self._cursors(), (cursor.created_at.isoformat(), cursor.id)]

    def previous_page(self) -> None:
        st.session_state[self.key] = self._cursors()[:-1]

    @property
    def number(self) -> int:
        """How many pages come before this one."""
        return len(self._cursors())

    @property
    def after(self) -> Cursor | None:
        cursors = self._cursors()
        if not cursors:
            return None
        created_at, row_id = cursors[-1]
        return Cursor(datetime.fromisoformat(created_at), row_id)

    def buttons(self, previous_col: Any, next_col: Any, next_cursor: Cursor | None) -> None:
        previous_col.button("Previous page", key=f"{self.prefix}_prev", on_click=self.previous_page,
                            disabled=not self.number)
        if next_cursor is not None:
            next_col.button("Next page", key=f"{self.prefix}_next", on_click=self.next_page, args=(next_cursor,))
