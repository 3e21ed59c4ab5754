"""Round trip: export, edit the Items sheet with openpyxl, import; the preview, the
conflicts, every validation error, and the all-or-nothing apply."""
from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from models import ActionItem, AuditEvent, ProgressUpdate
from services.errors import PermissionDenied, ValidationFailed
from services.excel.imports.apply import apply_import
from services.excel.imports.items_sheet import read_import
from services.items.progress import update_progress
from tests.conftest import TODAY
from tests.unit.excel_fixtures import (
    NOW, export_bytes, items_header, reopen, snapshot, to_bytes,
)


def edited(session, edit) -> bytes:
    """Export, let `edit(ws, col, rows_by_item_id)` change the Items sheet, save."""
    wb = reopen(export_bytes(session))
    ws = wb["Items"]
    col = items_header(ws)
    rows = {ws.cell(r, col["Item ID"]).value: r for r in range(2, ws.max_row + 1)}
    edit(ws, col, rows)
    return to_bytes(wb)


def plan_for(session, actor, data):
    return read_import(session=session, actor=actor, data=data, filename="report.xlsx", today=TODAY)


def open_items(session) -> list[ActionItem]:
    return [i for i in session.exec(select(ActionItem).order_by(ActionItem.id)).all()
            if i.status == "in_progress" and i.progress < 90]


def test_round_trip_applies_exactly_the_edits(sampled, users):
    a, b = open_items(sampled)[:2]
    sec = users["secretariat"]

    def edit(ws, col, rows):
        ws.cell(rows[a.id], col["Progress (%)"]).value = a.progress + 5
        ws.cell(rows[a.id], col["Note"]).value = "Workshop dates agreed"
        ws.cell(rows[b.id], col["Status"]).value = "Completed"
        ws.cell(rows[b.id], col["Progress (%)"]).value = 100
        ws.cell(rows[b.id], col["Due date"]).value = date(2027, 3, 31)
        ws.cell(rows[b.id], col["Owner"]).value = "Puan Aminah"

    plan = plan_for(sampled, sec, edited(sampled, edit))
    assert plan.ok and plan.kind == "items" and not plan.conflicts
    preview = {(p["Item ID"], p["Field"]): (p["Old"], p["New"]) for p in plan.preview()}
    assert preview[(a.id, "Progress (%)")] == (f"{a.progress}%", f"{a.progress + 5}%")
    assert preview[(b.id, "Status")] == ("In progress", "Completed")
    assert preview[(b.id, "Due date")][1] == "31 Mar 2027"
    assert len(preview) == 6
    old_a = a.progress
    result = apply_import(session=sampled, actor=sec, plan=plan, now=NOW)
    assert (result.updated, result.progress_updates, result.edits) == (2, 2, 2)
    sampled.expire_all()
    a2, b2 = sampled.get(ActionItem, a.id), sampled.get(ActionItem, b.id)
    assert a2.progress == old_a + 5 and a2.status == "in_progress"
    assert (b2.status, b2.progress, b2.due_date, b2.owner_name) == ("completed", 100, date(2027, 3, 31), "Puan Aminah")
    ups = sampled.exec(select(ProgressUpdate).where(ProgressUpdate.source == "import")).all()
    assert {u.item_id for u in ups} == {a.id, b.id} and {u.author_id for u in ups} == {sec.id}
    assert next(u for u in ups if u.item_id == a.id).note == "Workshop dates agreed"
    edits = sampled.exec(select(AuditEvent).where(AuditEvent.action == "edit_item")).all()
    assert [e.object_id for e in edits] == [b.id] and edits[0].user_id == sec.id


def test_unchanged_export_imports_nothing(sampled, users):
    before = snapshot(sampled)
    plan = plan_for(sampled, users["admin"], export_bytes(sampled))
    assert plan.ok and plan.preview() == []
    assert snapshot(sampled) == before


def test_conflict_shown_and_applied_only_when_chosen(sampled, users):
    a = open_items(sampled)[0]
    sec = users["secretariat"]
    data = edited(sampled, lambda ws, col, rows: setattr(ws.cell(rows[a.id], col["Progress (%)"]), "value", 80))
    update_progress(session=sampled, actor=sec, item_id=a.id, expected_version=a.version,
                    status="in_progress", progress=70, note="changed in the dashboard", now=NOW)
    plan = plan_for(sampled, sec, data)
    assert [r.item_id for r in plan.conflicts] == [a.id]
    side = plan.conflict_view()[0]
    assert (side["In the file"], side["In the dashboard now"]) == ("80%", "70%")
    apply_import(session=sampled, actor=sec, plan=plan, now=NOW)
    sampled.expire_all()
    assert sampled.get(ActionItem, a.id).progress == 70  # not chosen: left alone
    plan = plan_for(sampled, sec, data)
    result = apply_import(session=sampled, actor=sec, plan=plan, now=NOW, accept_conflicts=[a.id])
    sampled.expire_all()
    assert sampled.get(ActionItem, a.id).progress == 80 and result.updated == 1


BAD_ROWS = [
    ("Item ID", 999999, "unknown item ID 999999"),
    ("Progress (%)", 140, "between 0 and 100"),
    ("Progress (%)", -5, "between 0 and 100"),
    ("Due date", "next Tuesday", "not a date"),
    ("Action item", "A renamed title", "this column is locked"),
    ("Lead", "XYZ", "this column is locked"),
    ("Progress (%)", "=40+10", "a formula whose result was never saved in the file"),
    ("Evidence link", "file://c:/secret", "evidence link must be a web address"),
]


@pytest.mark.parametrize("column,value,reason", BAD_ROWS)
def test_bad_rows_are_named_and_nothing_is_written(sampled, users, column, value, reason):
    a = open_items(sampled)[0]
    data = edited(sampled, lambda ws, col, rows: setattr(ws.cell(rows[a.id], col[column]), "value", value))
    before = snapshot(sampled)
    plan = plan_for(sampled, users["secretariat"], data)
    assert not plan.ok
    problem = plan.problems[0]
    assert problem.sheet == "Items" and problem.column == column and problem.row >= 2
    assert reason.casefold() in str(problem.reason).casefold()
    with pytest.raises(ValidationFailed, match=rf"The file has {len(plan.problems)} problems?: fix"):
        apply_import(session=sampled, actor=users["secretariat"], plan=plan, now=NOW)
    assert snapshot(sampled) == before


def test_duplicate_row_is_an_error(sampled, users):
    a = open_items(sampled)[0]

    def edit(ws, col, rows):
        ws.append([c.value for c in ws[rows[a.id]]])

    plan = plan_for(sampled, users["secretariat"], edited(sampled, edit))
    assert any("duplicate row" in p.reason and p.column == "Item ID" for p in plan.problems)


def test_one_failing_row_rolls_back_the_whole_import(sampled, users, monkeypatch):
    a, b = open_items(sampled)[:2]

    def edit(ws, col, rows):
        for item in (a, b):
            ws.cell(rows[item.id], col["Progress (%)"]).value = item.progress + 1
            ws.cell(rows[item.id], col["Note"]).value = "Moving"

    plan = plan_for(sampled, users["secretariat"], edited(sampled, edit))
    assert plan.ok and len(plan.changed_rows) == 2
    before = snapshot(sampled)
    item_b = sampled.get(ActionItem, b.id)
    item_b.archived = True  # archived between preview and confirm: the service refuses it
    with pytest.raises(ValidationFailed, match="Nothing was saved"):
        apply_import(session=sampled, actor=users["secretariat"], plan=plan, now=NOW)
    assert snapshot(sampled) == before


@pytest.mark.parametrize("role", ["viewer", "focal_point"])
def test_only_secretariat_and_admin_import(sampled, users, role):
    with pytest.raises(PermissionDenied, match="secretariat or an administrator"):
        plan_for(sampled, users[role], export_bytes(sampled))
