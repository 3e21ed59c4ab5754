"""Every refusal and row problem of the Excel import is a catalog key with values, so it reads
in Malay and Chinese with no interface English left; str() of it stays English. What the
catalogs hold decides: a key without a translation, or English left in one, fails here."""
from __future__ import annotations

import openpyxl
import pytest

from services.errors import Message
from services.excel.common import label
from services.excel.guard import ImportRefused
from services.excel.imports.items_sheet import ImportLimits, read_import
from services.i18n.translate import catalog
from tests.conftest import TODAY
from tests.i18n_check import leftovers
from tests.unit.excel_fixtures import export_bytes, reopen, to_bytes
from tests.unit.test_excel_bad_input import CASES, rows_sheet, with_dimension

LANGS = ["ms", "zh"]


def content(message: Message) -> list[str]:
    """The plain-text values in a message and the messages inside it: what the file or the
    database said (a sheet name, a typed value, a title), not interface text."""
    out = []
    for value in message.values.values():
        if isinstance(value, Message):
            out += content(value)
        elif isinstance(value, str):
            out.append(value)
    return out


def keys(message: Message) -> list[str]:
    """The catalog keys of a message and of the messages inside it."""
    inner = [k for v in message.values.values() if isinstance(v, Message) for k in keys(v)]
    return ([message.key] if message.key else []) + inner


def assert_reads_in(message: Message, lang: str, session) -> None:
    assert [k for k in keys(message) if k not in catalog(lang)] == []
    text = message.text(lang)
    assert text != message.text("en")
    for value in sorted(content(message), key=len, reverse=True):
        text = text.replace(value, " ")
    assert leftovers([text], lang, session) == []


def no_header_row() -> bytes:
    wb = openpyxl.Workbook()
    wb.active.append(["Nombor", "Nilai"])
    wb.active.append([1, 2])
    return to_bytes(wb)


SMALL = ImportLimits(max_mb=20, max_rows=10)
REFUSALS = [(c[0], c[1], c[2]) for c in CASES] + [
    ("rows.xlsx", lambda: rows_sheet(30, write_only=True), SMALL),
    ("dimension.xlsx", lambda: with_dimension(rows_sheet(30, write_only=True), "A1:B31"), SMALL),
    ("noheader.xlsx", no_header_row, ImportLimits(max_mb=20, max_rows=100)),
]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("filename,make,limits", REFUSALS, ids=[c[0] for c in REFUSALS])
def test_each_refusal_reads_in_the_language(sampled, users, lang, filename, make, limits):
    with pytest.raises(ImportRefused) as info:
        read_import(session=sampled, actor=users["secretariat"], data=make(), filename=filename,
                    today=TODAY, limits=limits)
    assert_reads_in(info.value.message, lang, sampled)


def _edit(lang: str, column: str, value, *, row: int = 2):
    def edit(ws, head):
        if column == "duplicate":
            ws.append([c.value for c in ws[row]])
        else:
            ws.cell(row, head[label(column, lang)]).value = value
    return edit


ROW_CASES = [
    ("Item ID", 999999),  # unknown item ID
    ("Item ID", "abc"),  # not a whole number
    ("Progress (%)", 150),  # outside 0-100
    ("Progress (%)", "banyak"),  # not a percentage
    ("Progress (%)", "33.3"),  # not a whole percentage
    ("Due date", "minggu depan"),  # unreadable date
    ("Action item", "Tajuk baharu"),  # a locked column edited
    ("Progress (%)", "=40+10"),  # a formula
    ("duplicate", None),  # duplicate row
]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("column,value", ROW_CASES, ids=[f"{c}={v}" for c, v in ROW_CASES])
def test_each_row_problem_reads_in_the_language(sampled, users, lang, column, value):
    wb = reopen(export_bytes(sampled, lang=lang))
    ws = wb[label("Items", lang)]
    head = {c.value: c.column for c in ws[1]}
    _edit(lang, column, value)(ws, head)
    plan = read_import(session=sampled, actor=users["secretariat"], data=to_bytes(wb), filename="r.xlsx",
                       today=TODAY)
    assert plan.problems
    for problem in plan.problems:
        assert isinstance(problem.reason, Message) and isinstance(problem.column, Message)
        assert problem.cells(lang)["Column"] == label(str(problem.column), lang)
        assert_reads_in(problem.message, lang, sampled)


@pytest.mark.parametrize("lang", LANGS)
def test_summary_and_preview_read_in_the_language(sampled, users, lang):
    wb = reopen(export_bytes(sampled, lang=lang))
    ws = wb[label("Items", lang)]
    head = {c.value: c.column for c in ws[1]}
    ws.cell(2, head[label("Owner", lang)]).value = "Encik Baharu"
    plan = read_import(session=sampled, actor=users["secretariat"], data=to_bytes(wb), filename="r.xlsx",
                       today=TODAY)
    assert plan.ok
    assert_reads_in(plan.summary(), lang, sampled)
    [line] = plan.preview(lang)
    assert line["Field"] == label("Owner", lang) and line["New"] == "Encik Baharu"


def test_preview_shows_the_title_in_the_language(sampled, users):
    from models import ActionItem

    ws = reopen(export_bytes(sampled))["Items"]
    head = {c.value: c.column for c in ws[1]}
    item = sampled.get(ActionItem, ws.cell(2, head["Item ID"]).value)
    item.title_ms = "Bengkel bersama dianjurkan"
    sampled.add(item)
    sampled.commit()  # a new version: export again, or the row is a conflict set apart
    wb = reopen(export_bytes(sampled))
    ws = wb["Items"]
    ws.cell(2, head["Owner"]).value = "Encik Baharu"
    plan = read_import(session=sampled, actor=users["secretariat"], data=to_bytes(wb), filename="r.xlsx",
                       today=TODAY)
    titles = {lang: plan.preview(lang)[0]["Action item"] for lang in ("en", "ms", "zh")}
    assert titles == {"en": item.title, "ms": "Bengkel bersama dianjurkan", "zh": f"‹EN› {item.title}"}
