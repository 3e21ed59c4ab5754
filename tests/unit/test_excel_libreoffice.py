"""A round trip through LibreOffice Calc, a real client officials use: the report exported,
re-saved by `soffice --headless --convert-to xlsx`, imported; and an edit (a share typed as
100% with a percent format, a date typed as text, a new owner) saved by LibreOffice, imported.
Debian's libreoffice-calc is installed by scripts/ensure-test-system-packages.sh; without it
the tests skip with that reason on a laptop, and fail in CI."""
from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import select

from models import ActionItem
from services.excel.imports.apply import apply_import
from services.excel.imports.items_sheet import read_import
from tests.conftest import TODAY
from tests.unit.excel_fixtures import NOW, export_bytes, items_header, reopen, snapshot, to_bytes

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(
    SOFFICE is None and os.environ.get("CI") != "true",
    reason="LibreOffice (soffice) is not installed: run scripts/ensure-test-system-packages.sh",
)


def through_libreoffice(data: bytes, tmp_path: Path) -> bytes:
    assert SOFFICE, "CI must install libreoffice-calc (scripts/ensure-test-system-packages.sh)"
    src, out = tmp_path / "in" / "report.xlsx", tmp_path / "out"
    src.parent.mkdir()
    src.write_bytes(data)
    profile = (tmp_path / "profile").as_uri()
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "xlsx",
                    "--outdir", str(out), str(src)], check=True, timeout=180, capture_output=True)
    return (out / "report.xlsx").read_bytes()


def test_report_resaved_by_libreoffice_imports_as_no_change(sampled, users, tmp_path):
    data = through_libreoffice(export_bytes(sampled), tmp_path)
    before = snapshot(sampled)
    plan = read_import(session=sampled, actor=users["secretariat"], data=data, filename="lo.xlsx", today=TODAY)
    assert plan.kind == "items" and plan.ok, [p.text() for p in plan.problems]
    assert plan.changed_rows == [] and plan.data_rows == len(sampled.exec(select(ActionItem.id)).all())
    assert snapshot(sampled) == before


def test_edit_saved_by_libreoffice_is_read_as_typed(sampled, users, tmp_path):
    wb = reopen(export_bytes(sampled))
    ws = wb["Items"]
    col = items_header(ws)
    rows = {ws.cell(r, col["Item ID"]).value: r for r in range(2, ws.max_row + 1)}
    items = {i.id: i for i in sampled.exec(select(ActionItem)).all()}
    target = next(i for i, r in rows.items() if items[i].status == "in_progress" and items[i].progress < 90)
    r = rows[target]
    ws.cell(r, col["Status"]).value = "Completed"
    ws.cell(r, col["Progress (%)"]).value = 1  # typed as 100%: a share with a percent format
    ws.cell(r, col["Progress (%)"]).number_format = "0%"
    ws.cell(r, col["Due date"]).value = "31/12/2027"
    ws.cell(r, col["Owner"]).value = "Cik Nur Aina"
    ws.cell(r, col["Note"]).value = "Bengkel diadakan.\nLaporan dihantar."
    data = through_libreoffice(to_bytes(wb), tmp_path)
    sec = users["secretariat"]
    plan = read_import(session=sampled, actor=sec, data=data, filename="lo.xlsx", today=TODAY)
    assert plan.ok, [p.text() for p in plan.problems]
    [row] = plan.changed_rows
    assert {k: new for k, (_, new) in row.changes.items()} == {
        "status": "completed", "progress": 100, "due_date": date(2027, 12, 31), "owner": "Cik Nur Aina",
        "note": "Bengkel diadakan.\nLaporan dihantar."}
    apply_import(session=sampled, actor=sec, plan=plan, now=NOW)
    sampled.expire_all()
    item = sampled.get(ActionItem, target)
    assert (item.status, item.progress, item.owner_name) == ("completed", 100, "Cik Nur Aina")
