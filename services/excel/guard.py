"""Checks an uploaded file passes before openpyxl parses a byte of it: type, size, zip
structure, content types, XML entity declarations and decompression bombs. Each refusal
says what is wrong and what to do instead."""
from __future__ import annotations

import io
import zipfile
from pathlib import PurePath

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from services.errors import ValidationFailed
from services.i18n.translate import N_

ZIP_MAGIC = b"PK\x03\x04"
XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
MACRO_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
MAX_RATIO = 200  # an honest worksheet compresses about 10-30 times
RATIO_FLOOR = 1 << 20  # entries under 1 MB unpacked are too small to matter
MAX_UNPACKED_FACTOR = 10  # total unpacked size at most this times the upload limit
XML_SNIFF = 4096


class ImportRefused(ValidationFailed):
    """The file cannot be imported at all; nothing was read into the database. Its message
    is a catalog key with values: `exc.text(lang)` for the reader, str(exc) in English."""


ENTITY_REFUSAL = N_("The workbook contains XML entity declarations, which Excel never writes "
                    "and which are used in attacks; refused.")


def _by_name(filename: str) -> None:
    ext = PurePath(filename or "").suffix.lower()
    if ext == ".xls":
        raise ImportRefused(N_("This is an old-format Excel file (.xls). Open it in Excel and save it as "
                               "an Excel Workbook (.xlsx), then upload that."))
    if ext == ".csv":
        raise ImportRefused(N_("CSV files are not accepted: open the file in Excel and save it as an "
                               "Excel Workbook (.xlsx), so dates and numbers keep their meaning."))
    if ext in (".xlsm", ".xltm", ".xlsb"):
        raise ImportRefused(N_("Macro-enabled workbooks are not accepted. Save the file as an Excel "
                               "Workbook (.xlsx), which holds no macros, then upload that."))
    if ext != ".xlsx":
        if not ext:
            raise ImportRefused(N_("Only Excel workbooks (.xlsx) can be imported; this file has no extension."))
        raise ImportRefused(N_("Only Excel workbooks (.xlsx) can be imported; this file is '{ext}'."), ext=ext)


def check_upload(*, data: bytes, filename: str, max_mb: int) -> zipfile.ZipFile:
    """Refuse anything that is not a plain, sane .xlsx; return the opened archive."""
    if len(data) > max_mb * 1024 * 1024:
        raise ImportRefused(N_("The file is {size} MB; the limit is {limit} MB. "
                               "Split the workbook or remove unused sheets."),
                            size=f"{len(data) / 1048576:.1f}", limit=max_mb)
    _by_name(filename)
    if not data:
        raise ImportRefused(N_("The file is empty."))
    if not data.startswith(ZIP_MAGIC):
        raise ImportRefused(N_("This file is not an Excel workbook, although its name ends in .xlsx "
                               "(it may be a renamed text or CSV file). Save it from Excel as .xlsx."))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ImportRefused(N_("The workbook is damaged (its archive cannot be read). Open it in Excel, "
                               "save it again and upload the new copy.")) from None
    _check_sizes(archive, max_mb)
    _check_content_types(archive, names)
    _check_xml(archive)
    return archive


def _check_sizes(archive: zipfile.ZipFile, max_mb: int) -> None:
    """Declared sizes bound what zipfile will inflate, so checking them is enough."""
    total = 0
    for info in archive.infolist():
        total += info.file_size
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise ImportRefused(N_("The workbook part '{part}' unpacks to more than {ratio} times its "
                                   "packed size, which is how decompression bombs look; refused."),
                                part=info.filename, ratio=MAX_RATIO)
    if total > MAX_UNPACKED_FACTOR * max_mb * 1024 * 1024:
        raise ImportRefused(N_("The workbook unpacks to {size} MB, more than {limit} MB; refused."),
                            size=f"{total / 1048576:.0f}", limit=MAX_UNPACKED_FACTOR * max_mb)


def _check_content_types(archive: zipfile.ZipFile, names: list[str]) -> None:
    if "[Content_Types].xml" not in names:
        raise ImportRefused(N_("This archive is not an Excel workbook (no [Content_Types].xml)."))
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise ImportRefused(N_("This workbook contains macros. Save it as an Excel Workbook (.xlsx) "
                               "without macros, then upload that."))
    raw = _read(archive, "[Content_Types].xml", XML_SNIFF * 64)
    try:
        root = SafeET.fromstring(raw)
    except DefusedXmlException:
        raise _entity_refusal() from None
    except SafeET.ParseError:
        raise ImportRefused(N_("The workbook is damaged ([Content_Types].xml is not readable).")) from None
    types = {el.get("ContentType") for el in root}
    if MACRO_MAIN in types:
        raise ImportRefused(N_("This is a macro-enabled workbook renamed to .xlsx. Save it as an Excel "
                               "Workbook (.xlsx) without macros, then upload that."))
    if XLSX_MAIN not in types:
        raise ImportRefused(N_("This archive is not an Excel workbook (it declares no worksheet content)."))


def _check_xml(archive: zipfile.ZipFile) -> None:
    """Workbooks never declare a DTD or entities; any that does is refused before parsing.
    (openpyxl parses through defusedxml as well: this gives the clear message.)"""
    for info in archive.infolist():
        if info.filename.lower().endswith((".xml", ".rels", ".vml")):
            head = _read(archive, info.filename, XML_SNIFF).upper()
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                raise _entity_refusal()


def _read(archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    try:
        with archive.open(name) as f:
            return f.read(limit)
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError):
        raise ImportRefused(N_("The workbook is damaged (a part of it cannot be unpacked). Open it in "
                               "Excel, save it again and upload the new copy.")) from None


def _entity_refusal() -> ImportRefused:
    return ImportRefused(ENTITY_REFUSAL)
