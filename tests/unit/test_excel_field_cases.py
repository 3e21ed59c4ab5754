"""Every workbook of tests/fixtures/field-cases/ (copied from ../shared/field-cases, where its
README says what the official did and what is right), read as the import reads it: the ones
that failed and the ones that must keep working. Each is one instance of a kind; the kinds
have their own tests (test_excel_bad_input, test_excel_legacy, test_excel_import)."""
from __future__ import annotations

from pathlib import Path

import pytest

from services.excel.guard import ImportRefused
from services.excel.imports.apply import apply_import
from services.excel.imports.items_sheet import read_import
from services.excel.imports.source import workbook_sheets
from tests.conftest import TODAY
from tests.unit.excel_fixtures import NOW, snapshot

FIELD = Path(__file__).resolve().parents[1] / "fixtures" / "field-cases"


def plan_of(session, actor, name: str, **kw):
    return read_import(session=session, actor=actor, data=(FIELD / name).read_bytes(), filename=name,
                       today=TODAY, **kw)


def changes(plan) -> dict:
    return {(r.row, k): new for r in plan.rows for k, (_, new) in r.changes.items()}


def test_the_fixtures_are_here():
    assert len(list(FIELD.glob("*.xlsx"))) == 18, "tests/fixtures/field-cases/ is incomplete"


def test_percent_cells_are_shares(sampled, users):
    plan = plan_of(sampled, users["secretariat"], "percent_100_completed_items.xlsx")
    assert plan.ok, plan.problems
    progress = [new for (_, k), new in changes(plan).items() if k == "progress"]
    assert 100 in progress and 1 not in progress


def test_percent_100_with_in_progress_is_a_named_problem_not_1_percent(sampled, users):
    plan = plan_of(sampled, users["secretariat"], "percent_100_inprogress_items.xlsx")
    assert all(new != 1 for (_, k), new in changes(plan).items() if k == "progress")
    assert any("100%" in str(p.reason) for p in plan.problems)


@pytest.mark.parametrize("name", ["dimension_short_items.xlsx", "dimension_whole_sheet_items.xlsx"])
def test_declared_size_is_never_trusted(sampled, users, name):
    plan = plan_of(sampled, users["secretariat"], name)
    assert plan.kind == "items" and plan.data_rows == 26 and plan.ok
    assert plan.changed_rows, "the rows past the declared size were read"


@pytest.mark.parametrize("name,message", [
    ("strict_ooxml_tracker.xlsx", "Strict Open XML"),
    ("password_protected_tracker.xlsx", "protected with a password"),
])
def test_unreadable_kinds_are_refused_in_every_language(sampled, users, name, message):
    before = snapshot(sampled)
    with pytest.raises(ImportRefused) as exc:
        plan_of(sampled, users["secretariat"], name)
    assert message in str(exc.value)
    assert exc.value.text("ms") != str(exc.value) and exc.value.text("zh") != str(exc.value)
    assert snapshot(sampled) == before


def test_crlf_escape_is_one_line_break(sampled, users):
    plan = plan_of(sampled, users["secretariat"], "crlf_note_items.xlsx")
    notes = [new for (_, k), new in changes(plan).items() if k == "note"]
    assert notes and all("_x000D_" not in n and "\r" not in n for n in notes)
    assert any("\n" in n for n in notes)


def test_long_title_is_a_problem_naming_cell_and_limit_and_never_cut(sampled, users):
    before = snapshot(sampled)
    plan = plan_of(sampled, users["secretariat"], "long_title_tracker.xlsx")
    assert not plan.ok
    text = plan.problems[0].text("en")
    assert "A2" in text and "662" in text and "500" in text
    assert plan.problems[0].text("ms") != text
    assert snapshot(sampled) == before


def test_hidden_first_sheet_is_not_the_default(sampled, users):
    data = (FIELD / "hidden_first_sheet_tracker.xlsx").read_bytes()
    sheets = workbook_sheets(data=data, filename="t.xlsx")
    assert [(s.name, s.hidden) for s in sheets] == [("Senarai", True), ("Pemantauan MoU", False)]
    plan = plan_of(sampled, users["secretariat"], "hidden_first_sheet_tracker.xlsx")
    assert plan.sheet == "Pemantauan MoU" and plan.rows


def test_average_row_is_left_out_and_said(sampled, users):
    plan = plan_of(sampled, users["secretariat"], "summary_row_formula_tracker.xlsx")
    assert plan.ok, plan.problems
    assert [label for _, label in plan.left_out] == ["Purata kemajuan keseluruhan"]
    assert all("Purata" not in r.title for r in plan.rows)
    assert any("left out" in n.text("en") for n in plan.notes())


@pytest.mark.parametrize("name", [
    "lo_roundtrip_report.xlsx", "lo_edited_report.xlsx", "gnumeric_roundtrip_report.xlsx",
    "date1904_tracker.xlsx", "rich_text_note_items.xlsx", "quote_prefix_text_numbers_tracker.xlsx",
    "cjk_emoji_tracker.xlsx", "excel_table_filter_tracker.xlsx",
])
def test_what_worked_keeps_working(sampled, users, name):
    plan = plan_of(sampled, users["secretariat"], name)
    assert plan.ok, [p.text() for p in plan.problems]


def test_lo_edit_reads_its_typed_values(sampled, users):
    plan = plan_of(sampled, users["secretariat"], "lo_edited_report.xlsx")
    values = set(changes(plan).values())
    assert {100, 95, "Cik Nur Aina"} <= values
    assert any(getattr(v, "year", None) == 2027 and v.month == 12 and v.day == 31 for v in values)


def test_date_1904_reads_the_dates_excel_shows(sampled, users):
    plan = plan_of(sampled, users["secretariat"], "date1904_tracker.xlsx")
    dues = sorted(new for (_, k), new in changes(plan).items() if k == "due_date")
    assert [d.isoformat() for d in dues] == ["2027-06-30", "2027-08-31", "2027-09-30"]


def test_reimporting_a_tracker_never_duplicates(sampled, users):
    sec = users["secretariat"]
    plan = plan_of(sampled, sec, "cjk_emoji_tracker.xlsx")
    new = len(plan.new_rows)
    assert new == 2
    from models import CommitmentArea
    from sqlmodel import select

    area_id = sampled.exec(select(CommitmentArea.id)).first()
    apply_import(session=sampled, actor=sec, plan=plan, now=NOW, area_id=area_id)
    again = plan_of(sampled, sec, "cjk_emoji_tracker.xlsx")
    assert again.new_rows == [] and all(r.matched_by == "title" for r in again.rows)


def test_a_producers_style_warning_is_not_printed(sampled, users):
    """Gnumeric writes no default style: openpyxl warned, and the command line printed a Python
    warning with a library path above the import's first line."""
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        plan = plan_of(sampled, users["secretariat"], "gnumeric_roundtrip_report.xlsx")
    assert plan.ok and [str(w.message) for w in caught if issubclass(w.category, UserWarning)] == []
