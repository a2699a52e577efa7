"""Load Streamlit's code for the signed-in pages while the sign-in form is on screen.

Streamlit loads each element type's code the first time a tab draws one: the first page after a sign-in in a
new tab fetched and compiled about 1.7 MB of it (the table grid alone is 1.2 MB with its Arrow code), which was
300-600 ms of the sign-in click (measured: the same sign-in in a tab that had loaded them took 230-390 ms), and
each page's first visit in the tab paid the same for its own elements (Draft review, Deals, Analytics and
Monitoring took 2-3x their later visits). The sign-in page asks the browser to import those modules once it is
idle — the first page's first, then the other pages' — from the same URLs Streamlit's own lazy imports use, so
the browser's module map holds them when a page needs them.

Only Streamlit's own files, by name, from the installed package: nothing of the page or the user is in the script.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

import streamlit as st

# A module name is a chunk's file name up to its hash. First: what every first page after a sign-in draws (Home:
# metrics, a table, a page link; the sidebar: a button; the cookie handoff: an html element).
FIRST = ("DataFrame", "Metric", "Button", "Html", "PageLink")
# Then what the other pages draw: Draft review (segmented controls, selects, toggles, the reply), Deals (multi
# selects, numbers, downloads), Mail (uploads), Analytics (the range, charts), Monitoring (emoji).
LATER = ("ButtonGroup", "Selectbox", "Checkbox", "TextArea", "Multiselect", "NumberInput", "DownloadButton",
         "FileUploader", "DateInput", "ArrowVegaLiteChart", "remark-emoji")
MODULES = FIRST + LATER
_STATIC_JS = Path(st.__file__).parent / "static" / "static" / "js"
_CHUNK = re.compile(r"[A-Za-z][A-Za-z-]*\.[A-Za-z0-9_-]+\.js")  # name.hash.js: nothing that could leave a JS string


@lru_cache(maxsize=4)
def chunk_files(modules: tuple[str, ...] = MODULES) -> tuple[str, ...]:
    """The installed Streamlit's file for each module (`DataFrame.-f9-1zS0.js`); a module it lacks is left out."""
    found: list[str] = []
    for module in modules:
        matches = sorted(p.name for p in _STATIC_JS.glob(f"{module}.*.js")
                         if _CHUNK.fullmatch(p.name) and p.name.split(".")[0] == module)
        if len(matches) == 1:
            found.append(matches[0])
    return tuple(found)


def script(first: tuple[str, ...], later: tuple[str, ...] = ()) -> str:
    """A script importing `first`, then `later`, relative to Streamlit's entry module, when the browser is idle."""
    def names(files: tuple[str, ...]) -> str:
        return json.dumps(list(files)).replace("<", "\\u003c")

    return (
        "<script>(() => { const first = " + names(first) + ", later = " + names(later) + ";"
        " const entry = document.querySelector('script[type=\"module\"][src*=\"static/js/index.\"]');"
        " if (!entry) return;"
        " const load = (files) => Promise.all(files.map((f) => import(new URL(f, entry.src).href).catch(() => {})));"
        " (window.requestIdleCallback || ((fn) => setTimeout(fn, 200)))(() => load(first).then(() => load(later)));"
        " })();</script>"
    )


def install() -> None:
    """Draw the (invisible) prefetch on the sign-in page."""
    first, later = chunk_files(FIRST), chunk_files(LATER)
    if first or later:
        st.html(script(first, later), unsafe_allow_javascript=True, width="content")
