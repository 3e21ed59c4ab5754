"""services/excel/imports/reader.py reads every cell as openpyxl's own read-only loading does:
value, type and format, with or without a declared dimension, plain or rich inline text,
shared strings, formulas, dates and gaps; and it still refuses XML entity declarations."""
from __future__ import annotations

import io
import xml.etree.ElementTree as ET
import zipfile
from datetime import date, datetime

import openpyxl
import pytest
from defusedxml.ElementTree import fromstring as defused_fromstring
from defusedxml.common import DefusedXmlException
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from services.excel.imports.reader import check_xml, load_read_only
from tests.unit.excel_fixtures import to_bytes
from tests.unit.test_excel_bad_input import BILLION_LAUGHS, EXTERNAL, with_dimension, with_entities

ROWS = [
    ["Item ID", "Action item", "Progress (%)", "Due date", "Note"],
    [1, "Plain text", 50, date(2027, 3, 31), "  spaced  "],
    [2, "", 0.5, datetime(2027, 1, 2, 9, 30), None],
    [],
    [3, "=1+2", "=A2*2", None, CellRichText(["Rich ", TextBlock(InlineFont(b=True), "bold"), " text"])],
    [None, None, None, None, "Last, after a gap"],
    [4, "Ünïcödé 中文 teks", True, -3.25, "multi\nline"],
]


def write_only_book() -> bytes:
    """As the report is written: no dimension, every text an inline string."""
    wb = openpyxl.Workbook(write_only=True)
    for name in ("Items", "Other"):
        ws = wb.create_sheet(name)
        for row in ROWS:
            ws.append(row)
    return to_bytes(wb)


def normal_book() -> bytes:
    """As openpyxl (and Excel) save it: a dimension and shared strings."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Items"
    for row in ROWS:
        ws.append(row)
    ws["B3"].value = None
    return to_bytes(wb)


def dump(wb) -> list:
    out = []
    for ws in wb.worksheets:
        out.append((ws.title, ws.min_row, ws.max_row, ws.min_column, ws.max_column))
        for row in ws.iter_rows():
            out.append([(type(c).__name__, getattr(c, "coordinate", None), c.value, c.data_type,
                         c.number_format) for c in row])
        out.append(list(ws.iter_rows(values_only=True)))
    return out


BOOKS = {"write_only": write_only_book, "normal": normal_book,
         "write_only_with_dimension": lambda: with_dimension(write_only_book(), "A1:E7")}


@pytest.mark.parametrize("make", BOOKS.values(), ids=BOOKS.keys())
def test_reads_as_openpyxl_does(make):
    data = make()
    ours = load_read_only(io.BytesIO(data))
    theirs = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    assert ours.sheetnames == theirs.sheetnames
    assert dump(ours) == dump(theirs)
    assert any(v == "Rich bold text" for row in ours.worksheets[0].iter_rows(values_only=True) for v in row)


def test_missing_dimension_is_not_searched_for_through_the_rows():
    data = write_only_book()
    ws = load_read_only(io.BytesIO(data))["Items"]
    assert ws.max_row is None  # unsized, as openpyxl leaves it: the import counts while reading
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    assert b"<dimension" not in sheet


def test_entity_declarations_still_raise():
    """Found when the sheet's size is looked for, as openpyxl finds it (wrapped in ValueError)."""
    data = with_entities(EXTERNAL, padding=8000)  # past the guard's sniff: only the parser sees it
    with pytest.raises(ValueError) as raised:
        load_read_only(io.BytesIO(data))
    assert isinstance(raised.value.__cause__, DefusedXmlException)


@pytest.mark.parametrize("doc", [
    BILLION_LAUGHS + b"<root>&lol3;</root>",
    EXTERNAL + b"<root>&xxe;</root>",
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY u SYSTEM "http://x/y" NDATA gif>]><root/>',
], ids=["billion_laughs", "external", "unparsed"])
def test_row_pass_check_refuses_what_defusedxml_refuses(doc):
    """The C tree builder reads rows only after check_xml: it raises where defusedxml does."""
    with pytest.raises(DefusedXmlException):
        defused_fromstring(doc)
    with pytest.raises(DefusedXmlException):
        check_xml(io.BytesIO(doc))


def test_row_pass_check_passes_plain_xml_and_names_broken_xml():
    check_xml(io.BytesIO(b'<?xml version="1.0"?><!DOCTYPE r><root a="1"><c>x &amp; y</c></root>'))
    with pytest.raises(ET.ParseError):
        check_xml(io.BytesIO(b"<root><c></root>"))
