"""Revision 0021 on a database that already holds drafts: the months it fills equal the days summed, its
downgrade leaves days and weeks only, and after it the triggers write a month with every day."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from echo_core.db import migrate
from echo_core.db.engine import make_engine
from tests import dbutil
from tests.factories import make_deal, make_draft, make_email

TABLES = ("analytics_draft_rollup", "analytics_duration_rollup", "analytics_activity_rollup",
          "analytics_time_saved_rollup")
SUMS = {"analytics_draft_rollup": "drafts", "analytics_duration_rollup": "drafts",
        "analytics_activity_rollup": "actions", "analytics_time_saved_rollup": "emails"}
SAVED = {"traditional": 9, "withAI": 2}


@pytest.fixture
def engine(server_url: str) -> Iterator[Engine]:
    name = dbutil.unique_name("echo_test_0021")
    engine = make_engine(dbutil.create_database(server_url, name), poolclass=NullPool)
    try:
        migrate.upgrade(engine)
        yield engine
    finally:
        engine.dispose()
        dbutil.drop_database(server_url, name)


def _drafts(engine: Engine, first: datetime, days: int) -> None:
    with Session(engine) as s:
        deal = make_deal(s)
        for n in range(days):
            created = first + timedelta(days=n, hours=n % 5)
            draft = make_draft(s, deal=deal, created_at=created, reviewed_at=created + timedelta(minutes=n + 1),
                               confidence_score=n)
            s.execute(text("INSERT INTO draft_events (draft_id, actor, action, created_at) "
                           "VALUES (:d, 'ana@tandem.space', 'approve', :at)"), {"d": draft.id, "at": draft.created_at})
            make_email(s, deal=deal, sent_at=draft.created_at, ai_metadata={"timeSaved": SAVED})
        s.commit()


def _months_and_days(engine: Engine) -> dict[str, tuple[list[tuple[object, ...]], list[tuple[object, ...]]]]:
    out = {}
    with engine.connect() as conn:
        for table in TABLES:
            per = [conn.execute(text(f"SELECT date_trunc('month', period)::date AS m, sum({SUMS[table]}) FROM {table} "
                                     f"WHERE grain = :g GROUP BY 1 ORDER BY 1"), {"g": g}).all() for g in ("m", "d")]
            out[table] = ([tuple(r) for r in per[0]], [tuple(r) for r in per[1]])
    return out


def test_the_upgrade_fills_each_month_from_its_days_and_the_downgrade_takes_them_away(engine: Engine) -> None:
    _drafts(engine, datetime(2003, 1, 20, 9, tzinfo=UTC), 50)
    migrate.downgrade(engine, "0020")
    with engine.connect() as conn:
        assert all(conn.scalar(text(f"SELECT count(*) FROM {t} WHERE grain = 'm'")) == 0 for t in TABLES)
        with pytest.raises(Exception, match="grain_valid"):
            conn.execute(text("INSERT INTO analytics_activity_rollup (grain, period, actor, action, actions) "
                              "VALUES ('m', '2003-01-01', 'x', 'approve', 1)"))
    _drafts(engine, datetime(2003, 3, 30, 9, tzinfo=UTC), 5)  # written by 0020's triggers: days and weeks only
    migrate.upgrade(engine)
    filled = _months_and_days(engine)
    assert filled["analytics_draft_rollup"][0][0][1] == 2 * 12  # January 20-31, for the team and for ana
    for table, (months, days) in filled.items():
        assert months == days and months, table
    _drafts(engine, datetime(2003, 4, 29, 9, tzinfo=UTC), 4)  # written by 0021's triggers, across a month's end
    assert all(months == days for months, days in _months_and_days(engine).values())
    with engine.begin() as conn:  # and a rebuild agrees with what was filled and written
        before = _months_and_days(engine)
        conn.execute(text("SELECT analytics_rollup_rebuild()"))
    assert _months_and_days(engine) == before
