"""In headless Chromium: a download is built when pressed, only for a live session (a tab whose
session was signed out elsewhere gets nothing); a downloaded file's address stops answering
soon after; the page loads nothing from outside hosts (the tab icon is the project's)."""
from datetime import datetime, timezone
from urllib.parse import urlparse

import pytest
from sqlmodel import select

from core.db import make_engine, new_session
from models import User
from services.accounts.auth import revoke_session_token
from tests.browser.conftest import running_dashboard, screenshot, sign_in

pytestmark = pytest.mark.browser
REPORT = "Download the Excel report"


def _open_reports(page, base: str) -> None:
    page.goto(f"{base}/reports")
    page.get_by_role("button", name=REPORT).wait_for(timeout=30000)


def test_the_report_is_built_when_pressed_and_its_address_expires(page, dashboard):
    _open_reports(page, dashboard)
    with page.expect_download(timeout=60000) as info:
        page.get_by_role("button", name=REPORT).click()
    download = info.value
    assert download.suggested_filename.startswith("mou-status-") and download.suggested_filename.endswith("Z.xlsx")
    with open(download.path(), "rb") as f:
        assert f.read(4) == b"PK\x03\x04"
    url = download.url
    assert urlparse(url).path.startswith("/media/")
    # Two page runs later (the download's own rerun, then any click) the address is gone.
    page.wait_for_timeout(1500)
    page.reload()
    page.get_by_role("button", name=REPORT).wait_for(timeout=30000)
    page.reload()
    page.get_by_role("button", name=REPORT).wait_for(timeout=30000)
    assert page.request.get(url).status == 404


@pytest.fixture(scope="module")
def own_server(tmp_path_factory):
    """A dashboard whose database file the test can reach (to end a session from outside)."""
    folder = tmp_path_factory.mktemp("downloads")
    with running_dashboard(folder) as (base, passwords):
        yield base, passwords, make_engine(f"sqlite:///{folder / 'tracker.db'}")


@pytest.mark.parametrize("how", ["signed_out_elsewhere", "account_disabled"])
def test_a_tab_whose_session_ended_gets_no_file(anon_page, own_server, how):
    base, passwords, engine = own_server
    sign_in(anon_page, base, "demo.viewer", passwords["demo.viewer"])
    _open_reports(anon_page, base)
    token = next(c["value"] for c in anon_page.context.cookies() if c["name"] == "mou_session")
    with new_session(engine) as s:  # what a sign-out in another tab, or an administrator, does
        if how == "signed_out_elsewhere":
            revoke_session_token(session=s, token=token, now=datetime.now(timezone.utc))
        else:
            user = s.exec(select(User).where(User.username == "demo.viewer")).one()
            user.disabled = True
            s.add(user)
            s.commit()
    # The tab still shows the button; pressing it must not produce a file.
    downloads = []
    anon_page.on("download", lambda d: downloads.append(d))
    anon_page.get_by_role("button", name=REPORT).click()
    anon_page.wait_for_timeout(6000)
    screenshot(anon_page, f"download-refused-{how}")
    assert downloads == []
    if how == "account_disabled":
        with new_session(engine) as s:
            user = s.exec(select(User).where(User.username == "demo.viewer")).one()
            user.disabled = False
            s.add(user)
            s.commit()


def test_nothing_is_fetched_from_outside_hosts(anon_page, own_server):
    dashboard, passwords, _engine = own_server
    hosts = set()
    anon_page.on("request", lambda r: hosts.add(urlparse(r.url).hostname))
    sign_in(anon_page, dashboard, "demo.admin", passwords["demo.admin"])
    anon_page.goto(f"{dashboard}/")
    anon_page.get_by_text("Signed in as").first.wait_for(timeout=30000)
    anon_page.wait_for_timeout(2000)
    icon = anon_page.locator("link[rel*=icon]").first.get_attribute("href")
    assert icon and "gstatic" not in icon
    assert hosts == {urlparse(dashboard).hostname}
