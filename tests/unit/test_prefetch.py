"""The sign-in page's hidden elements: one of each type the signed-in pages draw, real modules, no data."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

from ui import prefetch

ROOT = Path(__file__).resolve().parents[2]
STATIC_JS = Path(st.__file__).parent / "static" / "static" / "js"
# What a page calls -> the Streamlit module that draws it (its lazily loaded code).
MODULE_OF = {
    "metric": "Metric", "dataframe": "DataFrame", "page_link": "PageLink", "button": "Button",
    "segmented_control": "ButtonGroup", "pills": "ButtonGroup", "selectbox": "Selectbox", "toggle": "Checkbox",
    "checkbox": "Checkbox", "text_area": "TextArea", "multiselect": "Multiselect", "number_input": "NumberInput",
    "download_button": "DownloadButton", "file_uploader": "FileUploader", "date_input": "DateInput",
    "radio": "Radio", "slider": "Slider", "vega_lite_chart": "ArrowVegaLiteChart",
    "line_chart": "ArrowVegaLiteChart", "bar_chart": "ArrowVegaLiteChart", "altair_chart": "ArrowVegaLiteChart",
}


def test_every_module_is_one_file_of_the_installed_streamlit() -> None:
    # An upgrade that renames a module fails here, not silently (and slowly) in the browser.
    for element in prefetch.ELEMENTS:
        files = [p.name for p in STATIC_JS.glob(f"{element.module}.*.js") if p.name.split(".")[0] == element.module]
        assert len(files) == 1, element.module
        assert re.fullmatch(r"[A-Za-z][A-Za-z-]*\.[A-Za-z0-9_-]+\.js", files[0])


def called_streamlit_functions() -> set[str]:
    """Every `<something>.<name>(` the pages and the app layer call, by name."""
    found: set[str] = set()
    for path in [*ROOT.joinpath("pages").glob("*.py"), *ROOT.joinpath("ui").glob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                found.add(node.func.attr)
    return found


def test_every_lazily_drawn_element_type_the_pages_use_is_warmed() -> None:
    # A page that starts drawing, say, a radio gets the radio warmed too, or this fails.
    used = {MODULE_OF[name] for name in called_streamlit_functions() & MODULE_OF.keys()}
    warmed = {element.module for element in prefetch.ELEMENTS}
    assert used - warmed == set()
    assert {"Metric", "DataFrame", "TextArea", "DateInput"} <= used  # the scan sees the pages


def sign_in_page_alone() -> None:
    from ui import prefetch

    prefetch.install()


def test_the_elements_are_drawn_hidden_with_fixed_labels_and_no_values() -> None:
    at = AppTest.from_function(sign_in_page_alone).run()
    assert not at.exception
    hide = at.get("html")[0].proto.body
    assert f".st-key-{prefetch.CONTAINER_KEY}" in hide and "visibility: hidden" in hide and "<script" not in hide
    assert [m.label for m in at.metric] == [prefetch.LABEL] and at.metric[0].value == "—"
    assert [b.label for b in at.button] == [prefetch.LABEL] and at.button[0].disabled
    assert at.text_area[0].value == "" and at.date_input[0].value is None
    assert at.dataframe[0].value.to_dict("list") == {prefetch.LABEL: [""]}
    assert len({e.module for e in prefetch.ELEMENTS}) == len(prefetch.ELEMENTS)
