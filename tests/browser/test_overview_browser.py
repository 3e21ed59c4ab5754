"""In headless Chromium: the Overview shows the three seeded agreements."""
import pytest

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

CODES = ["MY-CN-DE-2025", "MY-CN-AI-2025", "MY-CN-LOI-ZJU-2025"]


def test_overview_lists_the_three_agreements(dashboard, page):
    page.goto(f"{dashboard}/overview")
    page.get_by_role("heading", name="Overview").wait_for(timeout=30000)
    cells = page.locator("[role=gridcell]")
    cells.first.wait_for(state="attached", timeout=30000)
    found = {c for c in cells.all_inner_texts() if c in CODES}
    assert found == set(CODES)
    assert page.get_by_text("SAMPLE DATA").first.is_visible()
    screenshot(page, "overview")


def test_agreement_page_from_a_link(dashboard, page):
    page.goto(f"{dashboard}/agreements?agreement=MY-CN-LOI-ZJU-2025")
    page.get_by_role("heading", name="Letter of Intent between MDEC and Zhejiang University").wait_for(timeout=30000)
    page.get_by_text("Source document").first.wait_for(timeout=30000)
    source = page.locator("p", has_text="Perbadanan Ekonomi Digital Malaysia (MDEC)").first
    source.wait_for(timeout=30000)
    assert "bidang transformasi digital, AI dan bandar pintar" in source.inner_text()


def test_first_request_to_a_page_url_is_framed_by_app(tmp_path, page):
    """A fresh server whose first visitor types /agreements still runs app.py (the frame)."""
    from tests.browser.conftest import running_dashboard

    with running_dashboard(tmp_path / "fresh.db") as base:
        page.goto(f"{base}/agreements")
        page.get_by_text("MoU Tracker · Ministry of Digital, Malaysia").wait_for(timeout=30000)
        nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
        assert "Agreements" in nav and "app" not in nav.split()
