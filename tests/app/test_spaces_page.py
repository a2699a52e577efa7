"""The Spaces page through AppTest: inventory filters, a space in full, add and edit."""

from __future__ import annotations

import json
from collections.abc import Callable

from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from echo_core.db.models import Space
from tests.factories import make_space
from ui.text import md_escape  # messages are shown with markdown escaped

Open = Callable[..., AppTest]


def _space_id(engine: Engine, name: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT id FROM spaces WHERE name = :n"), {"n": name}).scalar_one())


def _count(engine: Engine, where: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(f"SELECT count(*) FROM spaces WHERE {where}")).scalar_one())


def test_spaces_page_renders_the_demo_inventory(demo_db_url: str, open_page: Open) -> None:
    at = open_page("pages/spaces.py")
    assert not at.exception and not at.error
    assert len(at.dataframe[0].value) == 16
    assert "Download all matching spaces (CSV)" in [b.label for b in at.get("download_button")]


def test_filters_narrow_the_inventory(demo_db_url: str, open_page: Open, app_engine: Engine) -> None:
    at = open_page("pages/spaces.py")
    at.multiselect(key="spaces_hoods").set_value(["Dogpatch"]).run()
    assert set(at.dataframe[0].value["neighborhood"]) == {"Dogpatch"}
    assert len(at.dataframe[0].value) == _count(app_engine, "neighborhood = 'Dogpatch'")
    at.multiselect(key="spaces_hoods").set_value([]).run()
    at.multiselect(key="spaces_flags").set_value(["dogFriendly", "parking"]).run()
    expected = _count(app_engine, """amenities @> '{"dogFriendly": true, "parking": true}'""")
    assert 0 < len(at.dataframe[0].value) == expected < 16
    at.multiselect(key="spaces_flags").set_value([]).run()
    at.session_state["spaces_more_filters"] = True  # open "Monthly rate"
    at.run()
    at.number_input(key="spaces_rate_max_input").set_value(10000).run()
    assert len(at.dataframe[0].value) == _count(app_engine, "monthly_rate <= 10000")
    assert all(rate <= 10000 for rate in at.dataframe[0].value["monthly_rate"])


def test_opening_a_space_shows_readable_amenities_the_availability_grid_and_its_deals(
    demo_db_url: str, open_page: Open, app_engine: Engine
) -> None:
    space_id = _space_id(app_engine, "Mission Loft")
    at = open_page("pages/spaces.py", state={"spaces_open": space_id})
    assert not at.exception and not at.error
    assert at.segmented_control(key="space_view").value == "details"  # one view at a time, amenities first
    texts = "\n".join(t.value for t in at.text)
    assert "Cost per month: $275" in texts
    assert "Dogs allowed: yes" in texts and "Size limit: under 60 lbs" in texts
    assert "Seats per room: 6, 10" in texts
    assert "Utilities: yes" in texts
    assert not any("{" in t.value for t in at.text), "no raw JSON on the page"
    at.segmented_control(key="space_view").set_value("availability").run()
    grid = next(df.value for df in at.dataframe if "2pm" in df.value.columns)
    assert list(grid.index) == ["Tuesday", "Thursday"]
    assert grid.loc["Tuesday", "2pm"] == "✓" and grid.loc["Thursday", "2pm"] == ""
    assert list(grid.columns) == ["10am", "2pm", "3pm", "4pm"]
    at.segmented_control(key="space_view").set_value("deals").run()
    deals = next(df.value for df in at.dataframe if "company" in df.value.columns)
    assert "BrightPath AI" in set(deals["company"])


def _fill_new_space(at: AppTest, **overrides: str) -> None:
    values = {"sf_new_name": "Folsom Flats", "sf_new_neighborhood": "SoMa", "sf_new_address": "900 Folsom St",
              "sf_new_host": "Folsom Hosts", "sf_new_host_email": "host@folsom.example.com",
              "sf_new_tuesday": "2pm, 4:30pm", "sf_new_details": json.dumps({"dogPolicy": {"allowed": True}})}
    values.update(overrides)
    for key, value in values.items():
        widget = at.text_area(key=key) if key == "sf_new_details" else at.text_input(key=key)
        widget.input(value)
    at.number_input(key="sf_new_rate").set_value(12500)
    at.multiselect(key="sf_new_flags").set_value(["dogFriendly"])


def test_adding_a_space_validates_and_stores_it(app_db_url: str, open_page: Open, app_engine: Engine) -> None:
    at = open_page("pages/spaces.py")
    assert not [b for b in at.button if b.key == "sf_new_submit"]  # the form is drawn once "Add a space" opens
    at.session_state["spaces_add_open"] = True
    at.run()
    _fill_new_space(at)
    at.button(key="sf_new_submit").click().run()
    assert not at.exception and not at.error
    with Session(app_engine) as s:
        space = s.scalars(select(Space)).one()
    assert (space.name, space.monthly_rate, space.neighborhood) == ("Folsom Flats", 12500, "SoMa")
    assert space.availability == {"tuesday": ["2pm", "4:30pm"]}
    assert space.amenities["dogFriendly"] is True and space.amenities["parking"] is False
    assert space.detailed_amenities == {"dogPolicy": {"allowed": True}}
    assert at.session_state["spaces_open"] == space.id


def test_wrong_json_shapes_show_one_error_and_write_nothing(app_db_url: str, open_page: Open,
                                                           app_engine: Engine) -> None:
    at = open_page("pages/spaces.py", state={"spaces_add_open": True})
    for bad, message in [
        ("{not json", "The detailed amenities are not valid JSON (line 1, column 2"),
        (json.dumps({"dogPolicy": {"deposit": 100}}), "Invalid detailed amenities: dogPolicy.allowed: Field required."),
        ("[1, 2]", "The detailed amenities must be a JSON object"),
    ]:
        _fill_new_space(at, sf_new_details=bad)
        at.button(key="sf_new_submit").click().run()
        assert not at.exception
        assert len(at.error) == 1 and at.error[0].value.startswith(md_escape(message)), at.error
    _fill_new_space(at, sf_new_tuesday="25pm")
    at.button(key="sf_new_submit").click().run()
    assert [e.value for e in at.error] == [md_escape(
        "Invalid availability: value: Value error, '25pm' on tuesday is not a time like 2pm or 10:30am.")]
    with Session(app_engine) as s:
        assert s.scalar(select(func.count()).select_from(Space)) == 0


def test_editing_a_space_saves_the_changes(app_db_url: str, open_page: Open, app_engine: Engine) -> None:
    with Session(app_engine, expire_on_commit=False) as s:
        space = make_space(s, name="Before", monthly_rate=9000)
        s.commit()
    at = open_page("pages/spaces.py", state={"spaces_open": space.id, "space_view": "edit"})
    at.text_input(key=f"sf_{space.id}_name").input("After")
    at.number_input(key=f"sf_{space.id}_rate").set_value(9900)
    at.text_input(key=f"sf_{space.id}_friday").input("9am")
    at.button(key=f"sf_{space.id}_submit").click().run()
    assert not at.exception and not at.error
    with Session(app_engine) as s:
        stored = s.get(Space, space.id)
        assert stored is not None
        assert (stored.name, stored.monthly_rate) == ("After", 9900)
        assert stored.availability["friday"] == ["9am"] and stored.availability["tuesday"] == ["2pm", "4pm"]
        assert stored.detailed_amenities == space.detailed_amenities  # the JSON area round-trips unchanged
    assert at.dataframe[0].value.loc[0, "name"] == "After"  # the inventory was refreshed, not served stale


def test_two_brokers_editing_one_space_the_second_save_is_refused_and_the_first_rate_stays(
    app_db_url: str, open_page: Open, app_engine: Engine
) -> None:
    """Issue 15, defect 2: the form carries the version it was read at."""
    with Session(app_engine, expire_on_commit=False) as s:
        space = make_space(s, name="Shared Loft", monthly_rate=9000)
        s.commit()
    first = open_page("pages/spaces.py", state={"spaces_open": space.id, "space_view": "edit"})
    second = open_page("pages/spaces.py", state={"spaces_open": space.id, "space_view": "edit"}, role="broker",
                       email="other@tandem.space")
    first.number_input(key=f"sf_{space.id}_rate").set_value(9500)
    first.button(key=f"sf_{space.id}_submit").click().run()
    assert not first.exception and not first.error
    second.number_input(key=f"sf_{space.id}_rate").set_value(8000)
    second.text_input(key=f"sf_{space.id}_name").input("Renamed")
    second.button(key=f"sf_{space.id}_submit").click().run()
    assert not second.exception
    assert [e.value for e in second.error] == [
        md_escape(f"Space {space.id} was changed by someone else — reload it and try again.")]
    assert any("Your edits are still in the form" in i.value for i in second.info)
    with Session(app_engine) as s:
        stored = s.get(Space, space.id)
        assert stored is not None and (stored.monthly_rate, stored.name) == (9500, "Shared Loft")
