"""`cached_read`: st.cache_data for the pages' reads, never shared across brokers' own slices.

With ECHO_BROKER_SCOPE=own the database filters a broker's reads to their own deals (echo_core.db.scope),
so a cached frame from one broker must never be served to another: a broker's reads bypass the cache
(they are one indexed query each); leads, analysts and the `team` scope share it as before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, ParamSpec, TypeVar

import streamlit as st

from echo_core.db import scope

P = ParamSpec("P")
R = TypeVar("R")


class ScopedRead(Generic[P, R]):
    def __init__(self, read: Callable[P, R], cached: Callable[P, R]) -> None:
        self._read, self._cached = read, cached
        self.__doc__, self.__name__ = read.__doc__, read.__name__

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        if scope.filters_by_owner():
            return self._read(*args, **kwargs)
        return self._cached(*args, **kwargs)

    def clear(self, *args: Any, **kwargs: Any) -> None:
        self._cached.clear(*args, **kwargs)  # type: ignore[attr-defined]


def cached_read(*, ttl: float | int, show_spinner: bool | str = False) -> Callable[[Callable[P, R]], ScopedRead[P, R]]:
    def decorate(read: Callable[P, R]) -> ScopedRead[P, R]:
        return ScopedRead(read, st.cache_data(ttl=ttl, show_spinner=show_spinner)(read))

    return decorate
