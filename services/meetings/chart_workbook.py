"""Native PowerPoint charts whose embedded workbook holds text as text.

python-pptx writes the workbook behind a chart ("Edit data" in PowerPoint) with XlsxWriter's
defaults, under which a category or series name starting with `=` becomes a live formula
and one that looks like an address becomes a hyperlink. add_text_chart adds the chart through
python-pptx's public API, then replaces that workbook (ChartWorkbook.update_from_xlsx_blob,
public) with one written by XlsxWriter with strings_to_formulas and strings_to_urls off, in the
same layout python-pptx uses for single-level category charts: categories in column A from
row 2, one column per series with its name in row 1 (Sheet1). tests/unit/test_workbook_text.py
compares the two layouts cell by cell, so an upgrade that moves them fails there."""
from __future__ import annotations

import io

from pptx.chart.data import CategoryChartData
from xlsxwriter import Workbook

TEXT_ONLY = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}


def category_workbook(data: CategoryChartData) -> bytes:
    """The chart data as an .xlsx in python-pptx's category layout, every string a string.
    Raises NotImplementedError for multi-level categories (the pack draws none)."""
    if data.categories.depth != 1:
        raise NotImplementedError  # a programming error, never shown to a user
    out = io.BytesIO()
    workbook = Workbook(out, TEXT_ONLY)
    sheet = workbook.add_worksheet()
    cat_format = workbook.add_format({"num_format": data.categories.number_format})
    sheet.set_column(0, 0, 10)
    for row, category in enumerate(data.categories, start=1):
        sheet.write(row, 0, category.label, cat_format)
    for col, series in enumerate(data, start=1):
        num_format = workbook.add_format({"num_format": series.number_format})
        sheet.write(0, col, series.name)
        sheet.write_column(1, col, series.values, num_format)
    workbook.close()
    return out.getvalue()


def add_text_chart(shapes, chart_type, x, y, cx, cy, data: CategoryChartData):  # noqa: ANN001, ANN201
    """shapes.add_chart(...), with the chart's workbook rewritten text-safe; returns the frame."""
    frame = shapes.add_chart(chart_type, x, y, cx, cy, data)
    frame.chart.part.chart_workbook.update_from_xlsx_blob(category_workbook(data))
    return frame
