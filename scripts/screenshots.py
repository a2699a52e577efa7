"""Save a PNG of every dashboard page into docs/screenshots/ (for the README).

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots] [--chromium /usr/bin/chromium]

Reproducible: the pictures come from a throwaway database `echo_screenshots` on the configured
server (DATABASE_URL, else the embedded one), migrated and seeded with the demo brokerage, and
dropped afterwards. The app runs with `streamlit run serve.py` on a free port; Debian's chromium
(headless, through Playwright) saves the sign-in page, signs in as the demo lead (who sees every
page), follows each sidebar link and saves the page. The review inbox is saved as a 1440×900 screen
shows it (the oldest draft opened with one click on its row), plus its version diff after a hand edit.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402
from sqlalchemy import text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402
from sqlalchemy.pool import NullPool  # noqa: E402

from echo_core.config import get_settings  # noqa: E402
from echo_core.db import migrate  # noqa: E402
from echo_core.db.engine import make_engine  # noqa: E402
from echo_core.db.server import admin_url_for, database_url, drop_database, ensure_database  # noqa: E402
from echo_core.demo.seed import seed_demo  # noqa: E402

DATABASE = "echo_screenshots"
SIGN_IN = ("lead@tandem.space", "echo-demo-lead")  # a demo account (echo_core.demo.accounts) that sees every page
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


def fresh_demo_database() -> tuple[str, str]:
    """(url, admin url) of a newly created, migrated and seeded screenshot database."""
    base = database_url(get_settings())
    admin = admin_url_for(base)
    drop_database(admin, DATABASE)
    ensure_database(admin, DATABASE)
    url = make_url(base).set(database=DATABASE).render_as_string(hide_password=False)
    engine = make_engine(url, poolclass=NullPool)
    try:
        migrate.upgrade(engine)
        with Session(engine) as session:
            seed_demo(session)
    finally:
        engine.dispose()
    return url, admin


def start_app(db_url: str) -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "DATABASE_URL": db_url, "ECHO_AUTO_MIGRATE": "false", "ECHO_SEED_DEMO": "false",
           "ECHO_PROVIDER": "offline"}
    env.pop("OPENAI_API_KEY", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "serve.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none", "--client.toolbarMode", "minimal"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"streamlit exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):  # noqa: S310 - localhost
                return process, url
        except OSError:
            time.sleep(0.3)
    process.terminate()
    raise SystemExit("streamlit did not start within 60 s")


def start_worker(db_url: str) -> tuple[subprocess.Popen[bytes], Path]:
    """The worker beside the app, delivering into and backing up to a scratch folder; waits for its first
    backup (due at once on a new database) so the Monitoring picture has heartbeats and a verified backup."""
    scratch = Path(tempfile.mkdtemp(prefix="echo-shots-"))
    env = {**os.environ, "DATABASE_URL": db_url, "ECHO_AUTO_MIGRATE": "false", "ECHO_SEED_DEMO": "false",
           "ECHO_DATA_DIR": str(scratch), "ECHO_PROVIDER": "offline"}
    worker = subprocess.Popen([sys.executable, "-m", "echo_core", "worker"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    engine = make_engine(db_url, poolclass=NullPool)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            with engine.connect() as conn:
                if conn.scalar(text("SELECT count(*) FROM backup_runs WHERE kind = 'verify'")):
                    break
            time.sleep(0.5)
    finally:
        engine.dispose()
    return worker, scratch


def settle(page: Any) -> None:
    """Wait until the app has been idle for two checks in a row."""
    idle = page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]')
    quiet, deadline = 0, time.monotonic() + 30
    while quiet < 2 and time.monotonic() < deadline:
        quiet = quiet + 1 if idle.count() else 0
        page.wait_for_timeout(300)


def open_first_draft(page: Any) -> None:
    """On the review inbox, open the oldest draft with one click on its row; wait for its reply editor."""
    page.locator('[class*="st-key-inbox_row_"] button:visible').first.click()
    page.get_by_role("heading", name=re.compile(r"^Draft #\d+ ·")).wait_for()
    settle(page)
    page.locator(".st-key-echo_reply textarea").wait_for()
    page.wait_for_timeout(1500)  # the editor and badges render just after the run


def inbox_shots(page: Any, out: Path) -> list[Path]:
    """The inbox as a 1440×900 screen shows it, then the diff of a hand edit (saved, then undone by no one:
    the screenshot database is thrown away)."""
    page.set_viewport_size({"width": 1440, "height": 900})
    open_first_draft(page)
    page.mouse.move(720, 890)  # no row tooltip over the picture
    page.wait_for_timeout(500)
    inbox = out / "draft-review.png"
    page.screenshot(path=str(inbox))
    print(f"saved {inbox.relative_to(ROOT) if inbox.is_relative_to(ROOT) else inbox}")
    box = page.locator(".st-key-echo_reply textarea")
    first, _, rest = box.input_value().partition("\n")
    box.fill(f"{first} Thanks for getting in touch!\n" + rest.replace(" per ", " a ", 1))
    page.locator('[class*="st-key-save_"] button:visible').click()
    settle(page)
    page.get_by_text("Versions & diff", exact=True).click()  # the details open when picked
    page.locator(".echo-diff").wait_for()
    page.locator(".echo-diff").scroll_into_view_if_needed()
    page.wait_for_timeout(800)
    diff = out / "draft-review-diff.png"
    page.screenshot(path=str(diff))
    print(f"saved {diff.relative_to(ROOT) if diff.is_relative_to(ROOT) else diff}")
    return [inbox, diff]


def fit_to_content(page: Any) -> None:
    """Streamlit scrolls inside its main block, so full_page sees one screen: grow the viewport instead."""
    height = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('[data-testid=stMain], [data-testid=stMainBlockContainer]')]"
        ".map(e => e.scrollHeight), 1000)"
    )
    page.set_viewport_size({"width": 1440, "height": min(int(height) + 40, 6000)})
    settle(page)
    page.wait_for_timeout(800)  # charts draw after the script run ends


def save(page: Any, path: Path) -> Path:
    fit_to_content(page)
    page.screenshot(path=str(path))
    print(f"saved {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return path


def slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def capture(url: str, out: Path, chromium: str) -> list[Path]:
    saved: list[Path] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1440, "height": 1000}, device_scale_factor=1)
        page.set_default_timeout(30_000)
        page.goto(url)
        page.get_by_role("button", name="Sign in", exact=True).wait_for()
        settle(page)
        saved.append(save(page, out / "sign-in.png"))
        email, password = SIGN_IN
        page.get_by_role("textbox", name="Email", exact=True).fill(email)
        page.get_by_role("textbox", name="Password", exact=True).fill(password)
        page.get_by_role("button", name="Sign in", exact=True).click()
        nav = page.get_by_test_id("stSidebarNav")  # from here on only the sidebar: a reload would sign out
        nav.wait_for()
        titles = [t.strip() for t in nav.get_by_role("link").all_inner_texts()]
        for title in titles:
            name = re.sub(r"^[a-z_]+\n", "", title).strip()  # drop a material icon's ligature text
            page.set_viewport_size({"width": 1440, "height": 1000})
            nav.get_by_role("link", name=name).click()
            settle(page)
            if name == "Draft review":
                saved += inbox_shots(page, out)
                continue
            saved.append(save(page, out / f"{slug(name)}.png"))
        browser.close()
    return saved


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--chromium", default=os.environ.get("ECHO_CHROMIUM", "/usr/bin/chromium"))
    args = parser.parse_args()
    if not Path(args.chromium).exists():
        print(f"error: {args.chromium} is missing — install Debian's chromium (`make system-deps`).", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    db_url, admin = fresh_demo_database()
    process, url = start_app(db_url)
    worker, scratch = start_worker(db_url)  # as `make run` does: the Monitoring page then shows it at work
    try:
        capture(url, args.out, args.chromium)
    finally:
        for child in (process, worker):
            child.terminate()
            child.wait(timeout=70)
        shutil.rmtree(scratch, ignore_errors=True)
        drop_database(admin, DATABASE)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
