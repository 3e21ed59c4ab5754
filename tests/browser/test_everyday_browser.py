"""In headless Chromium, what only the browser shows: how long each page's first view takes
after sign-in (measured and reported, not gated: the gate is bench/), a one-click row opening
the item in the same tab, select boxes following a language switch, and a page the role lacks
answering in the user's language."""
import json
import time

import pytest

from services.i18n.translate import gettext
from tests.browser.conftest import SHOTS, screenshot

pytestmark = pytest.mark.browser

# (address, heading) of every page a secretariat user opens; the item page by id.
PAGES = [("/", "Overview"), ("/agreements", "Agreements"), ("/items", "Action items"),
         ("/meetings", "Meetings"), ("/meeting_mode", "Meeting mode"), ("/reports", "Reports"),
         ("/setup", "Set-up"), ("/item?id=1", None)]
TARGET_S = 1.5


def _settled(page) -> None:
    """The rerun is over (Streamlit marks its app element with the script's state)."""
    page.locator("[data-testid=stApp][data-test-script-state=notRunning]").wait_for(state="attached", timeout=60000)


def test_first_view_of_each_page_after_sign_in_is_measured(dashboard, page_as):
    page = page_as("demo.secretariat")
    figures = {}
    for path, heading in PAGES:
        start = time.perf_counter()
        page.goto(f"{dashboard}{path}")
        page.locator("h1").first.wait_for(timeout=60000)
        if heading:
            page.get_by_role("heading", name=heading).first.wait_for(timeout=60000)
        _settled(page)
        figures[path] = round(time.perf_counter() - start, 2)
    SHOTS.mkdir(exist_ok=True)
    (SHOTS / "first-view-seconds.json").write_text(json.dumps({"target_s": TARGET_S, **figures}, indent=1))
    print("first view after sign-in (s):", figures)
    assert all(v > 0 for v in figures.values())


def test_one_click_on_an_overdue_row_opens_the_item_in_the_same_tab(dashboard, page):
    """A click on a cell of the row (what officials do), or on its selector."""
    page.goto(f"{dashboard}/")
    page.get_by_role("heading", name="Overdue items").wait_for(timeout=60000)
    _settled(page)
    grid = page.locator("[data-testid=stDataFrame]").nth(0)  # the first table: Overdue items
    grid.wait_for(timeout=60000)
    grid.evaluate("(el) => el.scrollIntoView({block: 'center'})")
    page.wait_for_timeout(1000)
    box = grid.bounding_box()
    pages_before = len(page.context.pages)
    page.mouse.click(box["x"] + 160, box["y"] + 35 + 17)  # the first row's title, one click
    page.wait_for_url("**/item?id=*", timeout=60000)
    assert len(page.context.pages) == pages_before  # the same tab
    page.get_by_role("heading", name="Milestones").wait_for(timeout=60000)
    page.go_back()  # and the row selector at the left edge, one click, as before
    _settled(page)
    grid = page.locator("[data-testid=stDataFrame]").nth(0)
    grid.wait_for(timeout=60000)
    grid.evaluate("(el) => el.scrollIntoView({block: 'center'})")
    page.wait_for_timeout(1000)
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 17)
    page.wait_for_url("**/item?id=*", timeout=60000)


def test_select_boxes_follow_a_language_switch(dashboard, page):
    page.goto(f"{dashboard}/items?status=in_progress")
    page.get_by_role("heading", name="Action items").wait_for(timeout=60000)
    page.get_by_text("In progress").first.wait_for(timeout=60000)
    page.get_by_role("radio", name="Bahasa Melayu").click()
    page.get_by_role("heading", name="Item tindakan").wait_for(timeout=60000)
    _settled(page)
    filters = page.locator("[data-testid=stExpander]").first
    chosen = gettext("ms", "In progress")  # the chosen status, kept, in Malay (the chip may cut it short)
    filters.get_by_text(chosen[:8]).first.wait_for(timeout=60000)
    assert filters.get_by_text("In progress", exact=True).count() == 0
    box = filters.locator("[data-testid=stSelectbox]").filter(has_text=gettext("ms", "Sort by"))
    sort = box.inner_text() + " " + " ".join(i.input_value() for i in box.locator("input").all())
    assert gettext("ms", "Due date") in sort and "Due date" not in sort
    screenshot(page, "items-ms-after-switch")
    # The choice is remembered for demo.viewer: switch back, or every later test on this
    # dashboard would open in Malay.
    page.get_by_role("radio", name="English").click()
    page.get_by_role("heading", name="Action items").wait_for(timeout=60000)


def test_a_page_the_role_lacks_says_so_in_the_users_language(dashboard, page):
    page.goto(f"{dashboard}/setup?lang=ms")
    page.get_by_text("Peranan anda tidak merangkumi halaman ini").wait_for(timeout=60000)
    assert page.get_by_text("Page not found").count() == 0


def _overflow(page, key: str) -> int:
    """Pixels of the table `key` hidden to the right (0: every column in view without scrolling)."""
    grid = page.locator(f".st-key-{key} [data-testid=stDataFrame]").first
    grid.wait_for(timeout=60000)
    page.wait_for_timeout(500)
    return grid.evaluate("(el) => { const s = el.querySelector('.dvn-scroller');"
                         " return s ? s.scrollWidth - s.clientWidth : -1; }")


@pytest.mark.parametrize("lang", ["ms", "en", "zh"])
def test_a_focal_points_tables_fit_at_1400_px(dashboard, page_as, lang):
    """What needs you now and My items, every column in view at 1400 px, in each language
    (Malay's longer words once pushed Progress and Due out of sight)."""
    page = page_as("demo.focal")
    page.goto(f"{dashboard}/items?lang={lang}")
    _settled(page)
    overflow = {key: _overflow(page, key) for key in ("needs_me", "my_items_table")}
    screenshot(page, f"focal-tables-{lang}")
    assert overflow == {"needs_me": 0, "my_items_table": 0}


def test_no_english_input_hint_on_a_malay_page(dashboard, page_as):
    """Streamlit's "Press Enter to apply" is English only: hidden on every page; the search
    box says it in Malay."""
    page = page_as("demo.secretariat")
    page.goto(f"{dashboard}/items?lang=ms")
    _settled(page)
    page.get_by_role("tab", name="Semua item").click()
    search = page.locator(".st-key-f_q input")
    search.wait_for(timeout=60000)
    assert search.get_attribute("placeholder") == "Taip, kemudian tekan Enter"
    search.click()
    search.type("AI", delay=50)  # typed, not applied: the moment Streamlit shows its hint
    page.wait_for_timeout(500)
    hints = page.locator("[data-testid=InputInstructions]")
    assert hints.count() >= 1 and not any(hints.nth(i).is_visible() for i in range(hints.count()))
    assert page.get_by_text("Press Enter").filter(visible=True).count() == 0


@pytest.mark.parametrize("lang", ["ms", "zh"])
def test_the_items_figures_are_not_cut(dashboard, page_as, lang):
    """The item page's four figures show whole in Malay and Chinese at 1400 px (a status such
    as "Dalam pelaksanaan" and Chinese dates were cut with "…")."""
    page = page_as("demo.secretariat")
    for item_id in (1, 7):
        page.goto(f"{dashboard}/item?id={item_id}&lang={lang}")
        _settled(page)
        values = page.locator("[data-testid=stMetricValue]")
        values.first.wait_for(timeout=60000)
        cut = values.evaluate_all("(els) => els.flatMap((el) => [el, ...el.querySelectorAll('*')])"
                                  ".filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => e.textContent)")
        screenshot(page, f"item-{item_id}-figures-{lang}")
        assert values.count() == 4 and cut == [], cut


def test_a_language_switch_stays_on_the_open_tab(dashboard, page_as):
    """A focal point on All items (My items opens first) switches to Malay: still on All items
    ("Semua item"), not sent back to My items."""
    page = page_as("demo.focal")
    page.goto(f"{dashboard}/items?lang=en")
    _settled(page)
    page.get_by_role("tab", name="All items").click()
    _settled(page)
    page.get_by_role("radio", name="Bahasa Melayu").click()
    page.get_by_role("heading", name="Item tindakan").wait_for(timeout=60000)
    _settled(page)
    page.wait_for_timeout(500)
    selected = page.locator("[role=tab][aria-selected=true]")
    assert selected.inner_text().strip() == gettext("ms", "All items")
    page.get_by_role("radio", name="English").click()  # demo.focal's choice is remembered
    page.get_by_role("heading", name="Action items").wait_for(timeout=60000)
    assert page.locator("[role=tab][aria-selected=true]").inner_text().strip() == "All items"


def test_the_upload_box_speaks_malay(dashboard, page_as):
    """Streamlit's drop-zone text ("Drag and drop file here", "Limit 20MB per file") is English
    only: hidden; the label names the kinds of file and the limit in Malay."""
    page = page_as("demo.secretariat")
    page.goto(f"{dashboard}/reports?lang=ms")
    _settled(page)
    box = page.locator("[data-testid=stFileUploader]")
    box.wait_for(timeout=60000)
    assert "sehingga 20 MB" in box.inner_text()
    hints = page.locator("[data-testid=stFileUploaderDropzoneInstructions]")
    assert hints.count() == 1 and not hints.is_visible()
    assert page.get_by_text("per file").filter(visible=True).count() == 0
