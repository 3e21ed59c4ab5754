"""From uploaded bytes to a chosen sheet's rows: the guard's checks (the file's real kind, zip
bombs, entities) before any parser, then services/excel/imports/reader.py; every parse
failure becomes one clear refusal (ImportRefused), never a traceback."""
from __future__ import annotations

import gc
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator, Optional

from services.excel.common import items_sheet_names
from services.excel.guard import ENTITY_REFUSAL, ImportRefused, check_upload
from services.excel.imports.reader import SheetChoice, SheetRows, TooManyRows, list_sheets, read_sheet
from services.i18n.translate import N_

HEADER_ALLOWANCE = 30  # title and header rows above the data, counted apart from the row limit


@dataclass
class ImportLimits:
    max_mb: int
    max_rows: int

    @classmethod
    def from_settings(cls) -> "ImportLimits":
        from core.settings import get_settings

        s = get_settings()
        return cls(max_mb=s.upload_max_mb, max_rows=s.import_max_rows)


@contextmanager
def parse_errors() -> Iterator[None]:
    """Any failure while openpyxl parses becomes ImportRefused (entity declarations named)."""
    from defusedxml.common import DefusedXmlException

    try:
        yield
    except (DefusedXmlException, zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError,
            SyntaxError, AttributeError, EOFError, IndexError) as exc:
        # openpyxl wraps parse errors in ValueError: look down the chain for the real cause
        cause: Optional[BaseException] = exc
        while cause is not None and not isinstance(cause, DefusedXmlException):
            cause = cause.__cause__ or cause.__context__
        if cause is not None:
            raise ImportRefused(ENTITY_REFUSAL) from None
        raise ImportRefused(N_("The workbook is damaged or not a plain Excel workbook. Open it in Excel, "
                               "save it as .xlsx again and upload the new copy.")) from None


@contextmanager
def paused_gc() -> Iterator[None]:
    """Python's cyclic garbage collector paused while a sheet is read and checked.

    A 10,000-row sheet is ~130,000 cell objects kept until the plan is built; each automatic
    collection walks all of them again, though none is garbage and none is in a cycle
    (measured: a third of the read's CPU time). Reference counting still frees everything
    as usual; cycles left meanwhile are collected once the collector runs again. Another
    thread's import may end the pause early: that costs only speed."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def workbook_sheets(*, data: bytes, filename: str, limits: Optional[ImportLimits] = None) -> list[SheetChoice]:
    """The workbook's sheets (name, hidden) after the guard's checks. Raises ImportRefused."""
    limits = limits or ImportLimits.from_settings()
    check_upload(data=data, filename=filename, max_mb=limits.max_mb)
    with parse_errors():
        sheets = list_sheets(data)
    if not sheets:
        raise ImportRefused(N_("The workbook has no worksheet to import."))
    return sheets


def default_sheet(sheets: list[SheetChoice]) -> str:
    """The report's Items sheet when there is one, else the first visible sheet."""
    names = items_sheet_names()
    found = next((s for s in sheets if s.name in names and not s.hidden), None)
    found = found or next((s for s in sheets if not s.hidden), sheets[0])
    return found.name


def choose_sheet(sheets: list[SheetChoice], sheet: Optional[str]) -> str:
    if sheet is None:
        return default_sheet(sheets)
    if sheet not in {s.name for s in sheets}:
        raise ImportRefused(N_("The workbook has no sheet '{sheet}' (it has: {names})."),
                            sheet=sheet, names=", ".join(s.name for s in sheets))
    return sheet


def sheet_rows(data: bytes, sheet: str, limits: ImportLimits, *, full: bool = False) -> SheetRows:
    """The sheet's rows (every row it holds, whatever size it declares). Raises ImportRefused
    when more than the row limit hold values."""
    try:
        with parse_errors():
            return read_sheet(data, sheet, max_rows=limits.max_rows + HEADER_ALLOWANCE, full=full)
    except TooManyRows:
        raise too_many(sheet, limits) from None


def too_many(sheet: str, limits: ImportLimits) -> ImportRefused:
    return ImportRefused(N_("Sheet '{sheet}' has more than {limit} data rows; an import takes at most {limit}. "
                            "Split it into smaller files."), sheet=sheet, limit=f"{limits.max_rows:,}")
