"""What an import would do, before anything is written: the rows, their changes, the
conflicts and every problem (sheet, row, column, reason). Plain values and catalog Messages
only, so a page can show it and the command line can print it, each in its reader's language."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from types import SimpleNamespace
from typing import Any, Callable, Iterable, Optional

from services.i18n import content
from services.errors import Message, Plural, Text, render
from services.excel.common import status_label
from services.i18n.translate import N_, format_date, gettext

FIELD_LABELS = {
    "status": N_("Status"), "progress": N_("Progress (%)"), "due_date": N_("Due date"), "owner": N_("Owner"),
    "note": N_("Note"), "evidence": N_("Evidence link"), "title": N_("Action item"), "lead": N_("Lead"),
}
# The preview's and the conflict table's columns: English keys, translated where shown.
PREVIEW_COLUMNS = (N_("Row"), N_("Item ID"), N_("Action item"), N_("Field"), N_("Old"), N_("New"), N_("Conflict"),
                   N_("Remark"))
CONFLICT_COLUMNS = (N_("Item ID"), N_("Action item"), N_("Field"), N_("In the file"), N_("In the dashboard now"),
                    N_("Changed by"), N_("Changed at"), N_("Exported version"), N_("Current version"))
COMPUTED = N_("value computed by a formula in the file")
PROBLEM_COLUMNS = (N_("Sheet"), N_("Row"), N_("Cell"), N_("Action item"), N_("Column"), N_("Reason"))
CONFLICT_MARK = "⚠"  # the same in every language, under the translated "Conflict" heading
PROGRESS_FIELDS = ("status", "progress", "note", "evidence")
EDIT_FIELDS = ("due_date", "owner")
NEW_ITEM = {"status": "not_started", "progress": 0, "due_date": None, "owner": None}


class Localized(Message):
    """A value whose text in each language no single catalog key holds (the list of status
    labels, for one): `make(lang)` writes it. Inside a Message it is translated like one."""

    __slots__ = ("make",)

    def __init__(self, make: Callable[[str], str]):
        super().__init__("")
        self.make = make

    def text(self, lang: str = "en") -> str:
        return self.make(lang)

    def __eq__(self, other: object) -> bool:
        return str(self) == str(other) if isinstance(other, (str, Message)) else NotImplemented

    def __hash__(self) -> int:
        return hash(str(self))


@dataclass(frozen=True)
class Problem:
    """Where (sheet, row, column) and why. `column` is a catalog label (a Message: the report's
    own columns) or the file's own header text; `reason` is a Message."""

    sheet: str
    row: int
    column: Text
    reason: Text
    cell: str = ""  # A1-style reference of the cell, when the problem is in one
    item: Text = ""  # the item's title when the row was matched to one (or the file's title)

    @property
    def message(self) -> Message:
        where = Message(N_("{sheet}, row {row}, column {column}"), sheet=self.sheet, row=self.row,
                        column=self.column)
        if self.cell:
            where = Message(N_("{sheet}, cell {cell} (column {column})"), sheet=self.sheet, cell=self.cell,
                            column=self.column)
        if self.item:
            where = Message(N_("{where}, item '{item}'"), where=where, item=self.item)
        return Message(N_("{where}: {reason}"), where=where, reason=self.reason)

    def text(self, lang: str = "en") -> str:
        return self.message.text(lang)

    def cells(self, lang: str = "en") -> dict[str, Any]:
        """One line of the problem table, keyed by PROBLEM_COLUMNS."""
        return {"Sheet": self.sheet, "Row": self.row, "Cell": self.cell, "Action item": render(self.item, lang),
                "Column": render(self.column, lang), "Reason": render(self.reason, lang)}

    def __str__(self) -> str:
        return self.text("en")


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
    titles: dict[str, Optional[str]] = field(default_factory=dict)  # title, title_ms, title_zh
    computed: bool = False  # a value in the row is a formula's result, as saved in the file
    matched_by: str = ""  # "id", "title" (a tracker's rows): how the row found its item
    stale: bool = False  # a tracker's row whose item changed in the dashboard after the file was saved

    def shown_title(self, lang: str = "en") -> str:
        """The item's title in `lang`, marked when it falls back (a new row: the file's text)."""
        if not self.titles:
            return self.title
        return content.display(SimpleNamespace(**self.titles), "title", lang)

    @property
    def conflict(self) -> bool:
        return self.item_id is not None and (self.stale or (
            self.expected_version is not None and self.expected_version != self.current_version))

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
    # the file's own status words no status matches yet -> the rows holding them
    status_words: dict[str, list[int]] = field(default_factory=dict)
    statuses: dict[str, str] = field(default_factory=dict)  # the mapping used (word -> status)
    left_out: list[tuple[int, str]] = field(default_factory=list)  # (row, label): total/average rows
    signature: str = ""  # the tracker's header signature (remembered value mappings)
    # (item id -> (who, when)): the dashboard's last change of each conflicting item
    changed_by: dict[int, tuple[str, Any]] = field(default_factory=dict)

    # every row under the header holding a value, however it ends: the same file, the same count
    data_rows: int = 0

    def to_write(self, accepted: Iterable[int] = (), area_id: Optional[int] = None) -> list[RowPlan]:
        """The rows an apply with these choices writes: changed rows not in conflict, the
        conflicts chosen, the new rows when an area is chosen for them."""
        chosen = set(accepted)
        return [r for r in self.changed_rows
                if (r.item_id is None and area_id is not None)
                or (r.item_id is not None and (not r.conflict or r.item_id in chosen))]

    @property
    def ok(self) -> bool:
        """Nothing stands in the way of applying: no problems, every status word mapped."""
        return not self.problems and not self.status_words

    @property
    def changed_rows(self) -> list[RowPlan]:
        return [r for r in self.rows if r.item_id is None or r.changes]

    @property
    def conflicts(self) -> list[RowPlan]:
        return [r for r in self.changed_rows if r.conflict]

    @property
    def new_rows(self) -> list[RowPlan]:
        return [r for r in self.rows if r.item_id is None]

    def preview(self, lang: str = "en") -> list[dict[str, Any]]:
        """One line per changed field of the rows that will be written (conflicts stand apart,
        in conflict_view). Keyed by PREVIEW_COLUMNS; field names, statuses and dates in `lang`."""
        lines = []
        for r in self.changed_rows:
            if r.conflict:
                continue
            changes = r.changes if r.item_id is not None else {"title": (None, r.title), **r.changes}
            for name, (old, new) in changes.items():
                lines.append({
                    "Row": r.row, "Item ID": r.item_id or gettext(lang, N_("new")), "Action item": r.shown_title(lang),
                    "Field": field_label(name, lang), "Old": show(name, old, lang), "New": show(name, new, lang),
                    "Conflict": CONFLICT_MARK if r.conflict else "",
                    "Remark": gettext(lang, COMPUTED) if r.computed else "",
                })
        return lines

    def conflict_view(self, lang: str = "en") -> list[dict[str, Any]]:
        """Side by side: the file's value and the dashboard's current value (CONFLICT_COLUMNS)."""
        lines = []
        for r in self.conflicts:
            for name, (_, new) in r.changes.items():
                lines.append({
                    "Item ID": r.item_id, "Action item": r.shown_title(lang), "Field": field_label(name, lang),
                    "In the file": show(name, new, lang),
                    "In the dashboard now": show(name, r.current.get(name), lang),
                    "Changed by": self.changed_by.get(r.item_id, ("–", None))[0],
                    "Changed at": format_datetime(self.changed_by.get(r.item_id, ("", None))[1], lang),
                    "Exported version": r.expected_version, "Current version": r.current_version,
                })
        return lines

    def summary(self, accepted: Iterable[int] = (), area_id: Optional[int] = None) -> Message:
        """What the file holds and what will be written with these choices, counted in words."""
        writing = self.to_write(accepted, area_id)
        updated = [r for r in writing if r.item_id is not None]
        parts: list[Message] = [
            Plural(N_("{sheet}: {n} row read"), N_("{sheet}: {n} rows read"), sheet=self.sheet, n=self.data_rows),
            Plural(N_("{n} item will be updated"), N_("{n} items will be updated"), n=len(updated)),
            Plural(N_("{n} change"), N_("{n} changes"), n=sum(len(r.changes) for r in updated)),
            Plural(N_("{n} new item will be created"), N_("{n} new items will be created"),
                   n=len(writing) - len(updated)),
        ]
        unplaced = len(self.new_rows) if area_id is None else 0
        counts = ((len(self.conflicts), N_("{n} conflict set apart until chosen"),
                   N_("{n} conflicts set apart until chosen")),
                  (unplaced, N_("{n} new row left out until an area is chosen"),
                   N_("{n} new rows left out until an area is chosen")),
                  (len(self.left_out), N_("{n} total or average row left out"),
                   N_("{n} total or average rows left out")),
                  (len(self.problems), N_("{n} problem"), N_("{n} problems")))
        parts += [Plural(one, other, n=n) for n, one, other in counts if n]
        out = parts[0]
        for part in parts[1:]:
            out = Message(N_("{first}; {then}"), first=out, then=part)
        return out

    def notes(self) -> list[Message]:
        """Lines the preview shows above its table: rows left out, how rows were matched."""
        out: list[Message] = [Message(N_("Row {row} is a total or average row ('{label}'): left out."),
                                      row=row, label=label) for row, label in self.left_out]
        if any(r.matched_by == "title" for r in self.rows):
            out.append(Message(N_("Rows without an Item ID were matched to action items by their title.")))
        if any(r.computed for r in self.rows):
            out.append(Message(N_("Some values are computed by formulas in the file: the values saved in "
                                  "the file are used (marked in the table).")))
        return out


def field_label(name: str, lang: str = "en") -> str:
    return gettext(lang, FIELD_LABELS[name]) if name in FIELD_LABELS else name


def format_datetime(value: Any, lang: str) -> str:
    if value is None:
        return "–"
    return render(value, lang) if not isinstance(value, str) else value


def show(name: str, value: Any, lang: str = "en") -> str:
    if value is None or value == "":
        return "–"
    if name == "status":
        return status_label(value, lang)
    if name == "progress":
        return f"{value}%"
    if isinstance(value, date):
        return format_date(value, lang, "medium")  # en: 31 Mar 2027, ms: 31 Mac 2027
    return str(value)


Progress = Callable[[int, int], None]  # (rows done, rows in all), called as rows are read or applied
PROGRESS_EVERY = 250  # rows between two reports: often enough for a bar, rare enough to cost nothing


def report_progress(progress: Optional[Progress], done: int, total: int) -> None:
    """Tell `progress` how far a loop over `total` rows is, every PROGRESS_EVERY rows and at the end."""
    if progress is not None and (done % PROGRESS_EVERY == 0 or done == total):
        progress(done, total)
