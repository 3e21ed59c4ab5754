"""A ministry tracker has no versions: its rows are checked against the item's changes in the
dashboard after the file was saved (docProps/core.xml's modified time), as the Items sheet's
versions are. Every kind of dashboard change counts (a progress update, an edit of the due
date or the owner on the item page), whatever field the tracker's row writes."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import openpyxl
import pytest
from sqlmodel import select

from models import ActionItem
from services.agreements.setup import edit_item
from services.excel.imports.apply import apply_import
from services.excel.imports.items_sheet import read_import
from services.items.progress import update_progress
from tests.conftest import TODAY
from tests.unit.excel_fixtures import NOW, snapshot, to_bytes
from tests.unit.test_excel_bad_input import rezip
from tests.unit.test_excel_store import store  # noqa: F401 - the store fixture

HEADER = ["Tindakan", "Status", "Peratus Kemajuan", "Tarikh Sasaran", "Pegawai", "Catatan", "Bukti"]
FAR = TODAY + timedelta(days=500)


def core_xml(saved: datetime | None) -> bytes:
    """The file's properties part; `saved` None: a producer that records no modified time."""
    stamp = saved.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ") if saved else ""
    return ('<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/'
            'package/2006/metadata/core-properties" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dcterms:modified xsi:type="dcterms:W3CDTF">'
            f'{stamp}</dcterms:modified></cp:coreProperties>').encode()


def tracker(title: str, saved: datetime, **cells) -> bytes:
    """One row under HEADER: the item's title and the given cells (by field), saved at `saved`."""
    keys = ("status", "progress", "due_date", "owner", "note", "evidence")
    wb = openpyxl.Workbook()
    wb.active.append(HEADER)
    wb.active.append([title, *(cells.get(k) for k in keys)])
    return rezip(to_bytes(wb), replace={"docProps/core.xml": core_xml(saved)})


@pytest.fixture
def item(sampled, users) -> ActionItem:
    """An item in progress, rated green whatever the row writes (no start date, due far off),
    so each row below is valid and only the conflict check decides."""
    item = next(i for i in sampled.exec(select(ActionItem).order_by(ActionItem.id)).all()
                if i.status == "in_progress" and i.progress < 80)
    edit_item(session=sampled, actor=users["secretariat"], item_id=item.id, expected_version=item.version,
              data={"start_date": None, "due_date": FAR - timedelta(days=100), "owner_name": "Encik Lama"})
    sampled.refresh(item)
    return item


def change_in_dashboard(session, actor, item: ActionItem, kind: str) -> None:
    session.refresh(item)
    if kind == "progress":
        update_progress(session=session, actor=actor, item_id=item.id, expected_version=item.version,
                        status=item.status, progress=item.progress + 1, note="Dikemas kini di papan pemuka.",
                        now=datetime.now(timezone.utc))
    else:
        data = {"due_date": FAR - timedelta(days=50)} if kind == "due_date" else {"owner_name": "Puan Lain"}
        edit_item(session=session, actor=actor, item_id=item.id, expected_version=item.version, data=data)


ROW = {  # each writes one field, differently from the item
    "status": {"status": "Completed"},
    "progress": {"progress": 70},
    "due_date": {"due_date": FAR},
    "owner": {"owner": "Cik Fail"},
    "note": {"note": "Catatan daripada fail."},
    "evidence": {"evidence": "https://www.digital.gov.my/bukti/1"},
}


def read(session, actor, data):
    return read_import(session=session, actor=actor, data=data, filename="jejak.xlsx", today=TODAY)


@pytest.mark.parametrize("kind", ["progress", "due_date", "owner"])
def test_a_dashboard_change_after_the_file_was_saved_is_a_conflict(sampled, users, item, kind):
    sec, admin = users["secretariat"], users["admin"]
    saved = datetime.now(timezone.utc)
    change_in_dashboard(sampled, admin, item, kind)
    plan = read(sampled, sec, tracker(item.title, saved, progress=70))
    assert plan.ok and [r.item_id for r in plan.conflicts] == [item.id] and plan.preview() == []
    [line] = [c for c in plan.conflict_view() if c["Field"] == "Progress (%)"]
    assert line["Changed by"] == admin.display_name and line["Changed at"] != "–"
    before = snapshot(sampled)
    apply_import(session=sampled, actor=sec, plan=plan, now=NOW)  # not chosen: nothing written
    assert snapshot(sampled)[0] == before[0]


@pytest.mark.parametrize("field", list(ROW))
def test_every_field_a_tracker_writes_is_held_back_by_a_later_edit(sampled, users, item, field):
    sec = users["secretariat"]
    saved = datetime.now(timezone.utc)
    change_in_dashboard(sampled, users["admin"], item, "owner")
    plan = read(sampled, sec, tracker(item.title, saved, **ROW[field]))
    assert plan.ok, [str(p) for p in plan.problems]
    [row] = plan.rows
    assert field in row.changes and row.conflict and plan.to_write() == []


@pytest.mark.parametrize("field", list(ROW))
def test_a_tracker_saved_after_the_last_change_applies(sampled, users, item, field):
    sec = users["secretariat"]
    change_in_dashboard(sampled, users["admin"], item, "due_date")
    plan = read(sampled, sec, tracker(item.title, datetime.now(timezone.utc), **ROW[field]))
    assert plan.ok and not plan.conflicts and [r.item_id for r in plan.to_write()] == [item.id]
    apply_import(session=sampled, actor=sec, plan=plan, now=NOW)
    sampled.expire_all()
    after = sampled.get(ActionItem, item.id)
    expected = {"status": ("status", "completed"), "progress": ("progress", 70), "due_date": ("due_date", FAR),
                "owner": ("owner_name", "Cik Fail")}
    if field in expected:
        name, value = expected[field]
        assert getattr(after, name) == value


def test_a_tracker_without_a_saved_time_is_not_held_back(sampled, users, item):
    """No modified time in the file: nothing to compare with (the rows apply as before)."""
    sec = users["secretariat"]
    change_in_dashboard(sampled, users["admin"], item, "owner")
    wb = openpyxl.Workbook()
    wb.active.append(HEADER)
    wb.active.append([item.title, None, 70])
    data = rezip(to_bytes(wb), replace={"docProps/core.xml": core_xml(None)})
    plan = read(sampled, sec, data)
    assert plan.ok and not plan.conflicts


def test_changed_by_on_the_items_sheet_names_the_latest_editor(sampled, users, item):
    """The Items sheet's conflict table names who changed the item last, an owner's edit too."""
    from tests.unit.excel_fixtures import export_bytes, items_header, reopen

    sec, admin = users["secretariat"], users["admin"]
    wb = reopen(export_bytes(sampled))
    ws = wb["Items"]
    head = items_header(ws)
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, head["Item ID"]).value == item.id)
    ws.cell(row, head["Progress (%)"]).value = 70
    change_in_dashboard(sampled, admin, item, "owner")
    plan = read(sampled, sec, to_bytes(wb))
    assert [r.item_id for r in plan.conflicts] == [item.id]
    assert {c["Changed by"] for c in plan.conflict_view()} == {admin.display_name}


def test_the_same_conflicts_on_sqlite_and_postgresql(store):
    """On the real stores (aware and naive times alike): an owner's edit after the file was
    saved holds the row back; the same file saved after the edit applies."""
    session, sec = store
    item = next(i for i in session.exec(select(ActionItem).order_by(ActionItem.id)).all()
                if i.status == "in_progress" and i.progress < 80)
    edit_item(session=session, actor=sec, item_id=item.id, expected_version=item.version,
              data={"start_date": None, "due_date": FAR - timedelta(days=100)})
    saved = datetime.now(timezone.utc)
    change_in_dashboard(session, sec, item, "owner")
    held = read(session, sec, tracker(item.title, saved, progress=70))
    assert [r.item_id for r in held.conflicts] == [item.id]
    assert held.conflict_view()[0]["Changed by"] == sec.display_name
    fresh = read(session, sec, tracker(item.title, datetime.now(timezone.utc), progress=70))
    assert not fresh.conflicts and [r.item_id for r in fresh.to_write()] == [item.id]
