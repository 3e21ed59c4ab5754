"""In headless Chromium: a focal point updates an item and sees the change in its history."""
import os
import subprocess
import sys

import pytest
from sqlmodel import Session, select

from core.db import make_engine
from models import ActionItem, Organisation, ProgressUpdate, User
from services.setup import prepare_database
from tests.browser.conftest import ROOT, _free_port, screenshot, wait_healthy

pytestmark = pytest.mark.browser
AUTOLOGIN = ROOT / "tests" / "browser" / "autologin"


@pytest.fixture(scope="module")
def signed_in(tmp_path_factory):
    """A dashboard whose every browser session is signed in as the MDEC demo focal point
    (through tests/browser/autologin until the sign-in form of issue 3 can be driven)."""
    db = tmp_path_factory.mktemp("browser4") / "tracker.db"
    url = f"sqlite:///{db}"
    engine = make_engine(url)
    prepare_database(engine, sample=True)
    with Session(engine) as s:
        focal = s.exec(select(User).where(User.username == "demo.focal")).one()
        mdec = s.exec(select(Organisation.id).where(Organisation.acronym == "MDEC")).one()
        item = s.exec(select(ActionItem).where(ActionItem.lead_org_id == mdec, ActionItem.status == "in_progress")
                      .order_by(ActionItem.id)).first()
        facts = {"item_id": item.id, "progress": item.progress, "engine": engine}
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": url, "TEST_SIGNED_IN_USER_ID": str(focal.id),
           "PYTHONPATH": os.pathsep.join([str(AUTOLOGIN), str(ROOT)])}
    log = open(db.with_suffix(".log"), "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, proc)
        yield {"base": base, **facts}
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()
        engine.dispose()


def test_update_an_item_and_see_it_in_the_history(signed_in, page):
    item_id, old = signed_in["item_id"], signed_in["progress"]
    new = min(old + 5, 95)
    page.goto(f"{signed_in['base']}/item?id={item_id}")
    page.get_by_text("Update progress").first.wait_for(timeout=30000)
    progress = page.get_by_label("Progress (%)")
    progress.fill(str(new))
    progress.press("Tab")
    note = page.get_by_label("Note (required when On hold, Cancelled or Red)")
    note.fill("Venue booked for the joint workshop")
    page.wait_for_timeout(300)
    page.get_by_role("button", name="Save update").click()
    page.get_by_text("Update saved.").wait_for(timeout=30000)
    cells = page.locator("[role=gridcell]")
    page.wait_for_function(
        "t => [...document.querySelectorAll('[role=gridcell]')].some(c => c.innerText.includes(t))",
        arg="Venue booked for the joint workshop", timeout=30000)
    texts = cells.all_inner_texts()
    assert f"Progress: {old}% -> {new}%" in texts
    screenshot(page, "item_update_history")
    with Session(signed_in["engine"]) as s:
        last = s.exec(select(ProgressUpdate).where(ProgressUpdate.item_id == item_id)
                      .order_by(ProgressUpdate.id.desc())).first()
        assert (last.progress_after, last.note) == (new, "Venue booked for the joint workshop")
