"""manage.py export and import: the preview is printed, --dry-run writes nothing."""
from __future__ import annotations

import openpyxl
import pytest
from sqlmodel import Session, select

import manage
from core.db import make_engine
from core.settings import get_settings
from models import ActionItem
from services.seeding.startup import prepare_database
from tests.conftest import TODAY
from tests.unit.excel_fixtures import snapshot


@pytest.fixture
def cli_db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    engine = make_engine(url)
    prepare_database(engine, sample=True, today=TODAY)
    yield engine
    engine.dispose()
    get_settings.cache_clear()


def test_export_then_dry_run_then_import(cli_db, tmp_path, capsys):
    out = tmp_path / "report.xlsx"
    assert manage.main(["export", "--out", str(out), "--agreement", "MY-CN-AI-2025", "--as", "demo.viewer"]) == 0
    assert "Wrote" in capsys.readouterr().out
    wb = openpyxl.load_workbook(out)
    ws = wb["Items"]
    head = {c.value: c.column for c in ws[1]}
    with Session(cli_db) as s:
        item = next(i for i in s.exec(select(ActionItem).order_by(ActionItem.id)).all()
                    if i.id == ws.cell(2, head["Item ID"]).value)
    ws.cell(2, head["Owner"]).value = "Encik Baharu"
    wb.save(out)
    with Session(cli_db) as s:
        before = snapshot(s)
    assert manage.main(["import", str(out), "--as", "demo.secretariat", "--dry-run"]) == 0
    printed = capsys.readouterr().out
    assert f"item {item.id}" in printed and f"Owner: {item.owner_name} -> Encik Baharu" in printed
    assert "Dry run: nothing was written." in printed
    with Session(cli_db) as s:
        assert snapshot(s) == before
    assert manage.main(["import", str(out), "--as", "demo.secretariat"]) == 0
    with Session(cli_db) as s:
        assert s.get(ActionItem, item.id).owner_name == "Encik Baharu"


def test_import_refusal_is_one_line(cli_db, tmp_path, capsys):
    bad = tmp_path / "notes.xlsx"
    bad.write_text("not a workbook")
    assert manage.main(["import", str(bad), "--as", "demo.admin"]) == 2
    err = capsys.readouterr().err
    assert "error: This is a CSV or text file, not an Excel workbook" in err
    assert len(err.strip().splitlines()) == 1  # a merge once printed it twice


def test_viewer_cannot_import(cli_db, tmp_path, capsys):
    out = tmp_path / "r.xlsx"
    manage.main(["export", "--out", str(out)])
    assert manage.main(["import", str(out), "--as", "demo.viewer", "--dry-run"]) == 2
    assert "secretariat or an administrator" in capsys.readouterr().err


def test_import_prints_problems_in_the_chosen_language(cli_db, tmp_path, capsys):
    from services.excel.common import label
    from services.i18n.translate import gettext

    out = tmp_path / "laporan.xlsx"
    assert manage.main(["export", "--out", str(out), "--lang", "ms"]) == 0
    wb = openpyxl.load_workbook(out)
    ws = wb[label("Items", "ms")]
    head = {c.value: c.column for c in ws[1]}
    ws.cell(2, head[label("Progress (%)", "ms")]).value = 150
    wb.save(out)
    capsys.readouterr()
    with Session(cli_db) as s:
        before = snapshot(s)
    assert manage.main(["import", str(out), "--as", "demo.secretariat", "--dry-run", "--lang", "ms"]) == 1
    printed = capsys.readouterr()
    reason = gettext("ms", "progress must be between 0 and 100 (got {value})", value=150)
    where = gettext("ms", "{sheet}, cell {cell} (column {column})", sheet=label("Items", "ms"), cell="J2",
                    column=label("Progress (%)", "ms"))
    [line] = [s for s in printed.out.splitlines() if s.startswith("  " + gettext("ms", "problem: {problem}", problem=""))]
    assert line.startswith(f"  {gettext('ms', 'problem: {problem}', problem=where)}") and line.endswith(reason)
    assert "masalah: Item, sel J2 (lajur Kemajuan (%)), item '" in printed.out
    assert "progress must be" not in printed.out and "row 2" not in printed.out
    assert gettext("ms", "Nothing was written: fix the problems above and run again.") in printed.err
    with Session(cli_db) as s:
        assert snapshot(s) == before


def test_import_refusal_in_the_chosen_language(cli_db, tmp_path, capsys):
    bad = tmp_path / "nota.xlsx"
    bad.write_text("not a workbook")
    assert manage.main(["import", str(bad), "--as", "demo.admin", "--lang", "zh"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: 这是 CSV 或文本文件，不是 Excel 工作簿") and "text file" not in err


def test_export_without_as_names_the_command_line_user(cli_db, tmp_path, capsys):
    import getpass

    out = tmp_path / "report.xlsx"
    assert manage.main(["export", "--out", str(out), "--lang", "ms"]) == 0
    about = openpyxl.load_workbook(out, read_only=True)["Perihal"]
    rows = {r[0]: r[1] for r in about.iter_rows(values_only=True) if len(r) > 1 and r[0]}
    generated_by = next(v for k, v in rows.items() if k.startswith("Dijana oleh"))
    assert generated_by.startswith(f"Baris arahan ({getpass.getuser()}@")
