"""The exported workbook in Malay and Chinese: every label translated (no interface English
left in any cell or sheet name), statuses in the language, and the file still imports."""
from __future__ import annotations

import pytest

from services.excel.common import label, status_labels
from services.excel.imports.items_sheet import is_items_sheet
from tests.i18n_check import leftovers
from tests.unit.excel_fixtures import export_bytes, reopen


def workbook_texts(wb) -> list[str]:
    texts = list(wb.sheetnames)
    for ws in wb.worksheets:
        texts += [v for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, str)]
        texts += [str(dv.formula1) for dv in ws.data_validations.dataValidation]
    return texts


@pytest.mark.parametrize("lang", ["ms", "zh"])
def test_workbook_has_no_english_left(sampled, lang):
    wb = reopen(export_bytes(sampled, lang=lang))
    assert leftovers(workbook_texts(wb), lang, sampled) == []


@pytest.mark.parametrize("lang,summary,items,status", [
    ("ms", "Ringkasan", "Item", "Dalam pelaksanaan"),
    ("zh", "摘要", "行动项", "进行中"),
])
def test_sheets_headers_and_statuses_in_the_language(sampled, lang, summary, items, status):
    wb = reopen(export_bytes(sampled, lang=lang))
    assert wb.sheetnames[0] == summary and items in wb.sheetnames
    header = [c.value for c in wb[items][1]]
    assert header[:2] == [label("Item ID", lang), label("Version", lang)]
    assert is_items_sheet(header)
    statuses = {r[header.index(label("Status", lang))] for r in wb[items].iter_rows(min_row=2, values_only=True)}
    assert status in statuses and statuses <= set(status_labels(lang))


def test_the_english_workbook_is_unchanged_by_the_catalogs(sampled):
    wb = reopen(export_bytes(sampled, lang="en"))
    assert wb.sheetnames[0] == "Summary" and "Items" in wb.sheetnames


@pytest.mark.parametrize("lang", ["ms", "zh"])
def test_agreement_sheets_and_summary_name_areas_in_the_language(sampled, lang):
    """The read-only sheets show agreement and area titles in the reader's language (the
    seeded areas have all three); the Items sheet keeps the stored titles its import checks."""
    from sqlmodel import select

    from models import Agreement, CommitmentArea

    area = sampled.exec(select(CommitmentArea).order_by(CommitmentArea.id)).first()
    agreement = sampled.get(Agreement, area.agreement_id)
    wb = reopen(export_bytes(sampled, lang=lang))
    ws = wb[agreement.code]
    column_a = [r[0] for r in ws.iter_rows(values_only=True)]
    assert column_a[0] == f"{agreement.code} — {getattr(agreement, 'title_' + lang)}"
    assert getattr(area, "title_" + lang) in column_a and area.title_en not in column_a
    summary = [v for row in wb[wb.sheetnames[0]].iter_rows(values_only=True) for v in row]
    assert getattr(area, "title_" + lang) in summary and area.title_en not in summary


@pytest.mark.parametrize("lang,issued", [("zh", "2025年4月17日"), ("ms", "17 April 2025"), ("en", "17 April 2025")])
def test_about_dates_the_source_document_in_the_language(sampled, lang, issued):
    wb = reopen(export_bytes(sampled, lang=lang))
    about = [v for row in wb[wb.sheetnames[-1]].iter_rows(values_only=True) for v in row if isinstance(v, str)]
    source = next(v for v in about if v.startswith("Siaran Media"))
    assert source.endswith(f", {issued})")
