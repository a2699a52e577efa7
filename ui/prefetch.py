"""Load Streamlit's code for the signed-in pages while the sign-in form is on screen.

Streamlit loads each element type's code the first time a tab draws one: the first page after a sign-in in a
new tab fetched and compiled about 1.7 MB of it (the table grid alone is 1.2 MB with its Arrow code), which was
300-600 ms of the sign-in click (measured: the same sign-in in a tab that had loaded them took 230-390 ms).
The sign-in page asks the browser to import those modules once it is idle, from the same URLs Streamlit's own
lazy imports use, so the browser's module map holds them when the first page needs them.

Only Streamlit's own files, by name, from the installed package: nothing of the page or the user is in the script.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

import streamlit as st

# The element types every first page after a sign-in draws (Home: metrics, a table, a page link; the sidebar:
# a button; the cookie handoff: an html element). A module name is a chunk's file name up to its hash.
MODULES = ("DataFrame", "Metric", "Button", "Html", "PageLink")
_STATIC_JS = Path(st.__file__).parent / "static" / "static" / "js"
_CHUNK = re.compile(r"[A-Za-z]+\.[A-Za-z0-9_-]+\.js")  # name.hash.js: nothing that could leave a JS string


@lru_cache(maxsize=1)
def chunk_files(modules: tuple[str, ...] = MODULES) -> tuple[str, ...]:
    """The installed Streamlit's file for each module (`DataFrame.-f9-1zS0.js`); a module it lacks is left out."""
    found: list[str] = []
    for module in modules:
        matches = sorted(p.name for p in _STATIC_JS.glob(f"{module}.*.js")
                         if _CHUNK.fullmatch(p.name) and p.name.split(".")[0] == module)
        if len(matches) == 1:
            found.append(matches[0])
    return tuple(found)


def script(files: tuple[str, ...]) -> str:
    """A script importing `files` relative to Streamlit's entry module, when the browser is idle."""
    return (
        "<script>(() => { const files = " + json.dumps(list(files)).replace("<", "\\u003c") + ";"
        " const entry = document.querySelector('script[type=\"module\"][src*=\"static/js/index.\"]');"
        " if (!entry) return;"
        " const load = () => files.forEach((f) => import(new URL(f, entry.src).href).catch(() => {}));"
        " (window.requestIdleCallback || ((fn) => setTimeout(fn, 200)))(load); })();</script>"
    )


def install() -> None:
    """Draw the (invisible) prefetch on the sign-in page."""
    files = chunk_files()
    if files:
        st.html(script(files), unsafe_allow_javascript=True, width="content")
