"""In headless Chromium: a focal point signs in, updates an item and sees it in its history."""
import pytest
from sqlmodel import Session, select

from core.db import make_engine
from models import ActionItem, Organisation, ProgressUpdate
from tests.browser.conftest import running_dashboard, screenshot, sign_in

pytestmark = pytest.mark.browser
NOTE = "Venue booked for the joint workshop"


@pytest.fixture(scope="module")
def focal_dashboard(tmp_path_factory):
    """A dashboard of its own (this test writes), with an open MDEC-led sample item."""
    folder = tmp_path_factory.mktemp("browser4")
    with running_dashboard(folder) as (base, passwords):
        engine = make_engine(f"sqlite:///{folder / 'tracker.db'}")
        with Session(engine) as s:
            mdec = s.exec(select(Organisation.id).where(Organisation.acronym == "MDEC")).one()
            item = s.exec(select(ActionItem).where(ActionItem.lead_org_id == mdec, ActionItem.status == "in_progress")
                          .order_by(ActionItem.id)).first()
        yield {"base": base, "password": passwords["demo.focal"], "item_id": item.id,
               "progress": item.progress, "engine": engine}
        engine.dispose()


def test_update_an_item_and_see_it_in_the_history(focal_dashboard, anon_page):
    page, d = anon_page, focal_dashboard
    sign_in(page, d["base"], "demo.focal", d["password"])  # MDEC's focal point, through the form
    item_id, old = d["item_id"], d["progress"]
    new = min(old + 5, 95)
    page.goto(f"{d['base']}/item?id={item_id}")
    page.get_by_text("Update progress").first.wait_for(timeout=30000)
    progress = page.get_by_label("Progress (%)")
    progress.fill(str(new))
    progress.press("Tab")
    page.get_by_label("Note (required when On hold, Cancelled or Red)").fill(NOTE)
    page.wait_for_timeout(300)
    page.get_by_role("button", name="Save update").click()
    page.get_by_text("Update saved.").wait_for(timeout=30000)
    page.wait_for_function(
        "t => [...document.querySelectorAll('[role=gridcell]')].some(c => c.innerText.includes(t))",
        arg=NOTE, timeout=30000)
    assert f"Progress: {old}% -> {new}%" in page.locator("[role=gridcell]").all_inner_texts()
    screenshot(page, "item_update_history")
    with Session(d["engine"]) as s:
        last = s.exec(select(ProgressUpdate).where(ProgressUpdate.item_id == item_id)
                      .order_by(ProgressUpdate.id.desc())).first()
        assert (last.progress_after, last.note) == (new, NOTE)
