"""In headless Chromium: meeting mode for the working group, stepping through the agenda."""
import pytest

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def test_meeting_mode_steps_through_the_agenda(dashboard, page):
    page.goto(f"{dashboard}/meeting_mode")  # the first joint body: the sample working group
    page.get_by_role("heading", name="MY-CN-DE-2025: MoU on Digital Economy Cooperation").wait_for(timeout=30000)
    page.locator(".js-plotly-plot").first.wait_for(timeout=30000)
    # waited for: the chart may now draw before the rest (its code loads at sign-in)
    page.get_by_text("Point 1 of").first.wait_for(timeout=30000)
    page.wait_for_timeout(800)
    screenshot(page, "meeting-mode-agreement")
    page.get_by_role("button", name="Next ▶").click()
    page.get_by_text("Point 2 of").first.wait_for(timeout=30000)
    page.get_by_role("heading", name="[Sample]").first.wait_for(timeout=30000)
    assert "point=2" in page.url
    page.wait_for_timeout(800)
    screenshot(page, "meeting-mode-item")
