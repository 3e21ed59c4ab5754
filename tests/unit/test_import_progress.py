"""A long import shows progress: reading (the report's Items sheet and a ministry tracker)
and applying report rows done as they go, ending at the total; the page's plan store keeps a
read plan (no second read, no second bar) and drops old ones."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select

from models import ActionItem, ProgressUpdate
from services.excel.imports import plan as plan_module
from services.excel.imports.apply import apply_import
from services.excel.imports.items_sheet import read_import
from tests.conftest import TODAY
from tests.unit.excel_fixtures import NOW, export_bytes, items_header, reopen, to_bytes

FIELD = Path(__file__).resolve().parents[1] / "fixtures" / "field-cases"


@pytest.fixture
def every_5_rows(monkeypatch):
    monkeypatch.setattr(plan_module, "PROGRESS_EVERY", 5)


def _calls():
    seen: list[tuple[int, int]] = []
    return seen, lambda done, total: seen.append((done, total))


def _check(seen: list[tuple[int, int]], total: int) -> None:
    assert seen and seen[-1] == (total, total)
    assert [d for d, _ in seen] == sorted({d for d, _ in seen})  # rising, each report once
    assert all(t == total for _, t in seen) and all(d % 5 == 0 or d == total for d, _ in seen)


def test_reading_and_applying_the_items_sheet_report_rows(sampled, users, every_5_rows):
    wb = reopen(export_bytes(sampled))
    ws = wb["Items"]
    col = items_header(ws)
    first = ws.cell(2, col["Item ID"]).value
    ws.cell(2, col["Note"]).value = "Progress shown while saving"
    seen, report = _calls()
    plan = read_import(session=sampled, actor=users["secretariat"], data=to_bytes(wb), filename="r.xlsx",
                       today=TODAY, progress=report)
    _check(seen, plan.data_rows)
    assert plan.data_rows > 10
    seen, report = _calls()
    result = apply_import(session=sampled, actor=users["secretariat"], plan=plan, now=NOW, progress=report)
    _check(seen, len(plan.changed_rows))
    notes = sampled.exec(select(ProgressUpdate.note).where(ProgressUpdate.item_id == first)).all()
    assert result.updated == 1 and "Progress shown while saving" in notes


def test_reading_a_tracker_reports_rows(sampled, users, every_5_rows):
    seen, report = _calls()
    plan = read_import(session=sampled, actor=users["secretariat"], today=TODAY, progress=report,
                       data=(FIELD / "date1904_tracker.xlsx").read_bytes(), filename="date1904_tracker.xlsx")
    _check(seen, seen[-1][1])
    assert seen[-1][1] >= plan.data_rows - plan.skipped > 0


def test_without_a_callback_nothing_is_reported(sampled, users):
    plan = read_import(session=sampled, actor=users["secretariat"], data=export_bytes(sampled), filename="r.xlsx",
                       today=TODAY)
    assert plan.ok and sampled.exec(select(ActionItem)).first() is not None


def test_plan_store_keeps_recent_plans_and_forgets_old_ones(monkeypatch):
    from ui import uploads

    clock = [1000.0]
    monkeypatch.setattr(uploads.time, "monotonic", lambda: clock[0])
    store = uploads.PlanStore(max_entries=2, ttl=60)
    store.put(("a",), ("plan a", None))
    store.put(("b",), ("plan b", None))
    assert store.get(("a",)) == ("plan a", None)  # a is now the most recent
    store.put(("c",), ("plan c", None))
    assert store.get(("b",)) is None and store.get(("a",)) == ("plan a", None)  # the oldest went
    clock[0] += 61
    assert store.get(("a",)) is None and store.get(("c",)) is None  # older than the ttl
