"""What the browser does in one bench run: every interaction a broker makes, timed, with a floor click after each.

Two flavours of the Draft review page are driven: "inbox" (today's: a queue of buttons, Next, search, an
archive dialog) and "v1" (tag v1-landed: a table with an "Open a draft" selectbox). An interaction the
checkout does not have is reported as n/a. Approve, send and archive change the bench data (the drafts
they act on leave the queue), so every run acts on fresh drafts.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from echo_core.bench.ui_settle import (
    DRAFT_HEADER,
    TIMEOUT_MS,
    draft_header_is_not,
    heading,
    run_over,
    settle,
    text_present,
    timed,
)

PAGE_DATA = (  # each page and the `bench run` page of its reads
    ("Draft review", "review queue: first page"), ("Deals", "deals: first page"), ("Spaces", "spaces: first page"),
    ("Mail", None), ("Analytics", "analytics: 90 days"), ("Accounts", None), ("Monitoring", None), ("Home", "home"))
PAGES = tuple(title for title, _ in PAGE_DATA)
HEADINGS = {"Home": "Echo Alpha"}
NOT_AVAILABLE = "n/a"
NEUTRAL_REPLY = "Thanks for reaching out! Happy to set up a tour — which day suits you next week?"


@dataclass(frozen=True)
class Interaction:
    name: str
    data_page: str | None  # the `bench run` page whose functions this click calls (None: writes, or no scenario)
    target_ms: float = 300.0


INTERACTIONS = (
    Interaction("sign in", None),
    *(Interaction(f"first visit: {title}", page) for title, page in PAGE_DATA),
    *(Interaction(f"page: {title}", page) for title, page in PAGE_DATA),
    Interaction("open a draft", "open a draft"),
    Interaction("next draft", "open a draft", target_ms=200.0),
    Interaction("edit and approve", None),
    Interaction("send", None),
    Interaction("archive", None),
    Interaction("filter: spaces with a second amenity", "spaces: parking + dogFriendly"),
    Interaction("search: a company's name", "search: a company's name"),
    Interaction("analytics: range to all time", "analytics: all time"),
)

Record = Callable[[str, str, float | None, str | None], None]  # (interaction, "click", "floor" or "stock", ms, error)


def idle(page: Any, timeout_s: float = 20.0) -> None:
    """Wait until the app is not running for two checks in a row (a rerun may start just after a keystroke)."""
    still = page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]')
    quiet, waited = 0, 0.0
    while quiet < 2 and waited < timeout_s:
        quiet = quiet + 1 if still.count() else 0
        page.wait_for_timeout(200)
        waited += 0.2


def _short(error: BaseException) -> str:
    first = (str(error).strip().splitlines() or [type(error).__name__])[0]
    return f"{type(error).__name__}: {first[:160]}"


def _gone(*fragments: str) -> str:
    """No element whose class contains any of these st-key fragments."""
    checks = " && ".join(f"!d.querySelector('[class*=\"st-key-{f}\"]')" for f in fragments)
    return f"(d) => {checks}"


CAPTION_WITH = ("(d, before) => {{ const t = [...d.querySelectorAll('[data-testid=\"stCaptionContainer\"]')]"
                ".map(x => x.textContent).find(t => t.includes({text!r})); return !!t && t !== before; }}")
MAIN_CHANGED = ("(d, before) => { const m = d.querySelector('[data-testid=\"stMain\"]'); "
                "return !!m && m.innerText !== before; }")


# True once no resource has been fetched for `quiet` ms (the websocket is not a resource; Playwright's "networkidle"
# is reached before Streamlit has drawn the page and started its own fetches).
NETWORK_QUIET = """(quiet) => { const n = performance.getEntriesByType('resource').length, now = performance.now();
  const w = window.__benchNet || (window.__benchNet = {n: -1, at: now});
  if (n !== w.n) { w.n = n; w.at = now; return false; } return now - w.at >= quiet; }"""
NETWORK_QUIET_MS = 500


class Run:
    """One pass over every interaction in a fresh browser context (a new tab, signed out)."""

    def __init__(self, page: Any, floor: Any, record: Record, *, url: str, flavour: str, account: tuple[str, str],
                 company: str, first_day: date, today: date, stock: Any = None,
                 pending: Callable[[], int | None] | None = None, mirror: Any = None) -> None:
        self.page, self.floor, self.record, self.stock, self.pending = page, floor, record, stock, pending
        self.mirror = mirror
        self.url, self.flavour, self.account = url, flavour, account
        self.company, self.first_day, self.today = company, first_day, today

    # --- measuring -------------------------------------------------------------------------------------------
    def measure(self, name: str, action: Callable[[], None], expect: str, before: Any = None) -> bool:
        try:
            ms = timed(self.page, action, expect, before)
        except Exception as error:  # noqa: BLE001 - a failed interaction is a result; the run goes on
            self.record(name, "click", None, _short(error))
            self.shot(name)
            return False
        self.record(name, "click", ms, None)
        self.record(name, "run", run_over(self.page), None)
        self.floor_click(name)
        return True

    def floor_click(self, name: str) -> None:
        """The same kind of click on the one-button page, in the same server process, right after (kind "floor"),
        then on stock Streamlit's one-button page (kind "stock")."""
        for kind, tab in (("floor", self.floor), ("stock", self.stock)):
            if tab is None:
                continue
            shown = tab.evaluate("() => +(document.body.innerText.match(/Clicks: (\\d+)/) || [0, -1])[1]")
            target = int(shown) + 1
            button = tab.get_by_role("button", name="Click")
            try:
                ms = timed(tab, button.click, text_present(f"Clicks: {target}"))
            except Exception as error:  # noqa: BLE001
                self.record(name, kind, None, _short(error))
                continue
            self.record(name, kind, ms, None)

    def mirror_click(self, name: str) -> None:
        """Next on stock Streamlit's fixed copy of the open draft's elements (kind "mirror"): what drawing them costs
        with nothing of the app behind them."""
        if self.mirror is None:
            return
        before = self.mirror.evaluate(f"() => ({DRAFT_HEADER})(document)")
        try:
            ms = timed(self.mirror, self.mirror.locator(".st-key-mirror_next button").click,
                       draft_header_is_not(before), before)
        except Exception as error:  # noqa: BLE001
            self.record(name, "mirror", None, _short(error))
            return
        self.record(name, "mirror", ms, None)

    def shot(self, name: str) -> None:
        """With ECHO_BENCH_UI_SHOTS=DIR: a screenshot of what the browser showed when a step failed."""
        folder = os.environ.get("ECHO_BENCH_UI_SHOTS")
        if folder:
            os.makedirs(folder, exist_ok=True)
            self.page.screenshot(path=os.path.join(folder, re.sub(r"\W+", "_", name) + ".png"), full_page=True)

    def skip(self, name: str) -> None:
        self.record(name, "click", None, NOT_AVAILABLE)

    # --- helpers ---------------------------------------------------------------------------------------------
    def nav(self, title: str) -> Any:
        return self.page.get_by_test_id("stSidebarNav").get_by_role("link", name=title, exact=True)

    def has_page(self, title: str) -> bool:
        self.page.get_by_test_id("stSidebarNav").wait_for()
        return bool(self.nav(title).count())

    def go(self, title: str) -> None:
        settle(self.page, lambda: self.nav(title).click(), heading(HEADINGS.get(title, title)))

    def open_id(self) -> str | None:
        value = self.page.evaluate(f"() => ({DRAFT_HEADER})(document)")
        return None if value is None else str(value)

    # --- the interactions ------------------------------------------------------------------------------------
    def run(self) -> None:
        steps = (self.sign_in, self.pages, self.review, self.filter_change, self.search, self.analytics_range)
        for step in steps:
            try:
                step()
            except Exception as error:  # noqa: BLE001 - a set-up step failed: the rest of the run still counts
                self.record("(set-up)", "click", None, f"{step.__name__}: {_short(error)}")
                self.shot(f"setup_{step.__name__}")
                self.recover()

    def recover(self) -> None:
        """After a failed step: the home page again (signed in by the session cookie, or else signed in anew)."""
        try:
            self.page.goto(self.url + "/")
            nav, form = self.page.get_by_test_id("stSidebarNav"), self.page.get_by_role("textbox", name="Email")
            nav.or_(form).first.wait_for()
            if not nav.count():
                form.fill(self.account[0])
                self.page.get_by_role("textbox", name="Password", exact=True).fill(self.account[1])
                self.page.get_by_role("button", name="Sign in", exact=True).click()
                nav.wait_for()
        except Exception as error:  # noqa: BLE001
            self.record("(set-up)", "click", None, f"recover: {_short(error)}")

    def sign_in(self) -> None:
        self.page.goto(self.url + "/")
        # A person takes seconds to type an address and a password: the click comes once the sign-in form is there
        # and the page has fetched what it fetches (the pages' code, ui/prefetch.py), not in the same instant.
        email = self.page.get_by_role("textbox", name="Email", exact=True)
        email.wait_for()
        self.page.wait_for_function(NETWORK_QUIET, arg=NETWORK_QUIET_MS, polling=100, timeout=TIMEOUT_MS)
        email.fill(self.account[0])
        self.page.get_by_role("textbox", name="Password", exact=True).fill(self.account[1])
        self.measure("sign in", lambda: self.page.get_by_role("button", name="Sign in", exact=True).click(),
                     "(d) => !!d.querySelector('[data-testid=\"stSidebarNav\"]') && "
                     f"({heading('Echo Alpha')})(d)")

    def pages(self) -> None:
        # The first visit of each page in a fresh tab may also load Streamlit's code for the page's element types
        # (the table grid, Vega; the sign-in page prefetches it): timed on its own, then every page again.
        for title in PAGES:
            if self.has_page(title):
                self.measure(f"first visit: {title}", self.nav(title).click, heading(HEADINGS.get(title, title)))
            else:
                self.skip(f"first visit: {title}")
        for title in PAGES:
            if not self.has_page(title):
                self.skip(f"page: {title}")
                continue
            link = self.nav(title)
            self.measure(f"page: {title}", link.click, heading(HEADINGS.get(title, title)))

    def review(self) -> None:
        self.go("Draft review")
        self.open_first()
        if self.flavour == "inbox":
            before = self.open_id()
            if self.measure("next draft", lambda: self.page.locator(".st-key-inbox_next button").click(),
                            draft_header_is_not(before), before):
                self.mirror_click("next draft")
        else:
            self.skip("next draft")
        self.approve_and_send()
        if self.flavour != "inbox":  # v1: the sent draft stays open; archive another
            self.open_first()
        self.archive()

    def open_first(self) -> None:
        before = self.open_id()
        expect = draft_header_is_not(before)
        if self.flavour == "inbox":
            self.measure("open a draft", lambda: self.page.locator(".st-key-inbox_queue button").first.click(),
                         expect, before)
            return
        box = self.page.get_by_role("combobox", name=re.compile("Open a draft"))
        box.click()
        self.page.wait_for_timeout(300)
        if not self.page.get_by_role("option").count():
            self.page.keyboard.press("ArrowDown")  # focused but closed: open the list
        option = self.page.get_by_role("option").nth(1)
        option.wait_for()
        name = "open a draft" if before is None else "(open another draft)"
        self.measure(name, lambda: option.click(), expect, before)

    def approve_and_send(self) -> None:
        for _ in range(10):  # "To review" lists approved drafts too: move on to one still pending (not timed)
            if self.page.locator('[class*="st-key-approve_"] button').count() or self.flavour != "inbox":
                break
            before = self.open_id()
            settle(self.page, lambda: self.page.locator(".st-key-inbox_next button").click(),
                   draft_header_is_not(before), before)
        pending = self.pending() if self.pending is not None else None
        if self.flavour == "inbox" and not self.page.locator('[class*="st-key-approve_"] button').count() and pending:
            # ten approved drafts in a row (earlier runs leave some): open a pending one by its link (not timed)
            self.page.goto(f"{self.url}/drafts?draft={pending}")
            self.page.locator(f'[class*="st-key-approve_{pending}_"] button').wait_for()
            idle(self.page)
        draft = self.open_id()
        box = self.page.locator('[class*="st-key-body_"] textarea').first
        box.fill(NEUTRAL_REPLY)  # the broker rewrites it: nothing for the fact check to refuse
        settle(self.page, lambda: box.press("Tab"))
        if self.flavour != "inbox":  # v1 approves the stored text: the edit is saved first (not timed)
            settle(self.page, lambda: self.page.locator(f'[class*="st-key-save_{draft}_"] button').first.click())
        override = self.page.get_by_text("Approve despite failed fact-check", exact=True)
        if override.count() and override.first.is_visible():
            settle(self.page, lambda: override.first.click())
        self.measure("edit and approve",
                     lambda: self.page.locator(f'[class*="st-key-approve_{draft}_"] button').first.click(),
                     _gone(f"approve_{draft}_"))
        self.measure("send", lambda: self.page.locator(f'[class*="st-key-send_{draft}_"] button').first.click(),
                     _gone(f"send_{draft}_"))

    def archive(self) -> None:
        draft = self.open_id()
        if self.flavour == "inbox":
            settle(self.page, lambda: self.page.locator(f'[class*="st-key-archive_open_{draft}_"] button').click(),
                   "(d) => !!d.querySelector('[role=\"dialog\"], [class*=\"st-key-archive_form_\"]')")
            form = self.page.locator('[role="dialog"], [class*="st-key-archive_form_"]').first  # a dialog before
            settle(self.page, lambda: form.locator('[role="radiogroup"] label').first.click())
        else:
            self.page.get_by_text("Archive this draft").click()  # an expander: no rerun
            self.page.locator(f'[class*="st-key-archive_{draft}_"] button').wait_for()
        self.measure("archive", lambda: self.page.locator(f'[class*="st-key-archive_{draft}_"] button').first.click(),
                     _gone(f"archive_{draft}_", f"archive_open_{draft}_"))

    def _pick(self, key: str, option: str) -> Callable[[], None]:
        field = self.page.locator(f".st-key-{key} input").first
        field.click()
        field.fill(option)
        self.page.get_by_role("option", name=option, exact=True).first.wait_for()
        return lambda: field.press("Enter")

    def filter_change(self) -> None:
        self.go("Spaces")
        settle(self.page, self._pick("spaces_flags", "parking"))
        self.page.keyboard.press("Escape")
        caption = CAPTION_WITH.format(text="spaces match")
        before = self.page.evaluate("() => ([...document.querySelectorAll('[data-testid=stCaptionContainer]')]"
                                    ".map(x => x.textContent).find(t => t.includes('spaces match')) || null)")
        self.measure("filter: spaces with a second amenity", self._pick("spaces_flags", "dogFriendly"), caption,
                     before)
        self.page.keyboard.press("Escape")  # close the options list: it would cover the sidebar's links
        self.page.locator("h1").first.click()

    def search(self) -> None:
        if self.flavour != "inbox":
            self.skip("search: a company's name")
            return
        self.go("Draft review")
        field = self.page.locator(".st-key-q_search input").first
        field.fill(self.company)
        self.measure("search: a company's name", lambda: field.press("Enter"),
                     CAPTION_WITH.format(text="newest first").replace("t !== before",
                                                                      "t.toLowerCase().includes('matches')"))

    def analytics_range(self) -> None:
        if not self.has_page("Analytics"):
            self.skip("analytics: range to all time")
            return
        self.go("Analytics")
        start = self.page.locator('.st-key-analytics_range [data-range-field="start"] [data-type="year"]').first
        start.click()  # opens the calendar; typed digits fill year, month, day; closing it commits the range
        self.page.keyboard.type(f"{self.first_day:%Y%m%d}", delay=30)
        idle(self.page)
        before = self.page.locator('[data-testid="stMain"]').inner_text()
        self.measure("analytics: range to all time", lambda: self.page.keyboard.press("Escape"), MAIN_CHANGED, before)
