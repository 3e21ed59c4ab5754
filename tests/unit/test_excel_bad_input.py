"""Every kind of bad upload is refused with a clear message, and the database is unchanged."""
from __future__ import annotations

from pathlib import Path

import io
import zipfile

import openpyxl
import pytest

from services.excel.guard import ImportRefused
from services.excel.imports.items_sheet import ImportLimits, read_import
from tests.conftest import TODAY
from tests.unit.excel_fixtures import snapshot, to_bytes

LIMITS = ImportLimits(max_mb=20, max_rows=20000)
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
FIELD = Path(__file__).resolve().parents[1] / "fixtures" / "field-cases"


def ods() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<office:document-content/>")
    return buf.getvalue()
BILLION_LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
                  b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>')
EXTERNAL = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def rezip(data: bytes, replace: dict[str, bytes] = {}, add: dict[str, bytes] = {}) -> bytes:  # noqa: B006
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, replace.get(info.filename, src.read(info.filename)))
        for name, content in add.items():
            dst.writestr(name, content)
    return out.getvalue()


def simple_workbook() -> bytes:
    wb = openpyxl.Workbook()
    wb.active.append(["Tindakan", "Status"])
    wb.active.append(["Something", "Selesai"])
    return to_bytes(wb)


def with_entities(prefix: bytes, padding: int = 0) -> bytes:
    data = simple_workbook()
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    body = sheet.split(b"?>", 1)[1] if sheet.startswith(b"<?xml") else sheet
    pad = b"<!--" + b" " * padding + b"-->" if padding else b""
    payload = prefix.replace(b"?>", b"?>" + pad, 1) + body  # padding pushes the DTD past the sniff
    if b"lol3" in prefix:
        payload = payload.replace(b"Something", b"&lol3;")
    return rezip(data, replace={"xl/worksheets/sheet1.xml": payload})


def contents_macro(data: bytes) -> bytes:
    types = zipfile.ZipFile(io.BytesIO(data)).read("[Content_Types].xml").replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
    return rezip(data, replace={"[Content_Types].xml": types})


def bomb() -> bytes:
    return rezip(simple_workbook(), add={"xl/media/big.bin": b"\0" * (60 * 1024 * 1024)})


def many_parts() -> bytes:  # each part small enough to pass the ratio check; the total does not
    return rezip(simple_workbook(), add={f"xl/media/p{i}.bin": b"\0" * 900_000 for i in range(12)})


def rows_sheet(n: int, *, write_only: bool) -> bytes:
    wb = openpyxl.Workbook(write_only=write_only)
    ws = wb.create_sheet("Items") if write_only else wb.active
    ws.append(["Tindakan", "Status"])
    for i in range(n):
        ws.append([f"Item {i}", "Selesai"])
    return to_bytes(wb)


CASES = [
    ("old.xls", lambda: OLE + b"\0" * 100, LIMITS, "old-format Excel file (.xls)"),
    ("renamed-xls.xlsx", lambda: OLE + b"\0" * 100, LIMITS, "old-format Excel file (.xls)"),
    ("locked.xlsx", lambda: OLE + "EncryptedPackage".encode("utf-16-le"), LIMITS, "protected with a password"),
    ("tracker.csv", lambda: b"Tindakan,Status\nX,Selesai\n", LIMITS, "This is a CSV or text file"),
    ("tab.xlsx", lambda: "Tindakan\tStatus\n".encode("utf-16"), LIMITS, "This is a CSV or text file"),
    ("calc.ods", lambda: ods(), LIMITS, "OpenDocument spreadsheet"),
    ("page.xls", lambda: b"<html><body><table></table></body></html>", LIMITS, "XML Spreadsheet 2003"),
    ("blob.xlsx", lambda: bytes(range(256)) * 4, LIMITS, "not an Excel workbook"),
    ("strict.xlsx", lambda: FIELD.joinpath("strict_ooxml_tracker.xlsx").read_bytes(), LIMITS, "Strict Open XML"),
    ("macros.xlsm", simple_workbook, LIMITS, "Macro-enabled workbooks are not accepted"),
    ("renamed.xlsx", lambda: contents_macro(simple_workbook()), LIMITS, "macro-enabled workbook renamed"),
    ("vba.xlsx", lambda: rezip(simple_workbook(), add={"xl/vbaProject.bin": b"x"}), LIMITS, "contains macros"),
    ("notes.xlsx", lambda: b"Tindakan,Status\nX,Selesai\n", LIMITS, "This is a CSV or text file"),
    ("cut.xlsx", lambda: simple_workbook()[:1500], LIMITS, "damaged"),
    ("lol.xlsx", lambda: with_entities(BILLION_LAUGHS), LIMITS, "XML entity declarations"),
    ("xxe.xlsx", lambda: with_entities(EXTERNAL), LIMITS, "XML entity declarations"),
    ("padded.xlsx", lambda: with_entities(EXTERNAL, padding=8000), LIMITS, "XML entity declarations"),
    ("bomb.xlsx", bomb, LIMITS, "decompression bombs"),
    ("parts.xlsx", many_parts, ImportLimits(max_mb=1, max_rows=100), "unpacks to 10 MB"),
    ("big.xlsx", lambda: b"PK\x03\x04" + b"\0" * (2 * 1024 * 1024), ImportLimits(max_mb=1, max_rows=100), "the limit is 1 MB"),
    ("empty.xlsx", lambda: to_bytes(openpyxl.Workbook()), LIMITS, "is empty"),
    ("zip.xlsx", lambda: rezip(simple_workbook(), replace={"[Content_Types].xml": b"<Types/>"}), LIMITS, "declares no worksheet"),
]


@pytest.mark.parametrize("filename,make,limits,message", CASES, ids=[c[0] for c in CASES])
def test_bad_file_refused_and_nothing_changes(sampled, users, filename, make, limits, message):
    before = snapshot(sampled)
    with pytest.raises(ImportRefused, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_import(session=sampled, actor=users["secretariat"], data=make(), filename=filename,
                    today=TODAY, limits=limits)
    assert snapshot(sampled) == before


@pytest.fixture(scope="module")
def hundred_thousand_rows() -> bytes:
    return rows_sheet(100_000, write_only=True)


def with_dimension(data: bytes, ref: str) -> bytes:
    """As Excel writes it: the sheet's used range declared before the rows."""
    name = "xl/worksheets/sheet1.xml"
    sheet = zipfile.ZipFile(io.BytesIO(data)).read(name)
    return rezip(data, replace={name: sheet.replace(b"<sheetViews>", f'<dimension ref="{ref}"/><sheetViews>'.encode(), 1)})


def test_sheet_over_the_row_limit_is_refused_whatever_it_declares(sampled, users, hundred_thousand_rows):
    before = snapshot(sampled)
    data = with_dimension(hundred_thousand_rows, "A1:A1")
    # The declared size is never trusted: the real rows are counted.
    with pytest.raises(ImportRefused, match="more than 20,000 data rows"):
        read_import(session=sampled, actor=users["secretariat"], data=data, filename="big.xlsx",
                    today=TODAY, limits=LIMITS)
    assert snapshot(sampled) == before


def test_sheet_without_dimension_is_refused_while_counting(sampled, users, hundred_thousand_rows):
    before = snapshot(sampled)
    with pytest.raises(ImportRefused, match="more than 20,000 data rows"):
        read_import(session=sampled, actor=users["secretariat"], data=hundred_thousand_rows,
                    filename="big.xlsx", today=TODAY, limits=LIMITS)
    assert snapshot(sampled) == before


def test_formula_in_a_tracker_value_column(sampled, users):
    wb = openpyxl.Workbook()
    wb.active.append(["Tindakan", "Peratus Kemajuan"])
    wb.active.append(["Something", "=10*5"])
    before = snapshot(sampled)
    plan = read_import(session=sampled, actor=users["secretariat"], data=to_bytes(wb), filename="f.xlsx", today=TODAY)
    assert [(p.row, p.column) for p in plan.problems] == [(2, "Peratus Kemajuan")]
    assert "formula" in plan.problems[0].reason
    assert snapshot(sampled) == before
