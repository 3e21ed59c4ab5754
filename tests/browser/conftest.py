"""A real dashboard process on a free port with its own seeded database, and Chromium."""
from __future__ import annotations

import os
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator, Optional

import pytest

from bench.live import CHROMIUM, CHROMIUM_ARGS, NGINX, ROOT, free_port, start_dashboard, stop, wait_healthy
from core.db import make_engine, new_session
from services.seeding.sample import issue_demo_passwords
from services.seeding.facts import ensure_system_user
from services.seeding.startup import prepare_database
from tests.conftest import require_or_skip


@contextmanager
def running_dashboard(folder: Path, prepare: Optional[Callable] = None) -> Iterator[tuple[str, dict[str, str]]]:
    """A dashboard process on its own database (facts, sample data, `prepare(engine)` if
    given); yields its base URL and the demo accounts' passwords."""
    db = folder / "tracker.db"
    url = f"sqlite:///{db}"
    engine = make_engine(url)
    prepare_database(engine, sample=True)
    with new_session(engine) as s:
        passwords = issue_demo_passwords(session=s, actor=ensure_system_user(session=s),
                                         now=datetime.now(timezone.utc))
    if prepare:
        prepare(engine)
    engine.dispose()
    port = free_port()
    proc = start_dashboard(port, {**os.environ, "DATABASE_URL": url}, db.with_suffix(".log"))
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, proc)
        yield base, passwords
    finally:
        stop(proc)


def require_deployment() -> str:
    """The PostgreSQL server (TEST_DATABASE_URL) on which the proxy tests deploy two processes
    behind nginx; a visible skip on a laptop lacking nginx or one, a failure in CI."""
    if not Path(NGINX).exists():
        require_or_skip("nginx not found: install Debian's nginx to run the proxy test")
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        require_or_skip("TEST_DATABASE_URL is not set: the two-process test needs PostgreSQL")
    return url


@pytest.fixture(scope="session")
def _dashboard(tmp_path_factory):
    with running_dashboard(tmp_path_factory.mktemp("browser")) as server:
        yield server


@pytest.fixture(scope="session")
def dashboard(_dashboard) -> str:
    """Base URL of a running dashboard with facts and sample data."""
    return _dashboard[0]


@pytest.fixture(scope="session")
def demo_passwords(_dashboard) -> dict[str, str]:
    """Passwords of demo.viewer, demo.focal, demo.secretariat and demo.admin on `dashboard`."""
    return _dashboard[1]


def sign_in(page, base: str, username: str, password: str) -> None:
    """Sign in through the form, as a person would."""
    page.goto(f"{base}/")
    page.get_by_role("textbox", name="Username").fill(username)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("Signed in as").first.wait_for(timeout=90000)  # generous: CI machines are busy
    # The cookie is written by a script at the end of the run: wait for it before navigating.
    for _ in range(300):
        if any(c["name"] == "mou_session" and c["value"] for c in page.context.cookies()):
            return
        page.wait_for_timeout(100)
    raise AssertionError("the session cookie was not set after signing in")


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        require_or_skip(f"{CHROMIUM} not found: install Debian's chromium to run the browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def anon_page(browser):
    """A fresh browser (own cookies), signed out."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture
def page(anon_page, dashboard, demo_passwords):
    """A fresh browser signed in to `dashboard` as demo.viewer (the cookie carries the session
    to every URL the test opens). Sign in as someone else with page_as."""
    sign_in(anon_page, dashboard, "demo.viewer", demo_passwords["demo.viewer"])
    return anon_page


@pytest.fixture
def page_as(anon_page, dashboard, demo_passwords):
    """page_as("demo.secretariat") -> a page signed in as that demo account."""
    def _as(username: str):
        sign_in(anon_page, dashboard, username, demo_passwords[username])
        return anon_page
    return _as


SHOTS = ROOT / "screenshots"


def screenshot(page, name: str, *, height: int | None = None) -> Path:
    """Streamlit scrolls inside its own container, so a whole page needs a taller viewport."""
    SHOTS.mkdir(exist_ok=True)
    path = SHOTS / f"{name}.png"
    if height:
        page.set_viewport_size({"width": page.viewport_size["width"], "height": height})
        page.wait_for_timeout(1500)
    page.screenshot(path=str(path))
    return path
