"""Serve the dashboard: `streamlit run serve.py` (what `make run` does).

The app itself is `app.py`; this wraps it in Streamlit's ASGI app to add the one HTTP route a
Streamlit script cannot provide: setting and clearing the HttpOnly session cookie
(ui/session_routes.py). `streamlit run app.py` still works, but then sign-in lasts only as long
as the browser tab.
"""

from __future__ import annotations

from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.starlette import App

from ui.session_routes import routes

# app.py routes with st.navigation. Until some session has called it, Streamlit treats a `pages/`
# folder as an old-style multipage app, so the first visitor after a start whose address names a
# page (/drafts?draft=42) would get that page file run on its own, app.py's router and sidebar
# skipped. This process never serves the old mode.
PagesManager.uses_pages_directory = False

app = App(Path(__file__).resolve().with_name("app.py"), routes=routes())
