"""Checks an uploaded file passes before openpyxl parses a byte of it: its real kind (from
its bytes, whatever its name), size, zip
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


OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of .xls and of encrypted workbooks
ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
STRICT_NS = b"purl.oclc.org/ooxml"  # Strict Open XML's namespaces (openpyxl reads only Transitional)
BINARY_MAIN = "application/vnd.ms-excel.sheet.binary.macroEnabled.main"
MACRO_EXTS = (".xlsm", ".xltm", ".xlsb")

OLD_XLS = N_("This is an old-format Excel file (.xls), whatever its name says. Open it in Excel and save "
             "it as an Excel Workbook (.xlsx), then upload that.")
PASSWORD = N_("This workbook is protected with a password to open, so it cannot be read. Open it in Excel, "
              "remove the password (File > Info > Protect Workbook > Encrypt with Password, clear it), "
              "save it and upload it again.")
STRICT = N_("This workbook was saved as \"Strict Open XML Spreadsheet\", which this import cannot read. "
            "Open it in Excel and save it as \"Excel Workbook (.xlsx)\", then upload that.")
ODS = N_("This is an OpenDocument spreadsheet (.ods). In LibreOffice choose File > Save As, "
         "type \"Excel 2007-365 (.xlsx)\", then upload that.")
CSV = N_("This is a CSV or text file, not an Excel workbook. Open it in Excel and save it as an Excel "
         "Workbook (.xlsx), so dates and numbers keep their meaning, then upload that.")
XML_2003 = N_("This is an \"XML Spreadsheet 2003\" or a web page saved with a spreadsheet name. Open it in "
              "Excel and save it as an Excel Workbook (.xlsx), then upload that.")
MACROS = N_("Macro-enabled workbooks are not accepted. Save the file as an Excel Workbook (.xlsx), which "
            "holds no macros, then upload that.")
NOT_WORKBOOK = N_("This file is not an Excel workbook. Save it from Excel as an Excel Workbook (.xlsx) "
                  "and upload that.")
TRUNCATED = N_("The workbook is incomplete or damaged (its archive cannot be read; the upload or copy may "
               "have been cut short). Open it in Excel, save it again and upload the new copy.")


def _sniff(data: bytes) -> None:
    """The file's real kind from its first bytes, whatever its name says: refuse every kind
    that is not an Office Open XML archive, each with what to do instead."""
    if data.startswith(OLE_MAGIC):
        encrypted = "EncryptedPackage".encode("utf-16-le") in data
        raise ImportRefused(PASSWORD if encrypted else OLD_XLS)
    if data.startswith(ZIP_MAGIC):
        if data[30:38] == b"mimetype" and ODS_MIME in data[38:120]:
            raise ImportRefused(ODS)
        return
    if data.startswith(b"PK"):
        raise ImportRefused(TRUNCATED)
    head = data[:2048].lstrip(b"\xef\xbb\xbf\xff\xfe\r\n\t ").lower()
    if b"urn:schemas-microsoft-com:office:spreadsheet" in data[:4096] or head.startswith((b"<html", b"<!doctype html")):
        raise ImportRefused(XML_2003)
    if _looks_like_text(data[:8192]):
        raise ImportRefused(CSV)
    raise ImportRefused(NOT_WORKBOOK)


def _looks_like_text(sample: bytes) -> bool:
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True  # UTF-16, as Excel's "Unicode Text" saves
    if b"\0" in sample:
        return False
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(sample) - 4:  # not just a character cut at the end of the sample
            return sum(32 <= b < 127 or b in (9, 10, 13) for b in sample) > 0.9 * len(sample)
    return True


def check_upload(*, data: bytes, filename: str, max_mb: int) -> zipfile.ZipFile:
    """Refuse anything that is not a plain, sane .xlsx; return the opened archive.
    Raises ImportRefused (its message in every language), before any parser runs."""
    if len(data) > max_mb * 1024 * 1024:
        raise ImportRefused(N_("The file is {size} MB; the limit is {limit} MB. "
                               "Split the workbook or remove unused sheets."),
                            size=f"{len(data) / 1048576:.1f}", limit=max_mb)
    if not data:
        raise ImportRefused(N_("The file is empty."))
    _sniff(data)
    if PurePath(filename or "").suffix.lower() in MACRO_EXTS:
        raise ImportRefused(MACROS)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ImportRefused(TRUNCATED) from None
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
    if any(t and t.startswith(BINARY_MAIN) for t in types):
        raise ImportRefused(MACROS)
    if XLSX_MAIN not in types:
        raise ImportRefused(N_("This archive is not an Excel workbook (it declares no worksheet content)."))
    main = next((el.get("PartName", "") for el in root if el.get("ContentType") == XLSX_MAIN), "")
    if main and STRICT_NS in _read(archive, main.lstrip("/"), XML_SNIFF):
        raise ImportRefused(STRICT)


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
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, RuntimeError, NotImplementedError):
        raise ImportRefused(N_("The workbook is damaged (a part of it cannot be unpacked). Open it in "
                               "Excel, save it again and upload the new copy.")) from None


def _entity_refusal() -> ImportRefused:
    return ImportRefused(ENTITY_REFUSAL)
