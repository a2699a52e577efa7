"""ui.health.database_guard: a database error in the page's run is the banner when the database is down, and the
page's own error when it is up."""

from __future__ import annotations

import pytest
from sqlalchemy import exc

from ui import health


class Rerun(Exception):
    """Stands for Streamlit's rerun, which starts the run over at the banner."""


@pytest.fixture
def probes(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Each probe the guard makes (True: a fresh one); the answer is set per test through `answer`."""
    made: list[bool] = []

    def rerun() -> None:
        raise Rerun

    def database_problem(*, fresh: bool = False) -> str | None:
        made.append(fresh)
        return answer[0]

    monkeypatch.setattr("streamlit.rerun", rerun)
    monkeypatch.setattr(health, "database_problem", database_problem)
    return made


answer: list[str | None] = [None]
LOST = exc.OperationalError("SELECT 1", {}, Exception("server closed the connection unexpectedly"))


def test_the_database_gone_mid_run_starts_the_run_over_at_the_banner(probes: list[bool]) -> None:
    answer[0] = "the database at DATABASE_URL is not reachable"
    with pytest.raises(Rerun), health.database_guard():
        raise LOST
    assert probes == [True]  # a fresh probe, not the memo that let the run start


def test_a_database_error_with_the_database_up_is_the_pages_own(probes: list[bool]) -> None:
    answer[0] = None
    with pytest.raises(exc.OperationalError), health.database_guard():
        raise LOST
    assert probes == [True]


def test_other_errors_and_a_clean_run_pass_through_without_a_probe(probes: list[bool]) -> None:
    answer[0] = "down"
    with pytest.raises(ValueError), health.database_guard():
        raise ValueError("not the database")
    with health.database_guard():
        pass
    assert probes == []
