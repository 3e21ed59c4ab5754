"""The benchmark's floor (bench/excel_floor.py) writes the report's sheets with the report's
rows, so the ratio compares the same work."""
from __future__ import annotations

import io

from bench.excel_floor import write_floor
from services.excel.report import workbook
from tests.unit.excel_fixtures import NOW, TODAY, export_bytes, reopen


def shape(data: bytes) -> dict[str, int]:
    wb = reopen(data, read_only=True)
    return {name: sum(1 for _ in wb[name].iter_rows()) for name in wb.sheetnames if name not in ("Summary", "Package")}


def floor_bytes(session) -> bytes:
    buf = io.BytesIO()
    write_floor(session=session, today=TODAY, now=NOW, out=buf)
    return buf.getvalue()


def test_floor_has_the_reports_sheets_and_rows(sampled):
    report, floor = shape(export_bytes(sampled)), shape(floor_bytes(sampled))
    assert floor.keys() == report.keys() and floor["Updates"] > 1
    assert {k: floor[k] for k in report if k != "About"} == {k: report[k] for k in report if k != "About"}


def test_floor_follows_the_rules_at_scale(sampled, monkeypatch):
    monkeypatch.setattr("bench.excel_floor.DEFAULT_UPDATES_MOST", 5)
    monkeypatch.setattr("bench.excel_floor.AGREEMENT_SHEETS_MOST", 2)
    monkeypatch.setattr(workbook, "DEFAULT_UPDATES_MOST", 5)
    monkeypatch.setattr(workbook, "AGREEMENT_SHEETS_MOST", 2)
    report, floor = shape(export_bytes(sampled)), shape(floor_bytes(sampled))
    assert floor.keys() == report.keys() == {"Items", "Updates", "Overdue", "About"}
    assert floor["Updates"] == report["Updates"] and floor["Items"] == report["Items"]
