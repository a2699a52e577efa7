"""Cached analytics for the Analytics and Home pages; ui/changes.py clears them after every draft action.

A minute-long TTL bounds staleness for actions taken elsewhere (CLI, other sessions):
figures reflect every action within one minute, and this session's actions at once.
The signed-in actor is part of every cache key: a broker's figures cover only their own
work (echo_core.queries.analytics enforces it), so they are never served to anyone else.
A page that already holds this run's actor passes it: each current_actor() call resolves
the browser's session in the database again (10-30 ms of a run under load).
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Engine

from echo_core.permissions import Actor, Role
from echo_core.queries import analytics
from ui.actor import current_actor
from ui.scoped_cache import cached_read

TTL_SECONDS = 60


@cached_read(ttl=TTL_SECONDS)
def _kpis(_engine: Engine, start: date, end: date, email: str, role: str) -> analytics.Kpis:
    return analytics.kpis(_engine, start=start, end=end, actor=Actor(email, Role(role)))


@cached_read(ttl=TTL_SECONDS)
def _breakdowns(_engine: Engine, start: date, end: date, email: str, role: str) -> analytics.Breakdowns:
    return analytics.breakdowns(_engine, start=start, end=end, actor=Actor(email, Role(role)))


@cached_read(ttl=TTL_SECONDS)
def _activity(_engine: Engine, start: date, end: date, email: str, role: str) -> pd.DataFrame:
    return analytics.broker_activity(_engine, start=start, end=end, actor=Actor(email, Role(role)))


def load_kpis(engine: Engine, start: date, end: date, actor: Actor | None = None) -> analytics.Kpis:
    actor = actor or current_actor()
    return _kpis(engine, start, end, actor.email, actor.role.value)


def load_breakdowns(engine: Engine, start: date, end: date, actor: Actor | None = None) -> analytics.Breakdowns:
    actor = actor or current_actor()
    return _breakdowns(engine, start, end, actor.email, actor.role.value)


def load_activity(engine: Engine, start: date, end: date, actor: Actor | None = None) -> pd.DataFrame:
    actor = actor or current_actor()
    return _activity(engine, start, end, actor.email, actor.role.value)


CACHES = (_kpis, _breakdowns, _activity)  # every cached figure: any draft action can move any of them
