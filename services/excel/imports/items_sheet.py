"""Excel import: read an uploaded workbook into an ImportPlan (validated, nothing written),
then apply a confirmed plan in one transaction. The report's own Items sheet round-trips
by item ID and version (recognised by its header, whatever size the sheet declares); any
other workbook goes through services/excel/imports/tracker.py."""
from __future__ import annotations

from datetime import date
from typing import Any, Iterable, Optional

from sqlmodel import Session

from models import User
from services.errors import Message
from services.excel.common import ITEM_COLUMNS, LANGUAGES, LOCKED_CHECKED, label
from services.excel.guard import ImportRefused
from services.excel.imports.layout import signature
from services.excel.imports.plan import ImportPlan, Progress, RowPlan, report_progress
from services.excel.imports.reader import SheetRows, saved_at
from services.excel.imports.rows import (
    UNKNOWN_ID, CellProblems, cell_of, check_formulas, check_rules, last_changes, load_items, read_targets,
)
from services.excel.imports.source import (
    ImportLimits, choose_sheet, paused_gc, sheet_rows, too_many, workbook_sheets,
)
from services.excel.imports.status_words import remembered
from services.excel.imports.values import blank, parse_int, parse_text
from services.i18n.translate import N_
from services.permissions import require_structure

__all__ = ["ImportLimits", "read_import", "is_items_sheet"]


# what a refused user may not do ("Only the secretariat or an administrator may {what}")
IMPORT_ACTION = Message(N_("import from Excel"))


def is_items_sheet(header: Iterable[Any]) -> bool:
    names = {str(v).strip() for v in header if v is not None}
    return any({label(N_("Item ID"), lang), label(N_("Version"), lang)} <= names for lang in LANGUAGES)


def read_import(
    *, session: Session, actor: User, data: bytes, filename: str, today: date,
    limits: Optional[ImportLimits] = None,
    sheet: Optional[str] = None, header_row: Optional[int] = None,
    mapping: Optional[dict[str, Optional[int]]] = None, statuses: Optional[dict[str, str]] = None,
    progress: Optional[Progress] = None,
) -> ImportPlan:
    """Validate a workbook into a plan; writes nothing. Secretariat and admin only.
    `statuses`: the file's own status words -> status (the value-mapping step; a tracker's
    remembered mapping is used when None). `progress(done, total)` is told how many data rows
    are checked, every few hundred rows. Raises ImportRefused for a file that cannot be read."""
    require_structure(actor, IMPORT_ACTION)
    with paused_gc():
        return _read_import(session=session, data=data, filename=filename, today=today, limits=limits,
                            sheet=sheet, header_row=header_row, mapping=mapping, statuses=statuses,
                            progress=progress)


def _read_import(*, session: Session, data: bytes, filename: str, today: date, limits: Optional[ImportLimits],
                 sheet: Optional[str], header_row: Optional[int], mapping: Optional[dict[str, Optional[int]]],
                 statuses: Optional[dict[str, str]], progress: Optional[Progress]) -> ImportPlan:
    limits = limits or ImportLimits.from_settings()
    sheets = workbook_sheets(data=data, filename=filename, limits=limits)
    chosen = choose_sheet(sheets, sheet)
    rows = sheet_rows(data, chosen, limits)
    if not rows.real_rows:
        raise ImportRefused(N_("Sheet '{sheet}' is empty: there is nothing to import."), sheet=chosen)
    if mapping is None and header_row in (None, 1) and is_items_sheet(c.value for c in rows.rows[0]):
        if rows.real_rows - 1 > limits.max_rows:
            raise too_many(chosen, limits)
        return read_items_rows(session=session, sheet=rows, filename=filename, today=today, statuses=statuses,
                               progress=progress)
    from services.excel.imports.tracker import read_tracker

    # Trackers are read in full (merged title and header cells are only known then).
    full = sheet_rows(data, chosen, limits, full=True)
    return read_tracker(session=session, sheet=full, filename=filename, today=today, header_row=header_row,
                        mapping=mapping, statuses=statuses, limits=limits, saved=saved_at(data), progress=progress)


def read_items_rows(*, session: Session, sheet: SheetRows, filename: str, today: date,
                    statuses: Optional[dict[str, str]] = None, progress: Optional[Progress] = None) -> ImportPlan:
    """The plan for the report's own Items sheet (rows matched by Item ID and version)."""
    rows = sheet.rows
    header = [str(c.value).strip() if c.value is not None else "" for c in rows[0]]
    plan = ImportPlan(kind="items", sheet=sheet.title, filename=filename, signature=signature(header))
    plan.statuses = dict(remembered(session, plan.signature) if statuses is None else statuses)
    index = _items_index(header, plan)
    data_rows = [(n, r) for n, r in enumerate(rows[1:], start=2) if any(not blank(c.value) for c in r)]
    plan.skipped, plan.data_rows = len(rows) - 1 - len(data_rows), len(data_rows)
    if not data_rows:
        raise ImportRefused(N_("Sheet '{sheet}' has no data rows."), sheet=plan.sheet)
    ids = set()
    for _, r in data_rows:
        try:
            ids.add(parse_int(_value(r, index["id"])))
        except ValueError:
            pass
    items = load_items(session, [i for i in ids if i is not None])
    seen: dict[int, int] = {}
    for done, (n, r) in enumerate(data_rows, start=1):
        problems = CellProblems(plan, n, today, cols=index)
        row_plan = _items_row(problems, sheet, r, index, items, seen)
        if row_plan is not None:
            plan.rows.append(row_plan)
        report_progress(progress, done, len(data_rows))
    plan.changed_by = last_changes(session, [r.item_id for r in plan.conflicts])
    return plan


def _items_index(header: list[str], plan: ImportPlan) -> dict[str, int]:
    index = {}
    for col in ITEM_COLUMNS:
        names = {label(col.header, lang) for lang in LANGUAGES}
        found = [i for i, h in enumerate(header) if h in names]
        if not found:
            raise ImportRefused(N_("Sheet '{sheet}' has no column '{column}': upload the Items sheet as "
                                   "exported, without renaming or removing columns."),
                                sheet=plan.sheet, column=Message(col.header))
        index[col.key] = found[0]
    plan.headers, plan.mapping = header, dict(index)
    return index


def _value(row: tuple, i: int) -> Any:
    return row[i].value if i < len(row) else None


EDITABLE = ("status", "progress", "due_date", "owner", "note", "evidence")


def _items_row(problems, sheet, r, index, items, seen) -> Optional[RowPlan]:  # noqa: ANN001
    n = problems.row
    computed = check_formulas(problems, sheet, r, index)
    item_id = problems.parse("id", parse_int, _value(r, index["id"]))
    if item_id is None:
        return None if problems.found else problems.add(
            "id", Message(N_("the Item ID is empty or unreadable: rows are matched by it")))
    info = items.get(item_id)
    if info is None:
        return problems.add("id", Message(UNKNOWN_ID, id=item_id))
    problems.item = info["title"]
    if item_id in seen:
        return problems.add("id", Message(N_("duplicate row: item {id} is also on row {row}"),
                                          id=item_id, row=seen[item_id]))
    seen[item_id] = n
    version = problems.parse("version", parse_int, _value(r, index["version"]))
    target = read_targets(problems, {k: cell_of(r, index[k]) for k in EDITABLE}, statuses=problems.plan.statuses)
    row_plan = RowPlan(row=n, item_id=item_id, title=info["title"], titles=info["titles"], target=target,
                       current=info["current"], expected_version=version, current_version=info["version"],
                       computed=computed)
    if not row_plan.conflict:
        for key in LOCKED_CHECKED:
            shown = parse_text(_value(r, index[key])) or ""
            if shown != (info["locked"][key] or ""):
                problems.add(key, Message(N_("this column is locked (it was '{was}'); change it in the dashboard"),
                                          was=info["locked"][key]))
    check_rules(problems, row_plan, info["item"])
    return None if problems.found else row_plan
