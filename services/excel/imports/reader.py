"""Reading a worksheet the way Excel shows it, through openpyxl's public API only (no private
classes, no underscore attributes: an upgrade of openpyxl cannot change what is read).

- The declared size of a sheet (its <dimension>) is never trusted: read-only sheets are
  read after `reset_dimensions()` from row 1, column A, so a stale `A1:A1`, a whole-grid
  `A1:N1048576` or a missing element all read the rows the sheet really holds.
- Values are the cached values Excel shows (`data_only=True`); the cells a formula computes
  are found in a second, formula-preserving read, done only when the sheet's XML holds a
  formula at all (a plain report costs one read).
- Merged ranges (a ministry tracker's title block and two-row header) need openpyxl's normal
  mode; the caller asks for it (`full=True`) only for trackers, whose size is bounded first.

Callers run services/excel/guard.py's checks (real kind, zip bomb, entities) before this."""
from __future__ import annotations

import io
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Optional

import openpyxl
from defusedxml import ElementTree as SafeET

FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
RELS_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


@dataclass(frozen=True)
class SheetChoice:
    name: str
    hidden: bool  # hidden or very hidden in Excel: offered, but never chosen by default


@dataclass
class SheetRows:
    """A sheet's rows; `rows[n - 1]` is row n as a tuple of openpyxl cells (.value and
    .number_format; a missing row is an empty tuple; trailing empty rows are dropped)."""

    title: str
    rows: list[tuple] = field(default_factory=list)
    formulas: dict[tuple[int, int], Any] = field(default_factory=dict)  # (row, col) 1-based -> formula text
    merged: list[Any] = field(default_factory=list)  # openpyxl CellRange, when read in full
    real_rows: int = 0  # rows holding at least one value

    def formula(self, row: int, col: int) -> Optional[str]:
        """The formula that computes the cell at (row, col), 1-based, or None."""
        found = self.formulas.get((row, col))
        return None if found is None else str(getattr(found, "text", found))


class TooManyRows(Exception):
    """More than `max_rows` rows hold values; raised while counting, before reading on."""


def list_sheets(data: bytes) -> list[SheetChoice]:
    """Every worksheet in file order, with Excel's visibility (chart sheets left out), from
    the workbook part alone: loading the workbook would parse every sheet to size it."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        book, rels = _book_parts(archive)
    kinds = {el.get("Id"): el.get("Type", "") for el in rels.iter(f"{RELS_NS}Relationship")}
    return [SheetChoice(el.get("name", ""), el.get("state", "visible") != "visible")
            for el in book.iter() if el.tag.endswith("}sheet")
            and kinds.get(el.get(REL_ID), "").endswith("/worksheet")]


def _book_parts(archive: zipfile.ZipFile):
    """The workbook part (found from the package's relationships, as Excel finds it) and its
    relationships, parsed by defusedxml. Raises KeyError or ParseError for a package without
    them (the caller turns either into a refusal)."""
    package = SafeET.fromstring(archive.read("_rels/.rels"))
    main = next((el.get("Target", "") for el in package.iter(f"{RELS_NS}Relationship")
                 if el.get("Type", "").endswith("/officeDocument")), "xl/workbook.xml").lstrip("/")
    folder, name = main.rsplit("/", 1) if "/" in main else ("", main)
    rels = f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"
    return SafeET.fromstring(archive.read(main)), SafeET.fromstring(archive.read(rels))


def _open(data: bytes, *, full: bool, data_only: bool) -> openpyxl.Workbook:
    """The workbook through openpyxl. Its warnings about the producer's styles ("Workbook
    contains no default style", from Gnumeric and others) are about formatting the import
    does not read: they are silenced, not printed on an official's terminal."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl\.")
        return openpyxl.load_workbook(io.BytesIO(data), read_only=not full, data_only=data_only)


def read_sheet(data: bytes, name: str, *, max_rows: int, full: bool = False) -> SheetRows:
    """The sheet's rows as Excel shows them. Raises TooManyRows past `max_rows` real rows."""
    out = SheetRows(name)
    wb = _open(data, full=full, data_only=True)
    try:
        ws = wb[name]
        if not full:
            ws.reset_dimensions()
        else:
            out.merged = list(ws.merged_cells.ranges)
        _collect(out, ws.iter_rows(min_row=1, min_col=1), max_rows)
    finally:
        wb.close()
    if _has_formulas(data, name):
        out.formulas = _formulas(data, name, full)
    return out


def _collect(out: SheetRows, rows, max_rows: int) -> None:  # noqa: ANN001
    last = 0
    for n, row in enumerate(rows, start=1):
        if any(c.value is not None and c.value != "" for c in row):
            out.real_rows += 1
            if out.real_rows > max_rows:
                raise TooManyRows
            last = n
        out.rows.append(tuple(row))
    del out.rows[last:]


def _formulas(data: bytes, name: str, full: bool) -> dict[tuple[int, int], Any]:
    wb = _open(data, full=full, data_only=False)
    try:
        ws = wb[name]
        if not full:
            ws.reset_dimensions()
        return {(n, col): c.value for n, row in enumerate(ws.iter_rows(min_row=1, min_col=1), start=1)
                for col, c in enumerate(row, start=1) if c.data_type == "f"}
    finally:
        wb.close()


def _has_formulas(data: bytes, name: str) -> bool:
    """Whether the sheet's XML holds a formula element; when the sheet's part cannot be told
    from the workbook's relationships, every worksheet part is looked at."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        part = _sheet_part(archive, name)
        parts = [part] if part else [n for n in archive.namelist() if n.startswith("xl/worksheets/")
                                     and n.endswith(".xml")]
        return any(FORMULA_TAG.search(archive.read(p)) for p in parts)


def _sheet_part(archive: zipfile.ZipFile, name: str) -> Optional[str]:
    try:
        book, rels = _book_parts(archive)
    except (KeyError, SafeET.ParseError):
        return None
    rid = next((el.get(REL_ID) for el in book.iter() if el.tag.endswith("}sheet") and el.get("name") == name), None)
    target = next((el.get("Target") for el in rels.iter(f"{RELS_NS}Relationship") if el.get("Id") == rid), None)
    if not target:
        return None
    part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return part if part in archive.namelist() else None


def saved_at(data: bytes) -> Optional[datetime]:
    """When the file was last saved, as its producer recorded it (docProps/core.xml's
    dcterms:modified, UTC), or None when it does not say."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            core = SafeET.fromstring(archive.read("docProps/core.xml"))
    except (KeyError, SafeET.ParseError, zipfile.BadZipFile):
        return None
    text = next((el.text for el in core.iter() if el.tag.endswith("}modified") and el.text), None)
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00")) if text else None
    except ValueError:
        return None
    return value.replace(tzinfo=value.tzinfo or timezone.utc) if value else None
