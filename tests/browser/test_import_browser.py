"""In headless Chromium: the secretariat uploads a ministry tracker whose status words the
tracker does not know, sees them in the value-mapping step with suggestions, corrects one,
confirms, and the items are saved with the mapped statuses."""
import io

import openpyxl
import pytest
from sqlmodel import Session, select

from core.db import make_engine
from models import ActionItem
from tests.browser.conftest import running_dashboard, screenshot, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def import_dashboard(tmp_path_factory):
    """A dashboard of its own (this test writes) and a tracker naming two open sample items."""
    folder = tmp_path_factory.mktemp("browser_import")
    with running_dashboard(folder) as (base, passwords):
        engine = make_engine(f"sqlite:///{folder / 'tracker.db'}")
        with Session(engine) as s:
            items = [i for i in s.exec(select(ActionItem).order_by(ActionItem.id)).all()
                     if i.status == "in_progress"][:2]
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "Pemantauan"
        ws.append(["PEMANTAUAN PELAKSANAAN MOU"])
        ws.merge_cells("A1:C1")
        ws.append(["Tindakan", "Status", "Catatan"])
        ws.append([items[0].title, "KIV", "Menunggu kelulusan KSU."])
        ws.append([items[1].title, "Lewat", "Surat susulan dihantar."])
        path = folder / "jejak.xlsx"
        buf = io.BytesIO()
        wb.save(buf)
        path.write_bytes(buf.getvalue())
        yield {"base": base, "password": passwords["demo.secretariat"], "ids": [i.id for i in items],
               "engine": engine, "file": path}
        engine.dispose()


def test_value_mapping_step(import_dashboard, anon_page):
    page, d = anon_page, import_dashboard
    sign_in(page, d["base"], "demo.secretariat", d["password"])
    page.goto(f"{d['base']}/reports")
    page.get_by_text("Import from Excel").first.wait_for(timeout=30000)
    page.locator("input[type=file]").set_input_files(str(d["file"]))
    page.get_by_text("Status words in this file").wait_for(timeout=60000)
    page.get_by_text("'KIV' (rows 3)").wait_for(timeout=30000)
    page.get_by_text("'Lewat' (rows 4)").wait_for(timeout=30000)
    screenshot(page, "import_value_mapping", height=1800)
    page.get_by_role("button", name="Apply these changes").click()
    page.get_by_role("button", name="Confirm import").wait_for(timeout=30000)
    page.get_by_text("Save 2 rows as").wait_for(timeout=30000)
    page.get_by_role("button", name="Confirm import").click()
    page.get_by_text("Import saved:").wait_for(timeout=60000)
    with Session(d["engine"]) as s:
        statuses = [s.get(ActionItem, i).status for i in d["ids"]]
    assert statuses == ["on_hold", "in_progress"]
