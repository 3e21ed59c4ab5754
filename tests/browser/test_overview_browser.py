"""In headless Chromium: the Overview with its charts, and the agreement page from a link."""
import re
import pytest

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

CODES = ["MY-CN-DE-2025", "MY-CN-AI-2025", "MY-CN-LOI-ZJU-2025"]


def test_overview_lists_the_three_agreements(dashboard, page):
    page.goto(f"{dashboard}/overview")
    page.get_by_role("heading", name="Overview").wait_for(timeout=30000)
    cells = page.locator("[role=gridcell]")
    cells.first.wait_for(state="attached", timeout=30000)
    page.get_by_text("MY-CN-LOI-ZJU-2025").first.wait_for(state="attached", timeout=30000)
    found = {c for c in cells.all_inner_texts() if c in CODES}
    assert found == set(CODES)
    assert page.get_by_text("SAMPLE DATA").first.is_visible()


def test_overview_draws_six_charts_with_a_png_button(dashboard, page):
    page.goto(f"{dashboard}/")
    plots = page.locator(".js-plotly-plot")
    plots.nth(5).wait_for(timeout=30000)
    assert plots.count() == 6
    page.get_by_text("Timeline of action items").first.wait_for(timeout=30000)
    page.get_by_text("Today").first.wait_for(timeout=30000)
    plots.nth(0).hover()
    assert page.locator(".modebar-btn[data-title='Download plot as a PNG']").first.is_visible()
    page.wait_for_timeout(1000)
    screenshot(page, "overview", height=3900)


def test_overview_filter_from_a_link(dashboard, page):
    page.goto(f"{dashboard}/?agreement=MY-CN-LOI-ZJU-2025")
    page.locator(".js-plotly-plot").nth(5).wait_for(timeout=30000)
    status = page.locator(".js-plotly-plot").first
    status.get_by_text("MY-CN-LOI-ZJU-2025").first.wait_for(timeout=30000)
    assert status.get_by_text("MY-CN-DE-2025").count() == 0
    screenshot(page, "overview-filtered")


def test_agreement_page_from_a_link(dashboard, page):
    page.goto(f"{dashboard}/agreements?agreement=MY-CN-LOI-ZJU-2025")
    page.get_by_role("heading", name="Letter of Intent between MDEC and Zhejiang University").wait_for(timeout=30000)
    page.get_by_text("Source document").first.wait_for(timeout=30000)
    source = page.locator("p", has_text="Perbadanan Ekonomi Digital Malaysia (MDEC)").first
    source.wait_for(timeout=30000)
    # the statement is shown whole, each quoted clause followed by its area's number ("[4]")
    text = re.sub(r"\s*\[\d+\]", "", source.inner_text())
    assert "bidang transformasi digital, AI dan bandar pintar" in text
    page.locator(".js-plotly-plot").nth(2).wait_for(timeout=30000)
    page.wait_for_timeout(1000)
    screenshot(page, "agreement", height=3000)



def test_overview_address_forwards_to_the_default_page(dashboard, page):
    """The default page is served at "/"; a bookmark of /overview must not meet Streamlit's
    "Page not found" notice."""
    page.goto(f"{dashboard}/overview?agreement=MY-CN-AI-2025")
    page.get_by_role("heading", name="Overview").wait_for(timeout=30000)
    page.locator(".js-plotly-plot").nth(5).wait_for(timeout=30000)
    page.wait_for_timeout(1000)
    assert page.get_by_text("Page not found").count() == 0
    assert "agreement=MY-CN-AI-2025" in page.url  # the link's filter came along
    assert page.locator(".js-plotly-plot").first.get_by_text("MY-CN-DE-2025").count() == 0
