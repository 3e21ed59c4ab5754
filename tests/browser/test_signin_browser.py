"""In headless Chromium: a signed-out visitor reaches nothing but the sign-in page, even by
typing a page's URL (also as a fresh server's very first request); the session cookie keeps
a refresh and a new tab signed in until sign-out; user text stays inert."""
import pytest

from tests.apptest.test_xss import plant
from tests.browser.conftest import running_dashboard, screenshot, sign_in

pytestmark = pytest.mark.browser

SIGN_IN = "Sign in to MoU Tracker"
URLS = ["/", "/overview", "/agreements", "/agreements?agreement=MY-CN-AI-2025", "/audit", "/users",
        "/account", "/admin_users", "/signin"]


def heading(page) -> str:
    h1 = page.locator("h1").first
    h1.wait_for(timeout=30000)
    page.wait_for_timeout(800)  # let a wrongly routed page finish drawing, if it were to
    return page.locator("h1").first.inner_text()


def assert_only_sign_in(page) -> None:
    assert heading(page) == SIGN_IN
    assert page.locator("[role=gridcell]:visible").count() == 0  # the hidden empty table: ui/signin
    assert page.get_by_text("SAMPLE DATA").count() == 0
    assert page.locator("[data-testid=stSidebarNav]").count() == 0


@pytest.fixture(scope="module")
def fresh_server(tmp_path_factory):
    with running_dashboard(tmp_path_factory.mktemp("fresh")) as server:
        yield server


def test_first_request_of_a_fresh_server_is_gated(fresh_server, anon_page):
    base, _ = fresh_server
    anon_page.goto(f"{base}/agreements?agreement=MY-CN-AI-2025")
    assert_only_sign_in(anon_page)


@pytest.mark.parametrize("path", URLS)
def test_signed_out_visitor_reaches_only_sign_in(dashboard, anon_page, path):
    anon_page.goto(f"{dashboard}{path}")
    assert_only_sign_in(anon_page)


def test_a_shared_link_opens_its_page_after_sign_in(dashboard, anon_page, demo_passwords):
    """An official opens a colleague's link while signed out: the sign-in form, with no
    "page not found" notice in the way; after signing in, the page the link named."""
    page = anon_page
    page.goto(f"{dashboard}/agreements?agreement=MY-CN-LOI-ZJU-2025")
    assert_only_sign_in(page)
    assert page.get_by_text("Page not found").count() == 0
    page.get_by_role("textbox", name="Username").fill("demo.viewer")
    page.get_by_role("textbox", name="Password").fill(demo_passwords["demo.viewer"])
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Letter of Intent between MDEC and Zhejiang University").wait_for(timeout=30000)
    assert "/agreements" in page.url


def test_wrong_password_message(dashboard, anon_page):
    anon_page.goto(f"{dashboard}/")
    anon_page.get_by_role("textbox", name="Username").fill("demo.viewer")
    anon_page.get_by_role("textbox", name="Password").fill("not the password")
    anon_page.get_by_role("button", name="Sign in").click()
    anon_page.get_by_text("Wrong username or password.").wait_for(timeout=30000)
    screenshot(anon_page, "signin-wrong-password")
    assert heading(anon_page) == SIGN_IN


def test_session_survives_refresh_and_new_tab_until_sign_out(dashboard, anon_page, demo_passwords):
    sign_in(anon_page, dashboard, "demo.secretariat", demo_passwords["demo.secretariat"])
    cookie = next(c for c in anon_page.context.cookies() if c["name"] == "mou_session")
    assert cookie["sameSite"] == "Strict" and cookie["path"] == "/" and not cookie["secure"]
    assert len(cookie["value"]) >= 40 and demo_passwords["demo.secretariat"] not in anon_page.url
    anon_page.reload()
    assert heading(anon_page) == "Overview"
    tab = anon_page.context.new_page()
    tab.goto(f"{dashboard}/audit")
    assert heading(tab) == "Audit trail"
    screenshot(tab, "audit-trail")
    tab.get_by_role("button", name="Sign out").click()
    tab.get_by_role("heading", name=SIGN_IN).wait_for(timeout=30000)
    tab.wait_for_timeout(500)
    assert not [c for c in anon_page.context.cookies() if c["name"] == "mou_session" and c["value"]]
    anon_page.goto(f"{dashboard}/overview")
    assert_only_sign_in(anon_page)


def test_replayed_cookie_after_sign_out_is_refused(dashboard, browser, anon_page, demo_passwords):
    sign_in(anon_page, dashboard, "demo.viewer", demo_passwords["demo.viewer"])
    stolen = next(c for c in anon_page.context.cookies() if c["name"] == "mou_session")
    anon_page.get_by_role("button", name="Sign out").click()
    anon_page.get_by_role("heading", name=SIGN_IN).wait_for(timeout=30000)
    other = browser.new_context()
    try:
        other.add_cookies([stolen])
        pg = other.new_page()
        pg.goto(f"{dashboard}/agreements")
        assert_only_sign_in(pg)
    finally:
        other.close()


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    with running_dashboard(tmp_path_factory.mktemp("hostile"), prepare=plant) as server:
        yield server


def test_payloads_stay_inert_in_the_browser(hostile_server, anon_page):
    base, passwords = hostile_server
    alerts = []
    anon_page.on("dialog", lambda d: (alerts.append(d.message), d.dismiss()))
    sign_in(anon_page, base, "demo.admin", passwords["demo.admin"])
    anon_page.goto(f"{base}/agreements?agreement=MY-CN-AI-2025")
    anon_page.get_by_role("heading", name="AI MoU").first.wait_for(timeout=30000)
    anon_page.get_by_text("Area <script>").first.click()  # open the expander with the item table
    anon_page.wait_for_timeout(1500)
    screenshot(anon_page, "xss-agreements")
    found = anon_page.evaluate("""() => ({
        scripts: [...document.querySelectorAll('script')].filter(s => s.textContent.includes('alert(1)')).length,
        bolds: [...document.querySelectorAll('b')].filter(b => b.textContent === 'bold').length,
        jsLinks: document.querySelectorAll('a[href^="javascript"]').length,
        text: document.body.innerText,
    })""")
    assert (found["scripts"], found["bolds"], found["jsLinks"]) == (0, 0, 0)
    assert "<script>alert(1)</script>" in found["text"] and "[click](javascript:alert(1))" in found["text"]
    assert alerts == []
