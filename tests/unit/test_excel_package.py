"""The Excel Package sheet: its rows from the package view, laid out by either writer, and
commitment coverage in the Summary's agreement table."""
import io
from datetime import date, datetime, timezone

import openpyxl
import pytest
import xlsxwriter
from sqlmodel import select

from models import Agreement
from services.excel.report.package import package_sheet, write_xlsxwriter
from services.excel.report.workbook import write_report
from services.lifecycle.edit import set_clock
from tests.conftest import TODAY


@pytest.fixture
def clocked(seeded, users):
    de = seeded.exec(select(Agreement).where(Agreement.code == "MY-CN-DE-2025")).one()
    set_clock(session=seeded, actor=users["secretariat"], agreement_id=de.id,
              data={"signed_on": date(2025, 4, 16), "term_years": 5, "notice_days": 180})
    return seeded


def test_package_sheet_rows(clocked):
    sheet = package_sheet(session=clocked, today=TODAY, lang="en")
    assert sheet.notes == ["Malaysia-China agreements, April 2025: 3 of 31 recorded"]
    rows = {r[1]: dict(zip(sheet.headers, r)) for r in sheet.rows}
    de = rows["MY-CN-DE-2025"]
    assert (de["Expires"], de["Notice deadline"], de["Stage"]) == (date(2030, 4, 16), date(2029, 10, 18), "Signed")
    assert de["Days to expiry"] == (date(2030, 4, 16) - TODAY).days
    assert rows["MY-CN-AI-2025"]["Expires"] is None  # not stated, never invented
    assert package_sheet(session=clocked, today=TODAY, codes=["NOPE"]) is None


def test_package_sheet_in_malay(clocked):
    sheet = package_sheet(session=clocked, today=TODAY, lang="ms")
    assert sheet.title == "Pakej" and "Peringkat" in sheet.headers
    assert sheet.notes[0].endswith("3 daripada 31 direkodkan")


def test_xlsxwriter_writer_round_trip(clocked):
    sheet = package_sheet(session=clocked, today=TODAY, lang="en")
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True})
    write_xlsxwriter(wb, wb.add_worksheet(sheet.title), sheet)
    wb.close()
    ws = openpyxl.load_workbook(io.BytesIO(out.getvalue()))["Package"]
    header = [c.value for c in ws[3]]
    assert header == sheet.headers
    data = {r[1]: r for r in ws.iter_rows(min_row=4, values_only=True)}
    de = data["MY-CN-DE-2025"]
    assert de[header.index("Expires")].date() == date(2030, 4, 16)
    assert ws.cell(4, header.index("Commitment coverage") + 1).number_format == "0%"


def test_report_has_the_package_sheet_and_summary_coverage(clocked, users):
    out = io.BytesIO()
    info = write_report(session=clocked, actor=users["viewer"], today=TODAY,
                        now=datetime(2026, 11, 26, 9, tzinfo=timezone.utc), out=out)
    assert info.sheets[-2:] == ["Package", "About"]
    wb = openpyxl.load_workbook(io.BytesIO(out.getvalue()))
    rows = [r for r in wb["Package"].iter_rows(values_only=True) if r and r[1] == "MY-CN-DE-2025"]
    assert rows and rows[0][11].date() == date(2030, 4, 16)
    summary = list(wb["Summary"].iter_rows(values_only=True))
    head = next(i for i, r in enumerate(summary) if r and r[0] == "Code")
    col = summary[head].index("Commitment coverage")
    assert all(r[col] is None or 0 <= r[col] <= 1 for r in summary[head + 1:head + 4])
