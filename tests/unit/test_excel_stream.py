"""Rows written by services.excel_stream read back exactly like the same rows appended cell
by cell through openpyxl: values, types, number formats, fills, fonts and protection."""
from __future__ import annotations

import io
import zipfile
from copy import copy
from datetime import date, datetime, timezone

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils.datetime import to_excel
from openpyxl.utils.exceptions import IllegalCharacterError

from bench.excel_floor import write_floor
from services.excel.report import stream
from services.excel.report.sheets import BOLD, DATE_FORMAT, EDITABLE_FILL, RAG_FILLS, UNLOCKED, cell
from services.excel.report.stream import RowStream, save_workbook
from tests.unit.excel_fixtures import NOW, export_bytes
from tests.conftest import TODAY

ROWS = [
    ["plain", 1, 2.5, True, date(2026, 4, 16), datetime(2026, 4, 16, 9, 30, 15, 250000), None, "x"],
    ["    leading spaces", -7, 1e-7, False, date(1900, 1, 5), datetime(2030, 1, 1), "", "trailing "],
    ["=1+1", "+60 12", "-minus", "@at", "a & b < c > d", "line\r\nbreak\ttab", "#N/A", "Zhōngguó 中国"],
    [None, None, None, None, None, None, None, None],
    [0, 10**15, 123456789.123, "True", "2026-04-16", " ", "<t>", "'quoted"],
]


def _templates(ws):
    editable = cell(ws, fill=EDITABLE_FILL, protection=UNLOCKED)
    editable_date = cell(ws, fill=EDITABLE_FILL, protection=UNLOCKED, number_format=DATE_FORMAT)
    return [None, cell(ws, font=BOLD), None, editable, editable_date, editable, cell(ws, fill=RAG_FILLS["red"]), None]


def _by_openpyxl(rows: list) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("S")
    ws.append(["head"])
    styles = _templates(ws)
    for row in rows:
        out = []
        for value, tpl in zip(row, styles):
            if tpl is None:
                out.append(cell(ws, value) if isinstance(value, str) else value)
                continue
            c = cell(ws, value)
            for name in ("font", "fill", "protection", "alignment", "border"):
                setattr(c, name, copy(getattr(tpl, name)))
            if tpl.number_format != "General":
                c.number_format = tpl.number_format
            out.append(c)
        ws.append(out)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _by_stream(rows: list) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("S")
    ws.append(["head"])
    row_stream = RowStream(ws, _templates(ws), first_row=2)
    for row in rows:
        row_stream.append(row)
    buf = io.BytesIO()
    save_workbook(wb, buf, [row_stream])
    return buf.getvalue()


def _cells(data: bytes) -> list[tuple]:
    """Every cell's look; the type only of cells that hold a value (an empty cell has none)."""
    ws = openpyxl.load_workbook(io.BytesIO(data))["S"]
    return [(c.coordinate, c.value, c.data_type if c.value is not None else None, c.number_format,
             c.fill.fgColor.rgb, c.font.b, c.protection.locked)
            for row in ws.iter_rows() for c in row]


def test_streamed_rows_read_back_like_openpyxl_cells():
    expected = _cells(_by_openpyxl(ROWS))
    got = _cells(_by_stream(ROWS))
    assert len(got) == len(expected) > 30
    diff = [(e, g) for e, g in zip(expected, got) if e != g]
    # openpyxl makes '#N/A' an error cell unless told; user text stays text in the stream
    assert [(e[0], e[2], g[2]) for e, g in diff] == [("G4", "e", "s")]
    assert ("A4", "=1+1", "s") == next(c[:3] for c in got if c[0] == "A4")


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.dates(), st.datetimes()))
def test_day_numbers_are_openpyxls(value):
    assert stream._serial(value) == f"{to_excel(value):.16g}"


def test_styled_empty_cells_are_kept_and_plain_ones_left_out():
    data = _by_stream(ROWS)
    xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert '<c r="D5" s=' in xml and 'r="A5"' not in xml  # row 5 holds only None
    ws = openpyxl.load_workbook(io.BytesIO(data))["S"]
    assert ws["D5"].value is None and ws["D5"].fill.fgColor.rgb.endswith(EDITABLE_FILL.fgColor.rgb[-6:])
    assert ws["D5"].protection.locked is False
    assert ws["E3"].value == date(1900, 1, 5) or ws["E3"].value.date() == date(1900, 1, 5)


def test_refuses_what_a_sheet_cannot_hold():
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("S")
    row_stream = RowStream(ws, [None, None], first_row=1)
    with pytest.raises(IllegalCharacterError):
        row_stream.append(["bell \x07"])
    with pytest.raises(TypeError):
        row_stream.append([datetime(2026, 1, 1, tzinfo=timezone.utc)])
    with pytest.raises(TypeError):
        row_stream.append([object()])
    with pytest.raises(ValueError):
        RowStream(ws, [WriteOnlyCell(ws, value="x")], first_row=1).append([1])


def test_rows_appended_through_openpyxl_after_the_stream_are_refused():
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("S")
    ws.append(["head"])
    row_stream = RowStream(ws, [None], first_row=2)
    row_stream.append(["body"])
    ws.append(["late"])  # would share row 2 with the stream's first row
    with pytest.raises(ValueError, match="rows before the streamed ones"):
        save_workbook(wb, io.BytesIO(), [row_stream])


def test_large_bodies_go_through_a_temporary_file(monkeypatch):
    monkeypatch.setattr(stream, "SPOOL_BYTES", 1000)
    monkeypatch.setattr(stream, "FLUSH_ROWS", 7)
    wb = Workbook(write_only=True)
    first, second = wb.create_sheet("A"), wb.create_sheet("B")
    streams = [RowStream(first, [None, None], first_row=1), RowStream(second, [None], first_row=1)]
    for n in range(500):
        streams[0].append([n, f"row {n}"])
    streams[1].append(["only"])
    buf = io.BytesIO()
    save_workbook(wb, buf, streams)
    back = openpyxl.load_workbook(io.BytesIO(buf.getvalue()), read_only=True)
    rows = list(back["A"].iter_rows(values_only=True))
    assert len(rows) == 500 and rows[499] == (499, "row 499")
    assert list(back["B"].iter_rows(values_only=True)) == [("only",)]


def test_the_bench_floor_has_the_report_sheets_and_rows(sampled):
    report = openpyxl.load_workbook(io.BytesIO(export_bytes(sampled)), read_only=True)
    buf = io.BytesIO()
    write_floor(session=sampled, today=TODAY, now=NOW, out=buf)
    floor = openpyxl.load_workbook(io.BytesIO(buf.getvalue()), read_only=True)

    def shapes(wb):
        return {name: (len(rows := list(wb[name].iter_rows(values_only=True))), max(map(len, rows), default=0))
                for name in wb.sheetnames}

    assert shapes(floor) == shapes(report)
