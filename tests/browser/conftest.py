"""A real dashboard process on a free port with its own seeded database, and Chromium."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator, Optional

import pytest

from core.db import make_engine, new_session
from services.seeding.sample import issue_demo_passwords
from services.seeding.facts import ensure_system_user
from services.seeding.startup import prepare_database
from tests.browser.shoot import CHROMIUM, CHROMIUM_ARGS
from tests.conftest import require_or_skip

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(base: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the dashboard exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError("the dashboard did not become healthy in time")


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
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": url}
    log = open(db.with_suffix(".log"), "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, proc)
        yield base, passwords
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


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
