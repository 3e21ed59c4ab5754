"""openpyxl's read-only loading for the import, with the same parser protections and the
same cell values, less three costs measured on a 10,000-row Items sheet:

1. openpyxl's ReadOnlyWorksheet learns a sheet's size from its <dimension> element and, to
   find it, parses the sheet until the END of <sheetData> (every row) when the element is
   missing. openpyxl's write-only mode (our report) never writes one, so loading a report
   parsed every sheet in full before the import read a row. Here the size is looked for
   only up to the START of <sheetData>, where the element must be if there is one.
2. openpyxl's writer (our report again) stores text as inline strings, which openpyxl reads
   through its rich-text classes. A plain one, <is><t>text</t></is>, is read here straight
   from the <t> element to the same value; anything richer goes through openpyxl.
3. The rows are parsed by the standard library's C tree builder instead of defusedxml's
   pure-Python one, but only after defusedxml's own checks (the handlers its parser sets on
   expat: entity declarations and external references raise) have run alone over the same
   bytes on a bare expat parser (check_xml), which calls no Python per element.

Everything else (sheet sizes, shared strings, styles, the workbook's other parts) is parsed
by openpyxl through defusedxml as before. Written for openpyxl 3.1.5 (pinned in
requirements.txt); tests/unit/test_excel_reader.py compares it with openpyxl's loading."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import BinaryIO
from xml.parsers import expat

from defusedxml.ElementTree import DefusedXMLParser
from openpyxl.cell.read_only import EMPTY_CELL
from openpyxl.packaging.relationship import get_dependents, get_rels_path
from openpyxl.reader.excel import ExcelReader
from openpyxl.workbook import Workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import INLINE_STRING, ROW_TAG, WorkSheetParser
from openpyxl.worksheet.dimensions import SheetDimension
from openpyxl.xml.constants import SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse

DIMENSION_TAG = f"{{{SHEET_MAIN_NS}}}dimension"
DATA_TAG = f"{{{SHEET_MAIN_NS}}}sheetData"
TEXT_TAG = f"{{{SHEET_MAIN_NS}}}t"


DEFUSED_HANDLERS = ("StartDoctypeDeclHandler", "EntityDeclHandler", "UnparsedEntityDeclHandler",
                    "ExternalEntityRefHandler")


def check_xml(source: BinaryIO) -> None:
    """defusedxml's checks alone: the handlers its parser sets (with its defaults, as openpyxl
    uses it) copied onto a bare expat parser. Raises what defusedxml raises, or ParseError."""
    guard = DefusedXMLParser().parser
    bare = expat.ParserCreate(None, "}")
    for name in DEFUSED_HANDLERS:
        handler = getattr(guard, name, None)
        if handler is not None:
            setattr(bare, name, handler)
    try:
        bare.ParseFile(source)
    except expat.ExpatError as exc:
        raise ET.ParseError(str(exc)) from None


class _Parser(WorkSheetParser):
    def parse(self):
        """The rows: all a read-only sheet takes from WorkSheetParser.parse (the other parts it
        reads there, such as column widths, are dropped by ReadOnlyWorksheet), parsed by the C
        tree builder; call only on a source that passed check_xml."""
        for _event, element in ET.iterparse(self.source):
            if element.tag == ROW_TAG:
                row = self.parse_row(element)
                element.clear()
                yield row

    def parse_cell(self, element):  # noqa: ANN001
        plain = self._plain_inline(element)
        if plain is None:
            return super().parse_cell(element)
        box, text = plain
        element.remove(box)  # openpyxl then reads the cell (place, style, formula) without it
        cell = super().parse_cell(element)
        if cell["data_type"] == "inlineStr":  # not a formula: the text is the value
            cell["data_type"], cell["value"] = "s", text
        return cell

    def _plain_inline(self, element):  # noqa: ANN001
        if self.rich_text or element.get("t") != "inlineStr":
            return None
        box = element.find(INLINE_STRING)
        if box is None or len(box) != 1 or box[0].tag != TEXT_TAG or len(box[0]):
            return None
        return box, box[0].text or ""


class _Sheet(ReadOnlyWorksheet):
    def _cells_by_row(self, min_col, min_row, max_col, max_row, values_only=False):  # noqa: ANN001
        """ReadOnlyWorksheet._cells_by_row (openpyxl 3.1.5) with _Parser for WorkSheetParser."""
        filler = None if values_only else EMPTY_CELL
        max_col = max_col or self.max_column
        max_row = max_row or self.max_row
        empty_row = (filler,) * (max_col + 1 - min_col) if max_col is not None else []
        counter, idx = min_row, 1
        with self._get_source() as src:
            check_xml(src)
        with self._get_source() as src:
            parser = _Parser(src, self._shared_strings, data_only=self.parent.data_only,
                             epoch=self.parent.epoch, date_formats=self.parent._date_formats,
                             timedelta_formats=self.parent._timedelta_formats)
            for idx, row in parser.parse():
                if max_row is not None and idx > max_row:
                    break
                for _ in range(counter, idx):  # some rows are missing
                    counter += 1
                    yield empty_row
                if counter <= idx:
                    counter += 1
                    yield self._get_row(row, min_col, max_col, values_only)
        if max_row is not None and max_row < idx:
            for _ in range(counter, max_row + 1):
                yield empty_row

    def _get_size(self) -> None:
        src = self._get_source()
        try:
            for _event, element in iterparse(src, events=("start",)):
                if element.tag == DIMENSION_TAG:
                    bounds = SheetDimension.from_tree(element).boundaries
                    self._min_column, self._min_row, self._max_column, self._max_row = bounds
                    return
                if element.tag == DATA_TAG:
                    return  # no dimension: the rows come next, so there is none
        finally:
            src.close()


class _Reader(ExcelReader):
    def read_worksheets(self) -> None:
        """ExcelReader.read_worksheets' read-only branch, with _Sheet for ReadOnlyWorksheet."""
        for sheet, rel in self.parser.find_sheets():
            if rel.target not in self.valid_files:
                continue
            if "chartsheet" in rel.Type:
                self.read_chartsheet(sheet, rel)
                continue
            rels_path = get_rels_path(rel.target)
            if rels_path in self.valid_files:
                get_dependents(self.archive, rels_path)  # parsed as openpyxl does: bad XML still fails here
            ws = _Sheet(self.wb, sheet.name, rel.target, self.shared_strings)
            ws.sheet_state = sheet.state
            self.wb._sheets.append(ws)


def load_read_only(source: BinaryIO, *, data_only: bool = False) -> Workbook:
    """openpyxl.load_workbook(source, read_only=True, data_only=data_only), faster."""
    reader = _Reader(source, read_only=True, data_only=data_only)
    reader.read()
    return reader.wb
