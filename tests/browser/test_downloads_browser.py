"""In headless Chromium: a download is built when pressed, only for a live session (a tab whose
session was signed out elsewhere gets nothing); a downloaded file's address stops answering
soon after; the page loads nothing from outside hosts (the tab icon is the project's)."""
from urllib.parse import urlparse

import pytest

from tests.browser.conftest import screenshot

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


def test_a_tab_whose_session_ended_gets_no_file(page, dashboard):
    _open_reports(page, dashboard)
    other = page.context.new_page()  # the same browser: the same session cookie
    other.goto(f"{dashboard}/")
    other.get_by_role("button", name="Sign out").click()
    other.get_by_role("heading", name="Sign in to MoU Tracker").wait_for(timeout=30000)
    # The first tab still shows the button; pressing it must not produce a file.
    downloads = []
    page.on("download", downloads.append)
    page.get_by_role("button", name=REPORT).click()
    page.wait_for_timeout(5000)
    screenshot(page, "download-refused-after-sign-out")
    assert downloads == []


def test_nothing_is_fetched_from_outside_hosts(anon_page, dashboard, demo_passwords):
    hosts = set()
    anon_page.on("request", lambda r: hosts.add(urlparse(r.url).hostname))
    from tests.browser.conftest import sign_in

    sign_in(anon_page, dashboard, "demo.viewer", demo_passwords["demo.viewer"])
    anon_page.goto(f"{dashboard}/")
    anon_page.get_by_text("Signed in as").first.wait_for(timeout=30000)
    anon_page.wait_for_timeout(2000)
    icon = anon_page.locator("link[rel*=icon]").first.get_attribute("href")
    assert icon and "gstatic" not in icon
    assert hosts == {urlparse(dashboard).hostname}
