"""User text is text in every workbook the product writes: the Excel report, the audit trail
export and the workbooks behind the meeting pack's native charts. Titles, names, notes and
codes that start like a formula are typed into the data; every cell of every produced
workbook is scanned, and none of them may be a formula (or a hyperlink) built from that text."""
import io
import zipfile
from datetime import datetime, timezone

import openpyxl
import pytest
from pptx.chart.data import CategoryChartData
from pptx.chart.xlsx import CategoryWorkbookWriter
from sqlmodel import select

from models import ActionItem, Agreement, CommitmentArea, Milestone, Organisation
from services.audit.export import export_events_xlsx
from services.audit.trail import AuditFilter, record_event
from services.excel.report.workbook import write_report
from services.meetings.chart_workbook import category_workbook
from services.meetings.pack import build_meeting_pack
from tests.unit.scenario import TODAY, build_scenario

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=timezone.utc)
FORMULA = '=HYPERLINK("http://e.x/QQ","QQ")'  # 31 characters: fits every field it is put in
OTHERS = ["+QQ+1", "-QQ-1", "@QQ", "{=QQ}", "http://e.x/QQlink"]


@pytest.fixture
def hostile(session):
    """The scenario, with formula-like text in every kind of user text the outputs show."""
    sc = build_scenario(session)
    for n, item in enumerate(session.exec(select(ActionItem)).all()):
        item.title = [FORMULA, *OTHERS][n % (1 + len(OTHERS))]
        item.owner_name, item.counterpart_focal_point = FORMULA, OTHERS[0]
        session.add(item)
        session.add(Milestone(item_id=item.id, title=FORMULA, due_date=TODAY))
    for area in session.exec(select(CommitmentArea)).all():
        area.title_en = FORMULA
        session.add(area)
    for org in session.exec(select(Organisation)).all():
        org.name_en = FORMULA
        session.add(org)
    agreement = session.exec(select(Agreement)).first()
    agreement.title_en = FORMULA
    session.add(agreement)
    sec = sc.users["secretariat"]
    sec.display_name = FORMULA
    session.add(sec)
    record_event(session=session, actor=sec, action="sign_in", username=FORMULA, detail=FORMULA,
                 before={"title": FORMULA}, after=OTHERS[0])
    session.commit()
    return sc


def _cells(data: bytes):
    wb = openpyxl.load_workbook(io.BytesIO(data))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                yield ws.title, c


def _check(data: bytes, what: str) -> None:
    carrying = 0
    for sheet, c in _cells(data):
        if c.value is None:
            continue
        text = str(c.value)
        assert c.data_type != "f" or "QQ" not in text, f"{what}: formula at {sheet}!{c.coordinate}: {text}"
        assert c.hyperlink is None or "QQ" not in (c.hyperlink.target or ""), f"{what}: link at {sheet}!{c.coordinate}"
        carrying += "QQ" in text
    assert carrying, f"{what}: the hostile text should reach the workbook"


def _pack_workbooks(pptx: bytes) -> list[bytes]:
    with zipfile.ZipFile(io.BytesIO(pptx)) as z:
        return [z.read(n) for n in z.namelist() if n.startswith("ppt/embeddings/") and n.endswith(".xlsx")]


@pytest.mark.parametrize("lang", ["en", "ms"])
def test_the_excel_report_writes_user_text_as_text(session, hostile, lang):
    out = io.BytesIO()
    write_report(session=session, actor=hostile.users["secretariat"], today=TODAY, now=NOW, out=out,
                 lang=lang, full_history=True)
    _check(out.getvalue(), "report")


def test_the_audit_export_writes_user_text_as_text(session, hostile):
    _check(export_events_xlsx(session=session, actor=hostile.users["secretariat"], filters=AuditFilter(), now=NOW),
           "audit export")


def test_the_pack_chart_workbooks_write_user_text_as_text(session, hostile):
    books = _pack_workbooks(build_meeting_pack(session=session, today=TODAY))
    assert books, "the pack has native charts"
    seen = 0
    for n, book in enumerate(books):
        for _sheet, c in _cells(book):
            assert c.data_type != "f", f"chart workbook {n}: formula {c.value}"
            seen += "QQ" in str(c.value or "")
    assert seen, "area titles reach the charts' data"


def test_chart_workbook_keeps_python_pptx_layout():
    """Same cells as python-pptx's own workbook for ordinary text (so 'Edit data' in PowerPoint
    still matches the chart), but text where python-pptx would write a formula."""
    data = CategoryChartData(number_format='0"%"')
    data.categories = ["Policy", "Talent & skills", FORMULA]
    data.add_series("Progress", [10.0, 55.5, 0])
    data.add_series("Expected", [20.0, 60.0, 5])

    def grid(blob):
        return {(c.coordinate, c.value, c.data_type, c.number_format) for _s, c in _cells(blob) if c.value is not None}
    ours, theirs = grid(category_workbook(data)), grid(CategoryWorkbookWriter(data).xlsx_blob)
    assert ours - theirs == {("A4", FORMULA, "s", "General")}
    assert theirs - ours == {("A4", FORMULA, "f", "General")}
