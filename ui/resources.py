"""One engine per process, built from the one settings object."""

from __future__ import annotations

import gc
import importlib
import pkgutil

import streamlit as st
from sqlalchemy import Engine

from echo_core.bootstrap import ensure_ready
from echo_core.config import reload_settings
from echo_core.db.engine import make_engine
from echo_core.errors import EchoError
from ui import text


def _load_secrets_into_environment() -> None:
    """Root-level keys of .streamlit/secrets.toml become environment variables (Streamlit does
    this when the file is loaded), so DATABASE_URL, OPENAI_API_KEY, … work from either place."""
    if st.secrets.load_if_toml_exists():
        reload_settings()


@st.cache_resource(show_spinner="Starting the database…")
def _engine() -> Engine:
    _load_secrets_into_environment()
    engine = make_engine()
    ensure_ready(engine)
    _warm_up()
    return engine


def _warm_up() -> None:
    """Once per process, at start: import what the first approve, send or refine needs (the fact check and the
    drafting pipeline compile a few hundred patterns on import: about 0.7 s the first broker would wait).

    Then the heap built so far (modules, compiled patterns) is frozen out of the garbage collector's scans: it
    lives as long as the process, and scanning it made every full collection cost 50-130 ms of a click.
    """
    import echo_core.generation.pipeline  # noqa: F401
    import ui

    for module in pkgutil.iter_modules(ui.__path__):  # what the pages import: a page's first visit after a start
        importlib.import_module(f"ui.{module.name}")  # would otherwise import it (1.7 s on Draft review)
    gc.freeze()


def get_engine() -> Engine:
    """The process engine, or a readable error and a stopped page."""
    try:
        return _engine()
    except EchoError as error:
        text.error(error)
        st.stop()
        raise  # unreachable: st.stop() raises
