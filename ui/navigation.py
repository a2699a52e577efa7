"""The dashboard's pages and the two navigations (signed out, signed in), defined once per process.

app.py runs on every click; what lives here is built once, when the module is first imported.
Nobody sees any page but the sign-in page until signed in; then only the pages the role may use.
Signed out, the sign-in page answers at every page's address (query string kept), so a link such as
`/drafts?draft=42` shows the sign-in form and, once signed in, that very page and draft.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from echo_core.permissions import Action, Actor
from ui import prefetch
from ui.auth import sidebar, sign_in_page


@dataclass(frozen=True)
class PageSpec:
    script: str
    title: str
    icon: str
    group: str
    needs: Action | None = None
    default: bool = False

    @property
    def url_path(self) -> str:
        return Path(self.script).stem  # what st.Page infers, so both navigations share the addresses


PAGES = (
    PageSpec("pages/home.py", "Home", ":material/home:", "Echo Alpha", default=True),
    PageSpec("pages/drafts.py", "Draft review", ":material/rate_review:", "Work"),
    PageSpec("pages/deals.py", "Deals", ":material/handshake:", "Work"),
    PageSpec("pages/spaces.py", "Spaces", ":material/apartment:", "Work"),
    PageSpec("pages/mail.py", "Mail", ":material/mail:", "Work", needs=Action.REVIEW_DRAFTS),
    PageSpec("pages/analytics.py", "Analytics", ":material/monitoring:", "Insight", needs=Action.VIEW_ANALYTICS),
    PageSpec("pages/accounts.py", "Accounts", ":material/group:", "Admin", needs=Action.MANAGE_ACCOUNTS),
    PageSpec("pages/monitoring.py", "Monitoring", ":material/speed:", "Admin", needs=Action.VIEW_MONITORING),
    PageSpec("pages/audit.py", "Audit trail", ":material/history:", "Admin", needs=Action.VIEW_AUDIT),
)


def signed_out_navigation() -> None:
    """The sign-in form at every address; a page's hash is its url path, so after sign-in the same
    address (and its ?draft=…) resolves to the real page."""
    pages = [st.Page(sign_in_page, title="Sign in", icon=":material/login:", url_path=spec.url_path,
                     default=spec.default) for spec in PAGES]
    st.navigation(pages, position="hidden").run()


def signed_in_navigation(actor: Actor) -> None:
    """Only the pages this role may use are even constructed (a page object is routable once made)."""
    groups: dict[str, list[st.Page]] = {}
    for spec in PAGES:
        if spec.needs is None or actor.may(spec.needs):
            groups.setdefault(spec.group, []).append(
                st.Page(spec.script, title=spec.title, icon=spec.icon, default=spec.default))
    sidebar(actor)
    st.navigation(groups).run()
    prefetch.install_once()  # (not reached when the page stops or reruns: the next run does it)
