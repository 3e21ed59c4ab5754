"""What the Items sheet and a tracker share when reading a row: the cell's value as Excel
shows it (percent formats, escapes, formulas' cached values), every text through the one
text gate (models/text.py), the progress rules, and problems that name the cell and the item."""
from __future__ import annotations

from datetime import date, datetime, timezone
from functools import lru_cache
from types import SimpleNamespace
from typing import Any, Optional

from openpyxl.utils import get_column_letter
from sqlalchemy import func
from sqlmodel import Session, select

from models import ActionItem, Agreement, AuditEvent, CommitmentArea, Organisation, ProgressUpdate, User
from models.text import TOO_LONG, text_limit
from services.errors import Message, Text, ValidationFailed
from services.excel.common import ITEM_COLUMNS, parse_status, status_labels
from services.excel.imports.plan import ImportPlan, Localized, Problem, RowPlan
from services.excel.imports.values import BadValue, blank, parse_date, parse_progress, parse_text
from services.i18n.translate import N_
from services.items.batch import CHUNK
from services.items.progress import check_evidence_url, check_progress_change

FORMULA_NO_VALUE = N_("a formula whose result was never saved in the file: open the file in Excel or "
                      "LibreOffice, let it calculate, save it and upload it again (or type the value)")
UNKNOWN_ID = N_("unknown item ID {id}")
# field -> (table, column) whose declared max length limits the cell's text
TEXT_FIELDS = {"title": (ActionItem, "title"), "owner": (ActionItem, "owner_name"),
               "note": (ProgressUpdate, "note"), "evidence": (ProgressUpdate, "evidence_url")}


class CellProblems:
    """Collects one row's problems, naming the column by its header (the report's own columns
    as catalog labels, a tracker's by the file's header text), the cell (J5) and, once known,
    the item."""

    def __init__(self, plan: ImportPlan, row: int, today: date, names: Optional[dict[str, Text]] = None,
                 cols: Optional[dict[str, Optional[int]]] = None):
        self.plan, self.row, self.today, self.found = plan, row, today, False
        self.names = names or _report_names()
        self.cols = cols or {}
        self.item: Text = ""

    def add(self, key: str, reason: Text) -> None:
        col = self.cols.get(key)
        cell = f"{get_column_letter(col + 1)}{self.row}" if col is not None else ""
        self.plan.problems.append(Problem(self.plan.sheet, self.row, self.names.get(key, key), reason,
                                          cell=cell, item=self.item))
        self.found = True

    def parse(self, key: str, parser, value):  # noqa: ANN001, ANN201
        try:
            return parser(value)
        except BadValue as exc:
            self.add(key, exc.message)
        except ValueError as exc:  # a parser outside this module: its text as it is
            self.add(key, str(exc))
        return None

    def text(self, key: str, value: Any) -> Optional[str]:
        """The cell's text through the gate: too long is a problem naming the limit, never cut."""
        text = parse_text(value)
        table_field = TEXT_FIELDS.get(key)
        limit = text_limit(*table_field) if table_field and text is not None else None
        if limit is not None and len(text) > limit:
            self.add(key, Message(TOO_LONG, field=self.names.get(key, key), length=len(text), limit=limit))
            return None
        return text


@lru_cache(maxsize=1)
def _report_names() -> dict[str, Text]:
    """The report's own column labels (catalog Messages), built once: every row of an
    Items sheet names its columns the same way."""
    return {c.key: Message(c.header) for c in ITEM_COLUMNS}


def cell_of(row: tuple, i: Optional[int]) -> Any:
    """The openpyxl cell at 0-based column i of a row, or None past its end or unmapped."""
    return row[i] if i is not None and i < len(row) else None


def check_formulas(problems: CellProblems, sheet, row: tuple, cols: dict[str, Optional[int]]) -> bool:  # noqa: ANN001
    """Cells a formula computes: their cached value is read (True: the row holds one); a
    formula with no cached value is a problem."""
    computed = False
    if not sheet.formulas:  # the sheet's XML holds no formula at all (reader.py looked)
        return computed
    for key, i in cols.items():
        if i is None or sheet.formula(problems.row, i + 1) is None:
            continue
        if blank(getattr(cell_of(row, i), "value", None)):
            problems.add(key, Message(FORMULA_NO_VALUE))
        else:
            computed = True
    return computed


def read_targets(problems: CellProblems, cells: dict[str, Any], *, month_first: frozenset = frozenset(),
                 statuses: Optional[dict[str, str]] = None) -> dict[str, Any]:
    """field -> value from the row's cells (openpyxl cells or None). `statuses`: the user's
    mapping of the file's own status words; a word neither known nor mapped is left to the
    plan's value-mapping step (plan.status_words), not a problem."""
    value = {k: getattr(c, "value", None) for k, c in cells.items()}
    target: dict[str, Any] = {}
    if "status" in cells and not blank(value["status"]):
        word = parse_text(value["status"])
        target["status"] = parse_status(word) or (statuses or {}).get(word)
        if target["status"] is None:
            problems.plan.status_words.setdefault(word, []).append(problems.row)
    if "progress" in cells:
        fmt = str(getattr(cells["progress"], "number_format", "") or "")
        target["progress"] = problems.parse("progress", lambda v: parse_progress(v, percent_format="%" in fmt),
                                            value["progress"])
    if target.get("progress") == 1 and target.get("status") == "completed" and isinstance(value["progress"], (int, float)):
        target["progress"] = 100  # "100%" typed into a cell whose percent format was lost: Excel stored 1
    if "due_date" in cells:
        target["due_date"] = problems.parse(
            "due_date", lambda v: parse_date(v, month_first_seen="due_date" in month_first), value["due_date"])
    for key in ("owner", "note", "evidence"):
        if key in cells:
            target[key] = problems.text(key, value[key])
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
    if row.target.get("status", "") is None:
        return  # a status word still to be mapped: checked once it is
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
            "item": item, "title": item.title, "version": item.version, "area_id": item.area_id,
            "titles": {"title": item.title, "title_ms": item.title_ms, "title_zh": item.title_zh},
            "current": {"status": item.status, "progress": item.progress, "due_date": item.due_date,
                        "owner": item.owner_name},
            "locked": {"agreement": code, "area": area_title, "title": item.title,
                       "lead": orgs.get(item.lead_org_id, "") if item.lead_org_id else ""},
        }
    return out


def last_changes(session: Session, ids: list[int]) -> dict[int, tuple[str, Any]]:
    """item id -> (who, when UTC) of the item's latest change in the dashboard: a progress
    update, or any change the audit trail records on the item (its due date, owner or any
    other field edited on the item page or by an import, archiving, restoring), whichever
    is later. Items with neither are left out. One pair of queries per CHUNK ids."""
    out: dict[int, tuple[str, Any]] = {}
    ids = sorted(set(ids))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        latest = (select(ProgressUpdate.item_id, func.max(ProgressUpdate.ts).label("ts"))
                  .where(ProgressUpdate.item_id.in_(chunk)).group_by(ProgressUpdate.item_id).subquery())
        _keep_latest(out, session.exec(
            select(ProgressUpdate.item_id, ProgressUpdate.ts, User.display_name, User.username)
            .join(latest, (latest.c.item_id == ProgressUpdate.item_id) & (latest.c.ts == ProgressUpdate.ts))
            .outerjoin(User, User.id == ProgressUpdate.author_id)).all())
        latest = (select(AuditEvent.object_id, func.max(AuditEvent.ts).label("ts"))
                  .where(AuditEvent.object_type == "item", AuditEvent.object_id.in_(chunk))
                  .group_by(AuditEvent.object_id).subquery())
        _keep_latest(out, session.exec(
            select(AuditEvent.object_id, AuditEvent.ts, User.display_name, AuditEvent.username)
            .join(latest, (latest.c.object_id == AuditEvent.object_id) & (latest.c.ts == AuditEvent.ts))
            .where(AuditEvent.object_type == "item")
            .outerjoin(User, User.id == AuditEvent.user_id)).all())
    return out


def _keep_latest(out: dict[int, tuple[str, Any]], rows) -> None:  # noqa: ANN001
    for item_id, ts, name, username in rows:
        if item_id not in out or as_utc(ts) > as_utc(out[item_id][1]):
            out[item_id] = (name or username or "–", ts)


def as_utc(value: datetime) -> datetime:
    """A stored time as an aware UTC time (SQLite gives some back without their zone)."""
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
