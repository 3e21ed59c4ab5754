"""Sheet-writing helpers for openpyxl's write_only mode: styles made once, column setup,
print setup, style-carrying template cells for the rows excel_stream writes."""
from __future__ import annotations

import re
from typing import Any, Callable, Optional, Sequence

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter

from services import labels
from services.excel.common import TEXT_TRIGGERS

# openpyxl's own formats for dates: raw date values in big sheets get them without a
# styled cell each (a styled cell per value costs openpyxl an exception in write_only).
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd h:mm:ss"
PERCENT_FORMAT = "0%"
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
EDITABLE_HEADER_FILL = PatternFill("solid", fgColor="FFD966")
EDITABLE_FILL = PatternFill("solid", fgColor="FFF7D6")
BOLD = Font(bold=True)
TITLE_FONT = Font(bold=True, size=14)
UNLOCKED = Protection(locked=False)
WRAP = Alignment(wrap_text=True, vertical="top")
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def sheet_title(name: str, taken: set[str]) -> str:
    """A legal, unique sheet name (31 characters, none of []:*?/\\)."""
    base = _BAD_SHEET_CHARS.sub("-", name)[:31] or "Sheet"
    title, n = base, 2
    while title.lower() in taken:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title.lower())
    return title


def fill_for(hex_colour: str) -> PatternFill:
    return PatternFill("solid", fgColor=hex_colour.lstrip("#").upper())


RAG_FILLS = {key: fill_for(colour) for key, colour in labels.RAG_COLOURS.items()}


def setup_sheet(ws, widths: Sequence[int], *, freeze: Optional[str] = "A2", header_row: int = 1) -> None:  # noqa: ANN001
    """Widths, frozen header and print setup; write_only needs these before the first row."""
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    if freeze:
        ws.freeze_panes = freeze
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_row}:{header_row}"


def cell(ws, value: Any = None, *, font=None, fill=None, number_format=None, protection=None,  # noqa: ANN001
         alignment=None) -> WriteOnlyCell:  # noqa: ANN001
    c = WriteOnlyCell(ws, value=value)
    if isinstance(value, str) and value.startswith(TEXT_TRIGGERS):
        c.data_type = "s"
    for name, style in (("font", font), ("fill", fill), ("number_format", number_format),
                        ("protection", protection), ("alignment", alignment)):
        if style is not None:
            setattr(c, name, style)
    return c


def header_row(ws, headers: Sequence[str], editable: Sequence[bool] = ()) -> list[WriteOnlyCell]:  # noqa: ANN001
    editable = list(editable) or [False] * len(headers)
    return [cell(ws, h, font=BOLD, fill=EDITABLE_HEADER_FILL if e else HEADER_FILL, alignment=WRAP)
            for h, e in zip(headers, editable)]


class Memo(dict):
    """A label per key, made at first use: the report looks each up once, not once a cell."""

    def __init__(self, make: Callable[[Any], Any]):
        super().__init__()
        self.make = make

    def __missing__(self, key: Any) -> Any:
        self[key] = value = self.make(key)
        return value


class SharedStyles:
    """Style-carrying cells for rows written by excel_stream, made once per workbook (openpyxl
    keeps styles per workbook, so a cell made on one sheet styles rows on any sheet)."""

    def __init__(self, ws, headers: Sequence[str]):  # noqa: ANN001
        self.bold = cell(ws, font=BOLD)
        self.date = cell(ws, number_format=DATE_FORMAT)
        self.headers = list(headers)
        header = cell(ws, font=BOLD, fill=HEADER_FILL, alignment=WRAP)
        self.header_styles = dict.fromkeys(range(len(self.headers)), header)
        self.rag = rag_templates(ws)


def rag_templates(ws) -> dict[str, WriteOnlyCell]:  # noqa: ANN001
    """One filled cell per RAG rating; the label is written with the colour, never colour alone."""
    return {key: cell(ws, fill=fill) for key, fill in RAG_FILLS.items()}
