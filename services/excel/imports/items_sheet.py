"""Excel import: read an uploaded workbook into an ImportPlan (validated, nothing written),
then apply a confirmed plan in one transaction. The report's own Items sheet round-trips
by item ID and version; any other workbook goes through services/excel/imports/tracker.py."""
from __future__ import annotations

import io
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace
from typing import Any, Iterable, Iterator, Optional

from sqlmodel import Session, select

from models import ActionItem, Agreement, CommitmentArea, Organisation, User
from services.errors import Message, Text, ValidationFailed
from services.excel.common import (
    ITEM_COLUMNS, LANGUAGES, LOCKED_CHECKED, items_sheet_names, label, parse_status, status_labels,
)
from services.i18n.translate import N_
from services.excel.guard import ENTITY_REFUSAL, ImportRefused, check_upload
from services.excel.imports.plan import ImportPlan, Localized, Problem, RowPlan
from services.excel.imports.values import BadValue, blank, parse_date, parse_int, parse_progress, parse_text
from services.items.progress import check_evidence_url, check_progress_change
from services.permissions import require_structure


@dataclass
class ImportLimits:
    max_mb: int
    max_rows: int

    @classmethod
    def from_settings(cls) -> "ImportLimits":
        from core.settings import get_settings

        s = get_settings()
        return cls(max_mb=s.upload_max_mb, max_rows=s.import_max_rows)


def open_workbook(data: bytes, filename: str, limits: ImportLimits, *, read_only: bool = True):  # noqa: ANN201
    """The guard's checks, then openpyxl; any parse failure becomes one clear refusal."""
    import openpyxl

    from services.excel.imports.reader import load_read_only

    check_upload(data=data, filename=filename, max_mb=limits.max_mb)
    with parse_errors():
        if read_only:
            return load_read_only(io.BytesIO(data))
        return openpyxl.load_workbook(io.BytesIO(data), read_only=False, data_only=False)


@contextmanager
def parse_errors() -> Iterator[None]:
    """openpyxl parses read-only sheets lazily, so reading rows needs this as much as loading."""
    from defusedxml.common import DefusedXmlException

    try:
        yield
    except (DefusedXmlException, zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError,
            SyntaxError, AttributeError, EOFError) as exc:
        # openpyxl wraps parse errors in ValueError: look down the chain for the real cause
        cause: Optional[BaseException] = exc
        while cause is not None and not isinstance(cause, DefusedXmlException):
            cause = cause.__cause__ or cause.__context__
        if cause is not None:
            raise ImportRefused(ENTITY_REFUSAL) from None
        raise ImportRefused(N_("The workbook is damaged or not a plain Excel workbook. Open it in Excel, "
                               "save it as .xlsx again and upload the new copy.")) from None


def bounded_rows(ws, limits: ImportLimits, header_row: int = 1) -> list[tuple]:  # noqa: ANN001
    """The sheet's rows as cells, refusing an oversized sheet from its declared dimension
    before reading, and by count while reading (dimensions can be missing or wrong)."""
    declared = ws.max_row if getattr(ws, "max_row", None) else None
    if declared and declared - header_row > limits.max_rows:
        raise _too_many(ws.title, declared - header_row, limits)
    rows = []
    with parse_errors():
        for row in ws.iter_rows():
            rows.append(row)
            if len(rows) - header_row > limits.max_rows:
                raise _too_many(ws.title, None, limits)
    return rows


def _too_many(sheet: str, n: Optional[int], limits: ImportLimits) -> ImportRefused:
    if n:
        return ImportRefused(N_("Sheet '{sheet}' has {n} data rows; an import takes at most {limit}. "
                                "Split it into smaller files."), sheet=sheet, n=f"{n:,}", limit=f"{limits.max_rows:,}")
    return ImportRefused(N_("Sheet '{sheet}' has more than {limit} data rows; an import takes at most {limit}. "
                            "Split it into smaller files."), sheet=sheet, limit=f"{limits.max_rows:,}")


# what a refused user may not do ("Only the secretariat or an administrator may {what}")
IMPORT_ACTION = Message(N_("import from Excel"))
FORMULA = N_("a formula where a value is expected: paste the value instead")
UNKNOWN_ID = N_("unknown item ID {id}")


def is_items_sheet(header: Iterable[Any]) -> bool:
    names = {str(v).strip() for v in header if v is not None}
    return any({label(N_("Item ID"), lang), label(N_("Version"), lang)} <= names for lang in LANGUAGES)


def read_import(
    *, session: Session, actor: User, data: bytes, filename: str, today: date,
    limits: Optional[ImportLimits] = None,
    sheet: Optional[str] = None, header_row: Optional[int] = None,
    mapping: Optional[dict[str, Optional[int]]] = None,
) -> ImportPlan:
    """Validate a workbook into a plan; writes nothing. Secretariat and admin only."""
    require_structure(actor, IMPORT_ACTION)
    limits = limits or ImportLimits.from_settings()
    wb = open_workbook(data, filename, limits)
    try:
        names = wb.sheetnames
        if sheet is not None and sheet not in names:
            raise ImportRefused(N_("The workbook has no sheet '{sheet}' (it has: {names})."),
                                sheet=sheet, names=", ".join(names))
        chosen = sheet or next((n for n in names if n in items_sheet_names()), names[0])
        ws = wb[chosen]
        rows = bounded_rows(ws, limits)
        if not any(not blank(c.value) for r in rows for c in r):
            raise ImportRefused(N_("Sheet '{sheet}' is empty: there is nothing to import."), sheet=chosen)
        if mapping is None and header_row in (None, 1) and is_items_sheet(c.value for c in rows[0]):
            return read_items_rows(session=session, rows=rows, sheet=chosen, filename=filename, today=today)
    finally:
        wb.close()
    from services.excel.imports.tracker import read_tracker

    # Trackers are read in full (merged title rows are only known then); the size is bounded above.
    full = open_workbook(data, filename, limits, read_only=False)
    return read_tracker(session=session, ws=full[chosen], filename=filename, today=today,
                        header_row=header_row, mapping=mapping)


def read_items_rows(*, session: Session, rows: list[tuple], sheet: str, filename: str, today: date) -> ImportPlan:
    plan = ImportPlan(kind="items", sheet=sheet, filename=filename)
    header = [str(c.value).strip() if c.value is not None else "" for c in rows[0]]
    index = _items_index(header, plan)
    data_rows = [(n, r) for n, r in enumerate(rows[1:], start=2) if any(not blank(c.value) for c in r)]
    plan.skipped = len(rows) - 1 - len(data_rows)
    if not data_rows:
        raise ImportRefused(N_("Sheet '{sheet}' has no data rows."), sheet=sheet)
    ids = set()
    for _, r in data_rows:
        try:
            ids.add(parse_int(_value(r, index["id"])))
        except ValueError:
            pass
    items = load_items(session, [i for i in ids if i is not None])
    seen: dict[int, int] = {}
    for n, r in data_rows:
        row_plan = _items_row(CellProblems(plan, n, today), r, index, items, seen)
        if row_plan is not None:
            plan.rows.append(row_plan)
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


def _items_row(problems, r, index, items, seen) -> Optional[RowPlan]:  # noqa: ANN001
    n = problems.row
    for key, i in index.items():
        if i < len(r) and r[i].data_type == "f":
            problems.add(key, Message(FORMULA))
    if problems.found:
        return None
    item_id = problems.parse("id", parse_int, _value(r, index["id"]))
    if item_id is None:
        return problems.add("id", Message(N_("the Item ID is empty or unreadable: rows are matched by it")))
    info = items.get(item_id)
    if info is None:
        return problems.add("id", Message(UNKNOWN_ID, id=item_id))
    if item_id in seen:
        return problems.add("id", Message(N_("duplicate row: item {id} is also on row {row}"),
                                          id=item_id, row=seen[item_id]))
    seen[item_id] = n
    version = problems.parse("version", parse_int, _value(r, index["version"]))
    target = read_targets(problems, {k: _value(r, index[k]) for k in ("status", "progress", "due_date", "owner", "note", "evidence")})
    row_plan = RowPlan(row=n, item_id=item_id, title=info["title"], titles=info["titles"], target=target,
                       current=info["current"], expected_version=version, current_version=info["version"])
    if not row_plan.conflict:
        for key in LOCKED_CHECKED:
            shown = parse_text(_value(r, index[key])) or ""
            if shown != (info["locked"][key] or ""):
                problems.add(key, Message(N_("this column is locked (it was '{was}'); change it in the dashboard"),
                                          was=info["locked"][key]))
    check_rules(problems, row_plan, info["item"])
    return None if problems.found else row_plan


class CellProblems:
    """Collects one row's problems, naming the column by its header: the report's own columns
    as catalog labels (shown in the reader's language), a tracker's by the file's header text."""

    def __init__(self, plan: ImportPlan, row: int, today: date, names: Optional[dict[str, Text]] = None):
        self.plan, self.row, self.today, self.found = plan, row, today, False
        self.names = names or {c.key: Message(c.header) for c in ITEM_COLUMNS}

    def add(self, key: str, reason: Text) -> None:
        header = self.names.get(key, key)
        self.plan.problems.append(Problem(self.plan.sheet, self.row, header, reason))
        self.found = True

    def parse(self, key: str, parser, value):  # noqa: ANN001, ANN201
        try:
            return parser(value)
        except BadValue as exc:
            self.add(key, exc.message)
        except ValueError as exc:  # a parser outside this module: its text as it is
            self.add(key, str(exc))
        return None


def read_targets(problems: CellProblems, raw: dict[str, Any], *, percent_format: bool = False) -> dict[str, Any]:
    target: dict[str, Any] = {}
    if "status" in raw and not blank(raw["status"]):
        target["status"] = parse_status(raw["status"])
        if target["status"] is None:
            problems.add("status", Message(N_("'{value}' is not in the list ({choices})"), value=raw["status"],
                                           choices=joined_statuses()))
    if "progress" in raw:
        target["progress"] = problems.parse("progress", lambda v: parse_progress(v, percent_format=percent_format), raw["progress"])
    if "due_date" in raw:
        target["due_date"] = problems.parse("due_date", parse_date, raw["due_date"])
    for key in ("owner", "note", "evidence"):
        if key in raw:
            target[key] = parse_text(raw[key])
    if target.get("evidence"):
        try:
            check_evidence_url(target["evidence"])
        except ValidationFailed as exc:
            problems.add("evidence", exc.message)
    return target


def joined_statuses() -> Localized:
    """The status labels, listed in the reader's language."""
    return Localized(lambda lang: ("、" if lang == "zh" else ", ").join(status_labels(lang)))


def check_rules(problems: CellProblems, row: RowPlan, item: Any) -> None:
    """The progress rules the service will apply, checked now so the preview shows them.
    `item`: load_items' row for it (its start date), or None for a new item."""
    status = row.target.get("status") or row.current.get("status", "not_started")
    progress = row.target.get("progress")
    progress = row.current.get("progress", 0) if progress is None else progress
    changes = row.changes  # computed, not stored: once per row
    if not any(k in changes for k in ("status", "progress", "note", "evidence")):
        return
    proxy = SimpleNamespace(
        status=row.current.get("status", "not_started"),
        start_date=item.start_date if item else None,
        due_date=row.target.get("due_date") or row.current.get("due_date"),
    )
    for reason in check_progress_change(item=proxy, status=status, progress=progress,
                                        note=row.target.get("note"), today=problems.today):
        # a plain reason is still a catalog key: translated where the catalog holds it
        problems.add("status", reason if isinstance(reason, Message) else Message(str(reason)))


def load_items(session: Session, ids: list[int]) -> dict[int, dict[str, Any]]:
    """The items a plan refers to, with their current and locked values."""
    if not ids:
        return {}
    orgs = dict(session.exec(select(Organisation.id, Organisation.acronym)).all())
    areas = {a: (t, c) for a, t, c in session.exec(
        select(CommitmentArea.id, CommitmentArea.title_en, Agreement.code)
        .join(Agreement, Agreement.id == CommitmentArea.agreement_id)).all()}
    out = {}
    # Plain rows, not ORM objects: 10,000 of those cost more than the checks that use them.
    columns = (ActionItem.id, ActionItem.title, ActionItem.version, ActionItem.status, ActionItem.progress,
               ActionItem.due_date, ActionItem.owner_name, ActionItem.start_date, ActionItem.area_id,
               ActionItem.lead_org_id, ActionItem.title_ms, ActionItem.title_zh)
    for item in session.exec(select(*columns).where(ActionItem.id.in_(ids), ~ActionItem.archived)).all():
        area_title, code = areas[item.area_id]
        out[item.id] = {
            "item": item, "title": item.title, "version": item.version,
            "titles": {"title": item.title, "title_ms": item.title_ms, "title_zh": item.title_zh},
            "current": {"status": item.status, "progress": item.progress, "due_date": item.due_date,
                        "owner": item.owner_name},
            "locked": {"agreement": code, "area": area_title, "title": item.title,
                       "lead": orgs.get(item.lead_org_id, "") if item.lead_org_id else ""},
        }
    return out


def list_sheets(*, data: bytes, filename: str, limits: Optional[ImportLimits] = None) -> list[str]:
    """The sheet names, after the same checks as an import (for the sheet chooser)."""
    wb = open_workbook(data, filename, limits or ImportLimits.from_settings())
    try:
        return list(wb.sheetnames)
    finally:
        wb.close()
