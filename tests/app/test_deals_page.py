"""The Deals page through AppTest: renders on the demo data, filters narrow, actions change the database."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from echo_core.db.models import Deal, DealSpace, EmailDraft
from tests.factories import make_deal, make_deal_space, make_email, make_space
from ui.text import md_escape  # messages are shown with markdown escaped

Open = Callable[..., AppTest]


def _deal_id(engine: Engine, company: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT id FROM deals WHERE company_name = :c"), {"c": company}).scalar_one())


def _table_ids(at: AppTest) -> list[int]:
    return [int(i) for i in at.dataframe[0].value["id"]]


def test_deals_page_renders_the_demo_deals_with_downloads(demo_db_url: str, open_page: Open) -> None:
    at = open_page("pages/deals.py")
    assert not at.exception and not at.error
    assert len(at.dataframe[0].value) == 9
    assert "Download all matching deals (CSV)" in [b.label for b in at.get("download_button")]
    assert not [t for t in at.text_input if t.key == "nd_company"]  # the new-deal form: drawn once opened
    at.session_state["deals_new_open"] = True
    at.run()
    assert at.text_input(key="nd_company") and not at.exception


def test_filters_narrow_the_rows(demo_db_url: str, open_page: Open, app_engine: Engine) -> None:
    at = open_page("pages/deals.py")
    at.multiselect(key="deals_stages").set_value(["closed"]).run()
    assert len(at.dataframe[0].value) == 2
    assert set(at.dataframe[0].value["stage"]) == {"closed"}
    at.multiselect(key="deals_stages").set_value([]).run()
    at.multiselect(key="deals_flags").set_value(["dogFriendly"]).run()
    with app_engine.connect() as conn:
        dog_deals = conn.execute(text("""SELECT count(*) FROM deals WHERE requirements @> '{"dogFriendly": true}'""")
                                 ).scalar_one()
    assert len(at.dataframe[0].value) == dog_deals < 9
    assert not at.number_input, "the ranges are drawn only while their box is open"
    at.session_state["deals_more_filters"] = True  # open "Budget and team size"
    at.run()
    at.number_input(key="deals_budget_min_input").set_value(16000).run()
    assert all(b >= 16000 for b in at.dataframe[0].value["budget"])
    at.session_state["deals_more_filters"] = False  # closed: the range still filters, and the caption says so
    at.run()
    assert not at.number_input and all(b >= 16000 for b in at.dataframe[0].value["budget"])
    assert any("(budget from $16,000)" in c.value for c in at.caption), [c.value for c in at.caption]
    at.multiselect(key="deals_flags").set_value([]).run()
    at.session_state["deals_more_filters"] = True
    at.run()
    assert at.number_input(key="deals_budget_min_input").value == 16000, "reopened, the box shows the kept value"
    at.number_input(key="deals_budget_min_input").set_value(None).run()
    assert not any("budget from" in c.value for c in at.caption)
    at.text_input(key="deals_search").input("ledger").run()
    assert list(at.dataframe[0].value["company"]) == ["Ledgerly"]
    at.text_input(key="deals_search").input("%' OR '1'='1").run()
    assert at.dataframe[0].value.empty and not at.exception


def test_opening_a_deal_shows_its_thread_as_plain_text_in_order(app_db_url: str, open_page: Open,
                                                                 app_engine: Engine) -> None:
    with Session(app_engine, expire_on_commit=False) as s:
        deal = make_deal(s, company_name="Orbit Labs")
        make_email(s, deal=deal, subject="First", body="**not bold** <script>alert(1)</script>")
        s.commit()
    at = open_page("pages/deals.py", state={"deals_open": deal.id})
    assert not at.exception
    texts = [t.value for t in at.text]
    assert "**not bold** <script>alert(1)</script>" in texts
    assert not any("alert(1)" in m.value for m in at.markdown)


def test_changing_the_stage_writes_it(demo_db_url: str, open_page: Open, app_engine: Engine) -> None:
    deal_id = _deal_id(app_engine, "Fern Bio")
    at = open_page("pages/deals.py", state={"deals_open": deal_id})
    at.selectbox(key=f"deal_stage_pick_{deal_id}").set_value("touring").run()
    at.button(key="deal_set_stage").click().run()
    assert not at.exception and not at.error
    with Session(app_engine, expire_on_commit=False) as s:
        assert s.get(Deal, deal_id).stage == "touring"  # type: ignore[union-attr]
    assert at.metric[2].value == "touring"  # fresh data after the action, not the cached row


def test_changing_a_deal_space_status_writes_it(demo_db_url: str, open_page: Open, app_engine: Engine) -> None:
    deal_id = _deal_id(app_engine, "BrightPath AI")
    with Session(app_engine, expire_on_commit=False) as s:
        link = s.scalars(select(DealSpace).where(DealSpace.deal_id == deal_id, DealSpace.status == "interested")
                         ).first()
        assert link is not None
    at = open_page("pages/deals.py", state={"deals_open": deal_id, "deal_view": "spaces"})
    at.selectbox(key=f"deal_space_pick_{deal_id}").set_value(link.space_id)
    at.selectbox(key=f"deal_space_status_{deal_id}").set_value("selected")
    at.button(key="deal_space_set").click().run()
    assert not at.exception and not at.error
    with Session(app_engine, expire_on_commit=False) as s:
        assert s.get(DealSpace, link.id).status == "selected"  # type: ignore[union-attr]


def test_adding_a_fitting_space_links_it_as_shown(app_db_url: str, open_page: Open, app_engine: Engine) -> None:
    with Session(app_engine, expire_on_commit=False) as s:
        deal = make_deal(s, team_size=8, monthly_budget=15000, requirements={"dogFriendly": True})
        fits = make_space(s, name="Fits Nicely", monthly_rate=12000)
        make_space(s, name="Too Dear", monthly_rate=20000)
        s.commit()
    at = open_page("pages/deals.py", state={"deals_open": deal.id})
    assert not [b for b in at.button if b.key and b.key.startswith("deal_fit_add_")]  # the thread is shown first
    assert at.segmented_control(key="deal_view").value == "thread"
    at.segmented_control(key="deal_view").set_value("fits").run()
    assert [b.key for b in at.button if b.key and b.key.startswith("deal_fit_add_")] == [f"deal_fit_add_{fits.id}"]
    assert any("Dog friendly, as required" in t.value for t in at.text)
    at.button(key=f"deal_fit_add_{fits.id}").click().run()
    assert not at.exception and not at.error
    with Session(app_engine, expire_on_commit=False) as s:
        link = s.scalars(select(DealSpace).where(DealSpace.deal_id == deal.id)).one()
    assert (link.space_id, link.status) == (fits.id, "shown")
    assert not [b for b in at.button if b.key == f"deal_fit_add_{fits.id}"]  # no longer offered


def _fill_new_deal(at: AppTest, **values: object) -> None:
    fields = {"nd_company": "Orbit Labs", "nd_seeker": "Dana Reyes", "nd_email": "dana@orbit.example.com",
              "nd_location": "Mission"} | {k: v for k, v in values.items() if k.startswith("nd_") and
                                          k not in ("nd_team", "nd_budget")}
    for key, value in fields.items():
        at.text_input(key=key).input(str(value))
    at.number_input(key="nd_team").set_value(values.get("nd_team", 12))
    at.number_input(key="nd_budget").set_value(values.get("nd_budget", 18000))
    at.checkbox(key="nd_dogFriendly").check()


def test_new_deal_form_creates_the_deal_and_opens_it(app_db_url: str, open_page: Open, app_engine: Engine) -> None:
    at = open_page("pages/deals.py", state={"deals_new_open": True})  # the "New deal" expander, opened
    _fill_new_deal(at)
    at.button(key="nd_submit").click().run()
    assert not at.exception and not at.error
    with Session(app_engine, expire_on_commit=False) as s:
        deal = s.scalars(select(Deal)).one()
    assert (deal.company_name, deal.team_size, deal.monthly_budget) == ("Orbit Labs", 12, 18000)
    assert deal.requirements == {"dogFriendly": True, "location": "Mission"}
    assert at.session_state["deals_open"] == deal.id


def test_new_deal_with_a_negative_budget_shows_an_error_and_writes_nothing(
    app_db_url: str, open_page: Open, app_engine: Engine
) -> None:
    at = open_page("pages/deals.py", state={"deals_new_open": True})
    _fill_new_deal(at, nd_budget=-500)
    at.button(key="nd_submit").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        md_escape("The monthly budget cannot be negative (got -500) — enter dollars per month.")]
    with Session(app_engine, expire_on_commit=False) as s:
        assert s.scalar(select(func.count()).select_from(Deal)) == 0


def test_draft_a_reply_writes_a_pending_draft_for_the_latest_inbound_email(
    app_db_url: str, open_page: Open, app_engine: Engine
) -> None:
    with Session(app_engine, expire_on_commit=False) as s:
        deal = make_deal(s, requirements={"dogFriendly": True})
        make_deal_space(s, deal=deal, space=make_space(s), status="touring")
        make_email(s, deal=deal, subject="Answered", sent_at=datetime.now(UTC) - timedelta(days=3))
        make_email(s, deal=deal, subject="Re: Answered", from_addr="agent@tandem.space", to_addr=deal.seeker_email,
                   sent_at=datetime.now(UTC) - timedelta(days=2))
        latest = make_email(s, deal=deal, subject="Latest")
        s.commit()
    at = open_page("pages/deals.py", state={"deals_open": deal.id})
    at.button(key="deal_draft_reply").click().run()
    assert not at.exception and not at.error
    with Session(app_engine) as s:
        draft = s.scalars(select(EmailDraft).where(EmailDraft.deal_id == deal.id)).one()
    assert (draft.inbound_email_id, draft.status) == (latest.id, "pending")
    assert at.session_state["open_draft"] == draft.id
    assert [link.label for link in at.get("page_link")] == [f"Review draft #{draft.id}"]

    at.button(key="deal_draft_reply").click().run()  # the latest email now has a live draft; the other is answered
    assert not at.exception and not at.error
    with Session(app_engine) as s:
        assert s.scalar(select(func.count()).select_from(EmailDraft).where(EmailDraft.deal_id == deal.id)) == 1


def test_keyset_paging_walks_forward_and_back(app_db_url: str, open_page: Open, app_engine: Engine) -> None:
    with Session(app_engine, expire_on_commit=False) as s:
        for i in range(57):
            make_deal(s, company_name=f"Paged {i:02d}")
        s.commit()
    at = open_page("pages/deals.py")
    first = _table_ids(at)
    assert len(first) == 50
    at.button(key="deals_next").click().run()
    second = _table_ids(at)
    assert len(second) == 7 and not set(first) & set(second)
    assert not [b for b in at.button if b.key == "deals_next"]
    at.button(key="deals_prev").click().run()
    assert _table_ids(at) == first


def test_linked_spaces_table_and_thread_offer_csv_downloads(app_db_url: str, open_page: Open,
                                                            app_engine: Engine) -> None:
    with Session(app_engine, expire_on_commit=False) as s:
        deal = make_deal(s)
        make_deal_space(s, deal=deal, space=make_space(s))
        make_email(s, deal=deal)
        s.commit()
    at = open_page("pages/deals.py", state={"deals_open": deal.id})
    assert "Download thread (CSV)" in {b.label for b in at.get("download_button")}
    at.segmented_control(key="deal_view").set_value("spaces").run()
    assert "Download spaces (CSV)" in {b.label for b in at.get("download_button")}


def test_selecting_a_table_row_opens_that_deal(demo_db_url: str, open_page: Open) -> None:
    at = open_page("pages/deals.py")
    second = int(at.dataframe[0].value["id"][1])
    at.session_state["deals_table"] = {"selection": {"rows": [1], "columns": [], "cells": []}}
    at.run()
    assert not at.exception
    assert at.session_state["deals_open"] == second
    assert at.selectbox(key="deals_open").value == second
