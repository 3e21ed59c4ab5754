"""What an import would do, before anything is written: the rows, their changes, the
conflicts and every problem (sheet, row, column, reason). Plain values only, so a page can
show it and the command line can print it."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Optional

from services.excel_common import status_label

FIELD_LABELS = {
    "status": "Status", "progress": "Progress (%)", "due_date": "Due date", "owner": "Owner",
    "note": "Note", "evidence": "Evidence link", "title": "Action item", "lead": "Lead",
}
PROGRESS_FIELDS = ("status", "progress", "note", "evidence")
EDIT_FIELDS = ("due_date", "owner")
NEW_ITEM = {"status": "not_started", "progress": 0, "due_date": None, "owner": None}


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"{self.sheet}, row {self.row}, column {self.column}: {self.reason}"


@dataclass
class RowPlan:
    row: int
    item_id: Optional[int]  # None: a new item (legacy trackers only)
    title: str
    target: dict[str, Any]  # field -> value in the file
    # field -> value in the database; a new item starts from NEW_ITEM
    current: dict[str, Any] = field(default_factory=lambda: dict(NEW_ITEM))
    expected_version: Optional[int] = None
    current_version: Optional[int] = None
    lead: Optional[str] = None

    @property
    def conflict(self) -> bool:
        return (self.item_id is not None and self.expected_version is not None
                and self.expected_version != self.current_version)

    @property
    def changes(self) -> dict[str, tuple[Any, Any]]:
        """field -> (old, new); a note or link is always new, so it always counts."""
        out = {}
        for name, new in self.target.items():
            old = self.current.get(name)
            if name in ("note", "evidence"):
                if new:
                    out[name] = (None, new)
            elif new is not None and new != old:
                out[name] = (old, new)
        return out


@dataclass
class ImportPlan:
    kind: str  # "items" (the report's own sheet) or "tracker" (any other workbook)
    sheet: str
    filename: str
    rows: list[RowPlan] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped: int = 0
    header_row: int = 1
    mapping: dict[str, Optional[int]] = field(default_factory=dict)  # field -> column index
    headers: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def changed_rows(self) -> list[RowPlan]:
        return [r for r in self.rows if r.item_id is None or r.changes]

    @property
    def conflicts(self) -> list[RowPlan]:
        return [r for r in self.changed_rows if r.conflict]

    @property
    def new_rows(self) -> list[RowPlan]:
        return [r for r in self.rows if r.item_id is None]

    def preview(self) -> list[dict[str, Any]]:
        """One line per changed field: what the confirmation shows."""
        lines = []
        for r in self.changed_rows:
            changes = r.changes if r.item_id is not None else {"title": (None, r.title), **r.changes}
            for name, (old, new) in changes.items():
                lines.append({
                    "Row": r.row, "Item ID": r.item_id or "new", "Action item": r.title,
                    "Field": FIELD_LABELS.get(name, name), "Old": show(name, old), "New": show(name, new),
                    "Conflict": "yes" if r.conflict else "",
                })
        return lines

    def conflict_view(self) -> list[dict[str, Any]]:
        """Side by side: the file's value and the dashboard's current value."""
        lines = []
        for r in self.conflicts:
            for name, (_, new) in r.changes.items():
                lines.append({
                    "Item ID": r.item_id, "Action item": r.title, "Field": FIELD_LABELS.get(name, name),
                    "In the file": show(name, new), "In the dashboard now": show(name, r.current.get(name)),
                    "Exported version": r.expected_version, "Current version": r.current_version,
                })
        return lines

    def summary(self) -> str:
        n_changes = sum(len(r.changes) for r in self.changed_rows if r.item_id is not None)
        return (f"{self.sheet}: {len(self.rows)} rows read, {len(self.changed_rows) - len(self.new_rows)} items "
                f"with {n_changes} changes, {len(self.conflicts)} conflicts, {len(self.new_rows)} new items, "
                f"{self.skipped} rows skipped, {len(self.problems)} problems.")


def show(name: str, value: Any) -> str:
    if value is None or value == "":
        return "–"
    if name == "status":
        return status_label(value)
    if name == "progress":
        return f"{value}%"
    if isinstance(value, date):
        return value.strftime("%d %b %Y")
    return str(value)
