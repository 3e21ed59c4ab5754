"""Fast rows for the report's big sheets, and the save that puts them in the workbook.

openpyxl writes the workbook: every sheet's columns, views, header rows, filters,
validations, protection, print setup, charts and the styles table. Its per-cell writer is
what costs (about 10 us a cell on the benchmark machine; the default report has ~900,000
cells), so the body rows of the sheets that hold them are written here as SpreadsheetML
text with the style ids openpyxl registered for our template cells, and spliced into each
sheet's <sheetData> while openpyxl saves. The result is an ordinary workbook: openpyxl and
Excel read the same values and styles as from cells appended one by one (tests compare).

Rules kept from openpyxl: strings are inline strings (so text that starts like a formula
stays text), dates and datetimes are Excel serials with a date format, a styled empty cell is
still written (the editable fill shows on blank cells), characters XML cannot hold are refused
with openpyxl's IllegalCharacterError.
"""
from __future__ import annotations

import re
import shutil
import tempfile
from copy import copy
from datetime import date, datetime
from typing import Any, Optional, Sequence
from zipfile import ZIP64_LIMIT, ZIP_DEFLATED, ZipFile

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.utils.exceptions import IllegalCharacterError
from openpyxl.writer.excel import ExcelWriter

from services.excel.report.sheets import DATE_FORMAT, DATETIME_FORMAT

FLUSH_ROWS = 2000  # rows joined and encoded at a time
SPOOL_BYTES = 8 * 1024 * 1024  # a body past this goes to a temporary file (full history)
# zlib level 3 instead of the default 6: at scale M the parts compress in 0.24 s instead of
# 0.58 s on the benchmark machine, for a file 15% larger (6.0 MB instead of 5.2 MB)
ZIP_LEVEL = 3
_STYLE_ATTRS = ("font", "fill", "border", "alignment", "protection")


_SPECIAL = re.compile(r"[&<>\r\000-\010\013\014\016-\037]")
_EXCEL_DAY0 = date(1899, 12, 30).toordinal()
_MARCH_1900_AT = {date: date(1900, 3, 1), datetime: datetime(1900, 3, 1)}


def _serial(value: date) -> str:
    """Excel's day number, as openpyxl's to_excel computes it (the same digits)."""
    floor = _MARCH_1900_AT.get(type(value))
    if floor is None or value < floor:  # Excel's 1900 leap-year quirk, subclasses: openpyxl knows
        return f"{to_excel(value):.16g}"
    if type(value) is date:
        return str(value.toordinal() - _EXCEL_DAY0)
    seconds = value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 10**6
    return f"{value.toordinal() - _EXCEL_DAY0 + seconds / 86400:.16g}"


def _escape(text: str) -> str:
    if ILLEGAL_CHARACTERS_RE.search(text):
        raise IllegalCharacterError(f"{text} cannot be used in worksheets.")
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "\r" in text:  # a bare CR would be read back as LF
        text = text.replace("\r", "&#13;")
    return text


class RowStream:
    """Rows for one write_only sheet, from `first_row` on, after the rows appended to it
    through openpyxl (headers). `templates` holds one WriteOnlyCell or None per column;
    only a template's style is used. Nothing may be appended to the sheet through openpyxl
    once a stream is made for it (the save checks the row count)."""

    def __init__(self, ws, templates: Sequence[Optional[WriteOnlyCell]], *, first_row: int):  # noqa: ANN001
        self.ws, self.first_row, self.rows = ws, first_row, 0
        self.templates = list(templates)
        self._letters = [get_column_letter(i) for i in range(1, len(self.templates) + 1)]
        self._ids: dict[tuple[int, str], str] = {}
        self._plain: dict[int, str] = {}  # id(template) -> style attribute, for text and numbers
        self._cells: dict[int, WriteOnlyCell] = {}  # keeps every template seen alive (ids stay unique)
        self._pending: list[str] = []
        self._file = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)

    def _style(self, tpl: Optional[WriteOnlyCell], kind: str) -> str:
        """The ` s="n"` attribute for a template and a value kind ('', 'date', 'datetime')."""
        key = (id(tpl), kind)
        found = self._ids.get(key)
        if found is not None:
            return found
        if tpl is not None and tpl.value is not None:
            raise ValueError("a template cell carries a style only, not a value")
        if tpl is not None:
            self._cells[id(tpl)] = tpl
        fmt = {"date": DATE_FORMAT, "datetime": DATETIME_FORMAT}.get(kind)
        if fmt and (tpl is None or tpl.number_format == "General"):
            styled = WriteOnlyCell(self.ws)
            for name in _STYLE_ATTRS:
                if tpl is not None:
                    setattr(styled, name, copy(getattr(tpl, name)))
            styled.number_format = fmt
            self._cells[id(styled)] = styled
            tpl = styled
        attr = "" if tpl is None or not tpl.has_style else f' s="{tpl.style_id}"'
        self._ids[key] = attr
        if not kind:
            self._plain[id(tpl)] = attr
        return attr

    def append(self, values: Sequence[Any], templates: Optional[dict[int, WriteOnlyCell]] = None) -> None:
        n = self.first_row + self.rows
        out = [f'<row r="{n}">']
        add, letters, base, plain = out.append, self._letters, self.templates, self._plain
        for i, value in enumerate(values):
            tpl = base[i] if templates is None or i not in templates else templates[i]
            kind = type(value)
            # the common types inline (a function call per cell is a tenth of the time here)
            if kind is str and value:
                s = plain.get(id(tpl))
                if s is None:
                    s = self._style(tpl, "")
                space = ' xml:space="preserve"' if value[0].isspace() or value[-1].isspace() else ""
                if _SPECIAL.search(value):
                    value = _escape(value)
                add(f'<c r="{letters[i]}{n}"{s} t="inlineStr"><is><t{space}>{value}</t></is></c>')
            elif kind is int:
                s = plain.get(id(tpl))
                if s is None:
                    s = self._style(tpl, "")
                add(f'<c r="{letters[i]}{n}"{s} t="n"><v>{value}</v></c>')
            elif value is None and tpl is None:
                continue
            else:
                add(self._cell(f"{letters[i]}{n}", value, tpl))
        add("</row>")
        self._pending.append("".join(out))
        self.rows += 1
        if len(self._pending) >= FLUSH_ROWS:
            self._flush()

    def _cell(self, ref: str, value: Any, tpl: Optional[WriteOnlyCell]) -> str:
        if value is None or value == "":
            s = self._style(tpl, "")
            return f'<c r="{ref}"{s}/>' if s else ""
        if isinstance(value, str):
            space = ' xml:space="preserve"' if value != value.strip() else ""
            return f'<c r="{ref}"{self._style(tpl, "")} t="inlineStr"><is><t{space}>{_escape(value)}</t></is></c>'
        if isinstance(value, bool):
            return f'<c r="{ref}"{self._style(tpl, "")} t="b"><v>{int(value)}</v></c>'
        if isinstance(value, int):
            return f'<c r="{ref}"{self._style(tpl, "")} t="n"><v>{value}</v></c>'
        if isinstance(value, float):
            return f'<c r="{ref}"{self._style(tpl, "")} t="n"><v>{value:.16g}</v></c>'
        if isinstance(value, (date, datetime)):
            if getattr(value, "tzinfo", None) is not None:
                raise TypeError("Excel does not support timezones in datetimes.")
            kind = "datetime" if isinstance(value, datetime) else "date"
            return f'<c r="{ref}"{self._style(tpl, kind)} t="n"><v>{_serial(value)}</v></c>'
        raise TypeError(f"cannot write a {type(value).__name__} to a cell")

    def _flush(self) -> None:
        if self._pending:
            self._file.write("".join(self._pending).encode("utf-8"))
            self._pending.clear()

    def finish(self) -> tuple[Any, int]:
        """The body, rewound, as a binary file, and its size in bytes."""
        self._flush()
        size = self._file.tell()
        self._file.seek(0)
        return self._file, size


class _SplicingZip(ZipFile):
    """A zip that puts each stream's rows at the end of its sheet's <sheetData> as openpyxl
    stores the sheet (by path or by bytes: either way openpyxl adds it)."""

    def __init__(self, out: Any, streams: dict[str, RowStream]):
        super().__init__(out, "w", ZIP_DEFLATED, allowZip64=True, compresslevel=ZIP_LEVEL)
        self._streams, self.spliced = streams, set()

    def write(self, filename, arcname=None, *args, **kwargs):  # noqa: ANN001
        if arcname in self._streams:
            with open(filename, "rb") as f:
                return self._splice(arcname, f.read())
        return super().write(filename, arcname, *args, **kwargs)

    def writestr(self, zinfo_or_arcname, data, *args, **kwargs):  # noqa: ANN001
        name = getattr(zinfo_or_arcname, "filename", zinfo_or_arcname)
        if name in self._streams:
            return self._splice(name, data.encode("utf-8") if isinstance(data, str) else data)
        return super().writestr(zinfo_or_arcname, data, *args, **kwargs)

    def _splice(self, name: str, xml: bytes) -> None:
        stream = self._streams[name]
        end = xml.rfind(b"</sheetData>")
        if end < 0:
            end = xml.rfind(b"<sheetData/>")
            if end < 0:
                raise ValueError(f"{name}: no <sheetData> to add rows to")
            xml = xml[:end] + b"<sheetData></sheetData>" + xml[end + len(b"<sheetData/>"):]
            end = xml.rfind(b"</sheetData>")
        head_rows = xml.count(b"<row ", 0, end)
        if head_rows != stream.first_row - 1:
            raise ValueError(f"{name}: {head_rows} rows before the streamed ones, expected {stream.first_row - 1}")
        body, size = stream.finish()
        with self.open(name, "w", force_zip64=len(xml) + size > ZIP64_LIMIT // 2) as dst:
            dst.write(xml[:end])
            shutil.copyfileobj(body, dst, 1024 * 1024)
            dst.write(xml[end:])
        body.close()
        self.spliced.add(name)


def save_workbook(wb, out: Any, streams: Sequence[RowStream]) -> None:  # noqa: ANN001
    """Save a write_only workbook to a path or binary file with the streams' rows in place."""
    # openpyxl names the n-th sheet's part xl/worksheets/sheet{n}.xml as it saves
    index = {id(ws): n for n, ws in enumerate(wb.worksheets, start=1)}
    by_part = {f"xl/worksheets/sheet{index[id(s.ws)]}.xml": s for s in streams}
    if len(by_part) != len(streams):
        raise ValueError("two row streams for one sheet")
    archive = _SplicingZip(out, by_part)
    try:
        ExcelWriter(wb, archive).save()
    except BaseException:
        archive.close()
        raise
    missing = set(by_part) - archive.spliced
    if missing:  # an openpyxl that stores sheets differently: refuse rather than drop rows
        raise RuntimeError(f"rows were not written to {', '.join(sorted(missing))}")
