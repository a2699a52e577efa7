"""The lead's Audit trail page: entries newest first, filters, a CSV with formulas neutralised; leads only."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from echo_core.permissions import Actor, Role
from echo_core.services import deals, spaces
from tests.factories import make_deal, make_space, make_user

Open = Callable[..., AppTest]


def _changes(engine: Engine) -> tuple[int, int]:
    with Session(engine) as s:
        make_user(s, email="=1+1@tandem.space", role="broker")  # a hostile address, typed by someone
        make_user(s, email="broker@tandem.space", role="broker")
        deal_id, space_id = make_deal(s).id, make_space(s, monthly_rate=9000).id
        s.commit()
        deals.set_stage(session=s, deal_id=deal_id, stage="touring", actor=Actor("broker@tandem.space"))
        spaces.update_space(session=s, space_id=space_id, actor=Actor("=1+1@tandem.space", Role.BROKER),
                            monthly_rate=9500)
    return deal_id, space_id


def test_a_lead_sees_the_changes_filters_them_and_downloads_a_safe_csv(app_db_url: str, app_engine: Engine,
                                                                       open_page: Open) -> None:
    deal_id, space_id = _changes(app_engine)
    at = open_page("pages/audit.py", role="lead")
    assert not at.exception and not at.error
    table = at.dataframe[0].value
    assert list(table["action"])[:2] == ["updated", "stage_set"]  # newest first
    assert "monthly_rate: 9000 → 9500" in list(table["change"])
    at.selectbox(key="audit_entity").set_value("deal").run()
    at.number_input(key="audit_id").set_value(deal_id).run()
    table = at.dataframe[0].value
    assert list(zip(table["actor"], table["change"], strict=True)) == [
        ("broker@tandem.space", "stage: inquiry → touring")]
    at.selectbox(key="audit_entity").set_value("space").run()
    at.number_input(key="audit_id").set_value(space_id).run()
    assert list(at.dataframe[0].value["actor"]) == ["=1+1@tandem.space"]  # shown as text
    assert not at.error


@pytest.mark.parametrize("role", ["broker", "analyst"])
def test_the_audit_page_is_not_in_a_broker_or_analyst_navigation(app_db_url: str, open_page: Open, role: str) -> None:
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        open_page("pages/audit.py", role=role)
