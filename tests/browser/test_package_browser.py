"""In headless Chromium, once in each language: the package page with its funnel and table."""
import pytest

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

TITLES = {"en": "Package of a visit", "ms": "Pakej lawatan", "zh": "访问协议包"}
RECORDED = {"en": "3 of 31 recorded", "ms": "3 daripada 31 direkodkan", "zh": "已记录 3 / 31"}


@pytest.mark.parametrize("lang", ["en", "ms", "zh"])
def test_package_page_in_each_language(dashboard, page, lang):
    page.goto(f"{dashboard}/package?lang={lang}")
    page.get_by_role("heading", name=TITLES[lang]).wait_for(timeout=60000)
    page.get_by_text(RECORDED[lang]).first.wait_for(timeout=30000)
    page.locator(".js-plotly-plot").first.wait_for(timeout=30000)
    assert page.locator(".js-plotly-plot").count() == 1  # the funnel
    page.get_by_text("MY-CN-LOI-ZJU-2025").first.wait_for(state="attached", timeout=30000)
    page.wait_for_timeout(1000)
    screenshot(page, f"package-{lang}", height=1600)
