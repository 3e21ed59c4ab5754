"""Sheet-writing helpers on XlsxWriter's public API (constant_memory mode): the report's
formats made once per workbook, column and print setup, and a row writer that writes each
value by its type, so text is always a string cell (never a formula, number or link)."""
from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any, Callable, Optional, Sequence

from models.gate import writable
from services.errors import Count, Plural, ValidationFailed
from services.i18n.translate import N_
from services import labels

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd h:mm:ss"
PERCENT_FORMAT = "0%"
HEADER_FILL = "#D9D9D9"
EDITABLE_HEADER_FILL = "#FFD966"
EDITABLE_FILL = "#FFF7D6"
# The options every report workbook is made with: rows go to a temporary file as they are
# written (memory stays flat with the full history); strings stay strings.
WORKBOOK_OPTIONS = {
    "constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
    "strings_to_numbers": False, "use_zip64": True,
}
SHEET_ROWS = 1_048_576  # Excel's rows per worksheet, the header row included
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_WRAP = {"text_wrap": True, "valign": "top"}


def sheet_title(name: str, taken: set[str]) -> str:
    """A legal, unique sheet name (31 characters, none of []:*?/\\)."""
    base = _BAD_SHEET_CHARS.sub("-", writable(name).replace("'", "’"))[:31] or "Sheet"
    title, n = base, 2
    while title.lower() in taken:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title.lower())
    return title


def _solid(colour: str) -> dict:
    return {"pattern": 1, "bg_color": "#" + colour.lstrip("#").upper()}


class Styles:
    """The report's formats, added to the workbook once (XlsxWriter keeps them per workbook)."""

    def __init__(self, wb):  # noqa: ANN001
        add = wb.add_format
        self.bold = add({"bold": True})
        self.title = add({"bold": True, "font_size": 14})
        self.header = add({"bold": True, **_solid(HEADER_FILL), **_WRAP})
        self.editable_header = add({"bold": True, **_solid(EDITABLE_HEADER_FILL), **_WRAP})
        self.editable = add({**_solid(EDITABLE_FILL), "locked": False})
        self.editable_date = add({**_solid(EDITABLE_FILL), "locked": False, "num_format": DATE_FORMAT})
        self.date = add({"num_format": DATE_FORMAT})
        self.datetime = add({"num_format": DATETIME_FORMAT})
        self.percent = add({"num_format": PERCENT_FORMAT})
        self.wrap = add(_WRAP)
        # one fill per RAG rating; the label is written with the colour, never colour alone
        self.rag = {key: add(_solid(colour)) for key, colour in labels.RAG_COLOURS.items()}

    def for_date(self, fmt: Any) -> Any:
        """A date needs a number format to show as a date: `fmt` when it has one, else date."""
        return fmt if fmt is not None and fmt in (self.editable_date, self.date, self.datetime) else self.date


def setup_sheet(ws, widths: Sequence[float], *, freeze: Optional[tuple[int, int]] = (1, 0),  # noqa: ANN001
                header_row: int = 1) -> None:
    """Widths, frozen rows/columns (as (row, col) counts) and A4 landscape print setup with
    the header row repeated on every page."""
    for i, width in enumerate(widths):
        ws.set_column(i, i, width)
    if freeze:
        ws.freeze_panes(*freeze)
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(header_row - 1)


class Rows:
    """Writes rows top to bottom (constant_memory needs that order). Each value is written
    by its type: text with write_string after `writable` (so a stored character XML cannot
    hold is replaced, never a traceback, and '=1+1' stays text), numbers, booleans, dates."""

    def __init__(self, ws, styles: Styles, *, first_row: int = 0):  # noqa: ANN001
        self.ws, self.styles, self.row = ws, styles, first_row
        self.limit = SHEET_ROWS  # read here, so a test may lower it

    @property
    def full(self) -> bool:
        return self.row >= self.limit

    def append(self, values: Sequence[Any], formats: Optional[dict[int, Any]] = None,
               default: Any = None) -> None:
        """Write `values` on the next row. Raises ValidationFailed when the sheet already holds
        SHEET_ROWS rows: XlsxWriter would drop the row without a word."""
        ws, row, put = self.ws, self.row, self.put
        if row >= self.limit:
            raise ValidationFailed(Plural(
                N_("The sheet {sheet} would hold more than {n} row, the most Excel can open. "
                   "Choose fewer agreements for the report."),
                N_("The sheet {sheet} would hold more than {n} rows, the most Excel can open. "
                   "Choose fewer agreements for the report."), sheet=ws.get_name(), n=Count(self.limit)))
        write_string, write_number = ws.write_string, ws.write_number
        for col, value in enumerate(values):
            fmt = default if formats is None else formats.get(col, default)
            kind = type(value)  # the common kinds inline: ~1,000,000 cells at scale M
            if kind is str and value:
                write_string(row, col, writable(value), fmt)
            elif kind is int:
                write_number(row, col, value, fmt)
            elif value is None or value == "":
                if fmt is not None:
                    ws.write_blank(row, col, None, fmt)
            else:
                put(row, col, value, fmt)
        self.row += 1

    def put(self, row: int, col: int, value: Any, fmt: Any = None) -> None:
        kind = type(value)
        if kind is str:
            self.ws.write_string(row, col, writable(value), fmt)
        elif kind is bool:
            self.ws.write_boolean(row, col, value, fmt)
        elif kind in (int, float):
            self.ws.write_number(row, col, value, fmt)
        elif isinstance(value, (date, datetime)):
            style = self.styles.datetime if isinstance(value, datetime) and fmt is None else self.styles.for_date(fmt)
            self.ws.write_datetime(row, col, value, style)
        else:
            self.ws.write_string(row, col, writable(str(value)), fmt)

    def skip(self, n: int = 1) -> None:
        self.row += n


class Memo(dict):
    """A label per key, made at first use: the report looks each up once, not once a cell."""

    def __init__(self, make: Callable[[Any], Any]):
        super().__init__()
        self.make = make

    def __missing__(self, key: Any) -> Any:
        self[key] = value = self.make(key)
        return value
