"""ui.health.database_guard: a database error in the page's run is the banner when the database is down, and the
page's own error when it is up."""

from __future__ import annotations

from pathlib import Path

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


def test_as_a_decorator_it_keeps_the_functions_name_which_is_a_fragments_identity(probes: list[bool]) -> None:
    @health.database_guard()
    def panel() -> None:
        raise LOST

    assert panel.__name__ == "panel" and panel.__module__ == __name__ and "panel" in panel.__qualname__
    answer[0] = "down"
    for _ in range(2):  # a fresh guard each call
        with pytest.raises(Rerun):
            panel()
    assert probes == [True, True]


def test_every_fragment_that_touches_the_database_is_guarded() -> None:
    """A fragment's rerun skips app.py (and its guard): each fragment carries its own, but the banner's probes."""
    root = Path(__file__).resolve().parents[2]
    unguarded = []
    for path in sorted([*root.glob("ui/*.py"), *root.glob("pages/*.py")]):
        if path.name == "health.py":
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines):
            if line.strip().startswith("@st.fragment") and not lines[number + 1].strip().startswith("@database_guard"):
                unguarded.append(f"{path.name}:{number + 1}")
    assert not unguarded, unguarded


def test_a_probe_that_found_the_database_up_is_trusted_longer_than_one_that_did_not(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each run asks `database_problem()`; a round trip on every click bought nothing while the database is up."""
    clock, answers, made = [1000.0], ["down", None], [0]

    def probe(configured: str) -> str | None:
        made[0] += 1
        return answers[0]

    monkeypatch.setattr(health, "_probe", probe)
    monkeypatch.setattr(health, "_configured", lambda: "memo-test")
    monkeypatch.setattr(health.time, "monotonic", lambda: clock[0])
    health._memo.pop("memo-test", None)
    assert health.database_problem() == "down" and made[0] == 1
    clock[0] += health.DOWN_MEMO_SECONDS / 2
    assert health.database_problem() == "down" and made[0] == 1  # memoised
    clock[0] += health.DOWN_MEMO_SECONDS
    answers[0] = None
    assert health.database_problem() is None and made[0] == 2  # probed again soon: it is back
    clock[0] += health.UP_MEMO_SECONDS - 0.5
    assert health.database_problem() is None and made[0] == 2  # up: trusted for longer
    assert health.database_problem(fresh=True) is None and made[0] == 3  # the guard's fresh probe still probes
    clock[0] += health.UP_MEMO_SECONDS
    assert health.database_problem() is None and made[0] == 4
    assert health.UP_MEMO_SECONDS > health.DOWN_MEMO_SECONDS
    health._memo.pop("memo-test", None)
