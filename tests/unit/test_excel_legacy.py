"""A ministry's own tracker with Malay headers, a merged title row and blank rows,
imported through the automatic column mapping; and the value readers it relies on."""
from __future__ import annotations

from datetime import date, datetime

import openpyxl
import pytest
from sqlmodel import select

from models import ActionItem, CommitmentArea, ProgressUpdate
from services.errors import PermissionDenied
from services.excel.imports.apply import apply_import
from services.excel.common import parse_status
from services.excel.imports.items_sheet import read_import
from services.excel.imports.tracker import auto_mapping
from services.excel.imports.values import parse_date, parse_progress
from tests.conftest import TODAY
from tests.unit.excel_fixtures import NOW, snapshot, to_bytes

HEADERS = ["Bil.", "Tindakan", "Agensi Peneraju", "Status", "Peratus Kemajuan", "Tarikh Sasaran", "Catatan"]


def tracker(rows: list[list]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Jejak MoU"
    ws.append(["PEMANTAUAN PELAKSANAAN MoU KERJASAMA DIGITAL MALAYSIA-CHINA"])
    ws.merge_cells("A1:G1")
    ws.append([])
    ws.append(HEADERS)
    for row in rows:
        if isinstance(row, str):  # a section heading across the table
            ws.append([row])
            ws.merge_cells(f"A{ws.max_row}:G{ws.max_row}")
        else:
            ws.append(row)
    return to_bytes(wb)


def two_items(session) -> list[ActionItem]:
    return [i for i in session.exec(select(ActionItem).order_by(ActionItem.id)).all()
            if i.status == "in_progress" and i.progress < 50][:2]


def test_malay_tracker_auto_mapping_and_apply(sampled, users):
    a, b = two_items(sampled)
    area = sampled.exec(select(CommitmentArea).order_by(CommitmentArea.id)).first()
    data = tracker([
        [1, a.title, "MDEC", "Dalam pelaksanaan", "50%", "16/04/2027", "Bengkel pertama selesai"],
        [],
        "Bidang 2: Pembangunan bakat",
        [2, b.title, "KD", "Selesai", None, "16 Apr 2026", "Laporan akhir dihantar"],
        [3, "Bina portal data terbuka AI", "MDEC", "Belum mula", 0, datetime(2027, 6, 30), None],
        [None, None, None, None, None, None, None],
    ])
    sec = users["secretariat"]
    plan = read_import(session=sampled, actor=sec, data=data, filename="jejak.xlsx", today=TODAY)
    assert plan.kind == "tracker" and plan.header_row == 3 and plan.ok, plan.problems
    assert plan.mapping == {"id": None, "title": 1, "status": 3, "progress": 4, "due_date": 5,
                            "lead": 2, "owner": None, "note": 6, "evidence": None}
    assert plan.skipped == 2  # the blank row and the section heading
    by_row = {r.row: r for r in plan.rows}
    assert by_row[4].item_id == a.id and by_row[4].target["progress"] == 50
    assert by_row[4].target["due_date"] == date(2027, 4, 16)
    assert by_row[7].item_id == b.id and by_row[7].target == {
        "status": "completed", "progress": 100, "due_date": date(2026, 4, 16), "note": "Laporan akhir dihantar"}
    assert by_row[8].item_id is None and [r.title for r in plan.new_rows] == ["Bina portal data terbuka AI"]
    result = apply_import(session=sampled, actor=sec, plan=plan, now=NOW, area_id=area.id)
    assert (result.updated, result.created) == (2, 1)
    sampled.expire_all()
    assert (sampled.get(ActionItem, a.id).progress, sampled.get(ActionItem, a.id).due_date) == (50, date(2027, 4, 16))
    assert sampled.get(ActionItem, b.id).status == "completed"
    new = sampled.exec(select(ActionItem).where(ActionItem.title == "Bina portal data terbuka AI")).one()
    assert new.area_id == area.id and new.due_date == date(2027, 6, 30) and not new.is_sample
    assert sampled.exec(select(ProgressUpdate).where(ProgressUpdate.item_id == a.id, ProgressUpdate.source == "import")).one().author_id == sec.id  # noqa: E501


def test_new_rows_left_out_without_an_area(sampled, users):
    before = snapshot(sampled)
    data = tracker([[1, "Something nobody planned", "KD", "Belum mula", 0, None, None]])
    plan = read_import(session=sampled, actor=users["admin"], data=data, filename="t.xlsx", today=TODAY)
    result = apply_import(session=sampled, actor=users["admin"], plan=plan, now=NOW)
    assert result.skipped_new == 1 and result.created == 0
    items, updates, _ = snapshot(sampled)
    assert (items, updates) == before[:2]


def test_legacy_errors_name_the_trackers_own_header(sampled, users):
    a = two_items(sampled)[0]
    data = tracker([[1, a.title, "MDEC", "Hampir siap", "150%", "31/02/2027", None]])
    plan = read_import(session=sampled, actor=users["admin"], data=data, filename="t.xlsx", today=TODAY)
    reasons = {p.column: p.reason for p in plan.problems}
    assert set(reasons) == {"Peratus Kemajuan", "Tarikh Sasaran"}
    assert plan.status_words == {"Hampir siap": [4]} and not plan.ok  # to the value-mapping step
    assert all(p.sheet == "Jejak MoU" and p.row == 4 for p in plan.problems)


def test_user_corrects_the_mapping(sampled, users):
    a = two_items(sampled)[0]
    wb = openpyxl.Workbook()
    wb.active.append(["Perkara", "Komen", "Nilai"])
    wb.active.append([a.title, "ok", "0.4"])
    data = to_bytes(wb)
    plan = read_import(session=sampled, actor=users["admin"], data=data, filename="t.xlsx", today=TODAY)
    assert plan.mapping["progress"] is None
    plan = read_import(session=sampled, actor=users["admin"], data=data, filename="t.xlsx", today=TODAY,
                       header_row=1, mapping={"title": 0, "note": 1, "progress": 2})
    assert plan.rows[0].target["progress"] == 40 and plan.rows[0].target["note"] == "ok"


def test_focal_point_cannot_import_a_tracker(sampled, users):
    with pytest.raises(PermissionDenied):
        read_import(session=sampled, actor=users["focal_point"], data=tracker([]), filename="t.xlsx", today=TODAY)


@pytest.mark.parametrize("headers,expected", [
    (["Tindakan", "Status", "Tarikh Sasaran"], {"title": 0, "status": 1, "due_date": 2}),
    (["Perkara", "Peratus Kemajuan (%)", "Agensi Peneraju", "Catatan"], {"title": 0, "progress": 1, "lead": 2, "note": 3}),
    (["Action item", "Owner", "Due date", "Evidence link"], {"title": 0, "owner": 1, "due_date": 2, "evidence": 3}),
    (["Item ID", "Action", "Progress (%)"], {"id": 0, "title": 1, "progress": 2}),
])
def test_auto_mapping(headers, expected):
    found = {k: v for k, v in auto_mapping(headers).items() if v is not None}
    assert found == expected


@pytest.mark.parametrize("value,percent_format,expected", [
    ("50%", False, 50), ("0.5", False, 50), (0.5, False, 50), (50, False, 50), ("50", False, 50),
    (0.25, True, 25), (1, True, 100), (1, False, 1), ("100 %", False, 100), (None, False, None),
])
def test_parse_progress(value, percent_format, expected):
    assert parse_progress(value, percent_format=percent_format) == expected


@pytest.mark.parametrize("value", ["abc", "101", "-1", "33.3%"])
def test_parse_progress_refuses(value):
    with pytest.raises(ValueError):
        parse_progress(value)


@pytest.mark.parametrize("value,expected", [
    ("16/04/2025", date(2025, 4, 16)), ("16 Apr 2025", date(2025, 4, 16)),
    ("16 April 2025", date(2025, 4, 16)), ("16 Mac 2025", date(2025, 3, 16)),
    ("1 Ogos 2025", date(2025, 8, 1)), ("2025-04-16", date(2025, 4, 16)),
    ("16-04-2025", date(2025, 4, 16)), ("2027/9/30", date(2027, 9, 30)), ("2027年9月30日", date(2027, 9, 30)),
    ("16 Apr. 2025", date(2025, 4, 16)), ("3 Ogos 2025", date(2025, 8, 3)), (datetime(2025, 4, 16, 0, 0), date(2025, 4, 16)),
    (date(2025, 4, 16), date(2025, 4, 16)), ("", None),
])
def test_parse_date(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["31/02/2025", "next week", "16 Foo 2025"])
def test_parse_date_refuses(value):
    with pytest.raises(ValueError, match="not a date"):
        parse_date(value)


@pytest.mark.parametrize("value,expected", [
    ("Belum mula", "not_started"), ("Dalam pelaksanaan", "in_progress"), ("SELESAI", "completed"),
    ("In progress", "in_progress"), ("on_hold", "on_hold"), ("Dibatalkan", "cancelled"), ("maybe", None),
])
def test_parse_status(value, expected):
    assert parse_status(value) == expected
