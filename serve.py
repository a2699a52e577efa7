"""Serve the dashboard: `streamlit run serve.py` (what `make run` does).

The app itself is `app.py`; this wraps it in Streamlit's ASGI app to add the one HTTP route a
Streamlit script cannot provide: setting and clearing the HttpOnly session cookie
(ui/session_routes.py). `streamlit run app.py` still works, but then sign-in lasts only as long
as the browser tab.
"""

from __future__ import annotations

from pathlib import Path

from streamlit.starlette import App

from ui.session_routes import routes

app = App(Path(__file__).resolve().with_name("app.py"), routes=routes())
