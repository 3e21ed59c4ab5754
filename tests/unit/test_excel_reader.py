"""services/excel/imports/reader.py reads every row a sheet holds, whatever size it declares,
with the values Excel shows (cached formula results; formulas found apart), through openpyxl's
public API; and openpyxl's parser still refuses XML entity declarations."""
from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from defusedxml.common import DefusedXmlException
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from services.excel.imports.reader import TooManyRows, list_sheets, read_sheet
from tests.unit.excel_fixtures import to_bytes
from tests.unit.test_excel_bad_input import EXTERNAL, FIELD, with_dimension, with_entities

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


def theirs(data: bytes, name: str = "Items") -> list[list]:
    """openpyxl's own normal-mode reading of the cached values: the reference."""
    ws = openpyxl.load_workbook(io.BytesIO(data), data_only=True)[name]
    return [[c.value for c in row] for row in ws.iter_rows()]


def ours(data: bytes, name: str = "Items", **kw) -> list[list]:
    return [[c.value for c in row] for row in read_sheet(data, name, max_rows=100, **kw).rows]


def trimmed(rows: list[list]) -> list[list]:
    out = [list(r) for r in rows]
    for r in out:
        while r and r[-1] is None:
            r.pop()
    while out and not out[-1]:
        out.pop()
    return out


BOOKS = {"write_only": write_only_book, "normal": normal_book,
         "write_only_with_dimension": lambda: with_dimension(write_only_book(), "A1:E7"),
         "stale_dimension": lambda: with_dimension(normal_book(), "A1:A1"),
         "whole_grid_dimension": lambda: with_dimension(normal_book(), "A1:N1048576"),
         "offset_dimension": lambda: with_dimension(normal_book(), "C5:D6")}


@pytest.mark.parametrize("make", BOOKS.values(), ids=BOOKS.keys())
@pytest.mark.parametrize("full", [False, True], ids=["read_only", "full"])
def test_reads_every_row_whatever_the_sheet_declares(make, full):
    data = make()
    assert trimmed(ours(data, full=full)) == trimmed(theirs(data))
    rows = read_sheet(data, "Items", max_rows=100, full=full)
    assert rows.real_rows == 6
    assert rows.formula(5, 2) == "=1+2" and rows.formula(5, 3) == "=A2*2" and rows.formula(2, 2) is None


def test_row_limit_counts_real_rows_only():
    data = with_dimension(normal_book(), "A1:N1048576")
    with pytest.raises(TooManyRows):
        read_sheet(data, "Items", max_rows=5)
    assert read_sheet(data, "Items", max_rows=6).real_rows == 6


def test_hidden_sheets_are_named():
    wb = openpyxl.Workbook()
    wb.active.title = "Senarai"
    wb.active.sheet_state = "hidden"
    wb.create_sheet("Pemantauan")
    assert [(s.name, s.hidden) for s in list_sheets(to_bytes(wb))] == [("Senarai", True), ("Pemantauan", False)]


def test_cached_formula_values_are_read():
    """A formula saved by Excel or LibreOffice carries its result: that is the value shown."""
    data = (FIELD / "summary_row_formula_tracker.xlsx").read_bytes()
    rows = read_sheet(data, "Pemantauan", max_rows=100)
    assert rows.formula(4, 4).upper().startswith("=AVERAGE(") and rows.rows[3][3].value == 65


def test_entity_declarations_still_raise():
    """Past the guard's sniff, openpyxl's parser (defusedxml) still refuses them."""
    data = with_entities(EXTERNAL, padding=8000)
    with pytest.raises(Exception) as raised:
        read_sheet(data, "Sheet", max_rows=10)
    chain, cause = [], raised.value
    while cause is not None:
        chain.append(cause)
        cause = cause.__cause__ or cause.__context__
    assert any(isinstance(c, DefusedXmlException) for c in chain)


def test_no_private_openpyxl_api():
    """The reader uses openpyxl's public API only: no private modules, no underscore names."""
    source = (Path(__file__).resolve().parents[2] / "services/excel/imports/reader.py").read_text()
    assert "openpyxl._" not in source and "._" not in source.replace("__", "")
    assert not [n for n in source.split() if n.startswith("_") and n.rstrip(":(,").endswith("_")
                and n.strip("_") and not n.startswith("__")]


def test_the_collector_is_paused_while_reading_and_always_restored():
    import gc

    from services.excel.imports.source import paused_gc

    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), paused_gc():
        raise RuntimeError("a refusal while reading")
    assert gc.isenabled()
    gc.disable()
    try:  # a caller that had paused it itself keeps it paused
        with paused_gc():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
