"""Issue 12 as a user met it: a note pasted from Word (its manual line break arrives as a
vertical tab) saved through the item page, then the full report built on the Reports page:
the note is stored with a line break and the report is produced and opens."""
from __future__ import annotations

import io

import openpyxl

from tests.apptest.conftest import run_page
from tests.apptest.test_items_pages import mdec_item, update_form, updates
from services.excel.common import label

WORD_NOTE = "Vendor met on Monday.\x0bSign-off expected next week.\x00"


def test_a_word_note_is_saved_and_the_full_report_still_builds(app_db):
    item = mdec_item(app_db)
    at = run_page("views/item.py", query={"id": str(item.id)}, user="demo.focal")
    at = update_form(at, item.id, progress=min(item.progress + 5, 95), note=WORD_NOTE)
    assert not at.exception and at.toast[0].value == "Update saved."
    assert updates(app_db, item.id)[-1].note == "Vendor met on Monday.\nSign-off expected next week."

    at = run_page("views/reports.py", user="demo.viewer")
    next(c for c in at.checkbox if c.label.startswith("Full update history")).check().run()
    assert not at.exception, at.exception
    assert [b for b in at.get("download_button") if b.proto.label == "Download the Excel report"]
    # The download is built when pressed (ui/downloads.py), by the report service: build it the same way.
    from datetime import datetime, timezone

    from sqlmodel import Session

    from services.excel.report.workbook import write_report
    from tests.conftest import TODAY

    buf = io.BytesIO()
    with Session(app_db) as s:
        write_report(session=s, actor=None, today=TODAY, now=datetime.now(timezone.utc), out=buf, full_history=True)
    wb = openpyxl.load_workbook(io.BytesIO(buf.getvalue()))
    notes = [r[8] for r in wb[label("Updates")].iter_rows(min_row=2, values_only=True)]
    assert "Vendor met on Monday.\nSign-off expected next week." in notes
