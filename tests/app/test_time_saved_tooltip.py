"""The Analytics "Time saved" KPI states its assumptions in its help tooltip."""

from __future__ import annotations

from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from tests.app.conftest import shown_figures


def test_the_time_saved_kpi_explains_the_by_hand_model_and_the_measured_time(
        open_page: Callable[..., AppTest]) -> None:
    at = open_page("pages/analytics.py", role="lead")
    assert not at.exception
    kpi = shown_figures(at)["Time saved"]
    assert kpi.help is not None
    assert "words/min" in kpi.help and "ECHO_TIME_SAVED_READ_WPM" in kpi.help
    assert "first time a broker opened the draft" in kpi.help
