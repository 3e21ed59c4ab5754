"""In headless Chromium: Chinese text is drawn with real glyphs (the fonts the project's setup
installs), and the browser's own locale picks the interface language."""
import shutil
import subprocess

import pytest

from tests.browser.conftest import screenshot
from tests.conftest import require_or_skip

pytestmark = pytest.mark.browser

# Two different characters drawn in the heading's font: with a CJK font they differ; without
# one Chromium draws the same empty box for both, so their pixels are identical.
GLYPHS_DIFFER = """(el) => {
  const font = getComputedStyle(el).fontWeight + " 48px " + getComputedStyle(el).fontFamily;
  const draw = (ch) => {
    const c = document.createElement("canvas"); c.width = 64; c.height = 64;
    const g = c.getContext("2d"); g.font = font; g.fillStyle = "#000"; g.fillText(ch, 4, 52);
    return Array.from(g.getImageData(0, 0, 64, 64).data).join(",");
  };
  const a = draw("概"), b = draw("览"), blank = draw(" ");
  return {differ: a !== b, inked: a !== blank && b !== blank};
}"""


def _cjk_font_installed() -> bool:
    if not shutil.which("fc-list"):
        return False
    out = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout
    return "CJK" in out


def test_chinese_overview_draws_real_glyphs(dashboard, page):
    if not _cjk_font_installed():
        require_or_skip("no CJK font: run scripts/ensure-test-system-packages.sh (fonts-noto-cjk)")
    page.goto(f"{dashboard}/?lang=zh")
    heading = page.get_by_role("heading", name="概览")
    heading.wait_for(timeout=30000)
    page.locator("[role=gridcell]").first.wait_for(state="attached", timeout=30000)
    result = heading.element_handle().evaluate(GLYPHS_DIFFER)
    assert result == {"differ": True, "inked": True}
    assert page.get_by_text("承诺领域").first.is_visible()
    page.get_by_role("radio", name="中文").wait_for(timeout=30000)  # the sidebar draws last
    screenshot(page, "overview-zh")


def test_agreement_in_chinese_shows_malay_clause_and_english_beside(dashboard, page):
    page.goto(f"{dashboard}/agreements?lang=zh&agreement=MY-CN-AI-2025")
    page.get_by_role("heading", name="人工智能合作谅解备忘录").wait_for(timeout=30000)
    page.get_by_text("来源文件").first.wait_for(timeout=30000)
    # the area's expander (its title is also a chart label, drawn first now that the chart code loads at sign-in)
    page.locator("[data-testid=stExpander] summary").filter(has_text="技术交流项目").first.click()
    page.get_by_text("technical exchange programmes").first.wait_for(timeout=10000)
    assert page.get_by_text("program pertukaran teknikal").first.is_visible()
    page.get_by_role("radio", name="中文").wait_for(timeout=30000)
    screenshot(page, "agreements-zh")


def test_browser_locale_sets_the_language_of_the_sign_in_page(dashboard, browser):
    context = browser.new_context(locale="ms-MY", viewport={"width": 1400, "height": 1000})
    try:
        pg = context.new_page()
        pg.goto(f"{dashboard}/")
        pg.get_by_role("heading", name="Log masuk ke Penjejak MoU").wait_for(timeout=30000)
        assert "lang=" not in pg.url  # a default, not a choice
        pg.get_by_role("radio", name="中文").click()
        pg.get_by_role("heading", name="登录谅解备忘录跟踪系统").wait_for(timeout=30000)
        screenshot(pg, "signin-zh")
    finally:
        context.close()


def test_switch_sets_the_url_and_is_remembered(dashboard, page):
    """The signed-in demo account's choice is saved: set it back for the other tests."""
    page.goto(f"{dashboard}/")
    page.get_by_role("heading", name="Overview").wait_for(timeout=30000)
    try:
        page.get_by_role("radio", name="中文").click()
        page.get_by_role("heading", name="概览").wait_for(timeout=30000)
        page.wait_for_url("**lang=zh**", timeout=10000)
        page.get_by_role("link", name="协议").first.click()
        page.get_by_role("heading", name="协议", exact=True).wait_for(timeout=30000)
        page.wait_for_url("**lang=zh**", timeout=10000)  # kept across pages, so links can be shared
    finally:
        page.get_by_role("radio", name="English").click()
        page.get_by_role("heading", name="Agreements").first.wait_for(timeout=30000)
