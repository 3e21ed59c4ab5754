"""What an import would do, before anything is written: the rows, their changes, the
conflicts and every problem (sheet, row, column, reason). Plain values and catalog Messages
only, so a page can show it and the command line can print it, each in its reader's language."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from types import SimpleNamespace
from typing import Any, Callable, Optional

from services.i18n import content
from services.errors import Message, Text, render
from services.excel.common import status_label
from services.i18n.translate import N_, format_date, gettext, translator

FIELD_LABELS = {
    "status": N_("Status"), "progress": N_("Progress (%)"), "due_date": N_("Due date"), "owner": N_("Owner"),
    "note": N_("Note"), "evidence": N_("Evidence link"), "title": N_("Action item"), "lead": N_("Lead"),
}
# The preview's and the conflict table's columns: English keys, translated where shown.
PREVIEW_COLUMNS = (N_("Row"), N_("Item ID"), N_("Action item"), N_("Field"), N_("Old"), N_("New"), N_("Conflict"))
CONFLICT_COLUMNS = (N_("Item ID"), N_("Action item"), N_("Field"), N_("In the file"), N_("In the dashboard now"),
                    N_("Exported version"), N_("Current version"))
PROBLEM_COLUMNS = (N_("Sheet"), N_("Row"), N_("Column"), N_("Reason"))
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

    @property
    def message(self) -> Message:
        return Message(N_("{sheet}, row {row}, column {column}: {reason}"),
                       sheet=self.sheet, row=self.row, column=self.column, reason=self.reason)

    def text(self, lang: str = "en") -> str:
        return self.message.text(lang)

    def cells(self, lang: str = "en") -> dict[str, Any]:
        """One line of the problem table, keyed by PROBLEM_COLUMNS."""
        return {"Sheet": self.sheet, "Row": self.row, "Column": render(self.column, lang),
                "Reason": render(self.reason, lang)}

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

    def shown_title(self, lang: str = "en") -> str:
        """The item's title in `lang`, marked when it falls back (a new row: the file's text)."""
        if not self.titles:
            return self.title
        return content.display(SimpleNamespace(**self.titles), "title", lang)

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

    def preview(self, lang: str = "en") -> list[dict[str, Any]]:
        """One line per changed field: what the confirmation shows. Keyed by PREVIEW_COLUMNS;
        field names, statuses and dates in `lang`."""
        lines = []
        for r in self.changed_rows:
            changes = r.changes if r.item_id is not None else {"title": (None, r.title), **r.changes}
            for name, (old, new) in changes.items():
                lines.append({
                    "Row": r.row, "Item ID": r.item_id or gettext(lang, N_("new")), "Action item": r.shown_title(lang),
                    "Field": field_label(name, lang), "Old": show(name, old, lang), "New": show(name, new, lang),
                    "Conflict": CONFLICT_MARK if r.conflict else "",
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
                    "Exported version": r.expected_version, "Current version": r.current_version,
                })
        return lines

    def summary(self) -> Message:
        n_changes = sum(len(r.changes) for r in self.changed_rows if r.item_id is not None)
        return Message(
            N_("{sheet}: {rows} rows read, {items} items with {changes} changes, {conflicts} conflicts, "
               "{new} new items, {skipped} rows skipped, {problems} problems."),
            sheet=self.sheet, rows=len(self.rows), items=len(self.changed_rows) - len(self.new_rows),
            changes=n_changes, conflicts=len(self.conflicts), new=len(self.new_rows), skipped=self.skipped,
            problems=len(self.problems),
        )


def field_label(name: str, lang: str = "en") -> str:
    return gettext(lang, FIELD_LABELS[name]) if name in FIELD_LABELS else name


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


# What the command line prints around the preview (manage.py import --lang).
DRY_RUN = N_("Dry run: nothing was written.")
NOT_WRITTEN = N_("Nothing was written: fix the problems above and run again.")
APPLIED = N_("Applied: {result}")


def plan_lines(plan: ImportPlan, lang: str = "en") -> list[str]:
    """The summary, preview, conflicts and problems as lines of text in `lang`."""
    _ = translator(lang)
    lines = [plan.summary().text(lang)]
    for p in plan.preview(lang):
        mark = "  " + _("CONFLICT") if p["Conflict"] else ""
        lines.append("  " + _("row {row}: item {id} {title}: {field}: {old} -> {new}", row=p["Row"], id=p["Item ID"],
                              title=repr(p["Action item"][:60]), field=p["Field"], old=p["Old"], new=p["New"]) + mark)
    for c in plan.conflict_view(lang):
        lines.append("  " + _("conflict: item {id} {field}: file {file} / dashboard now {now} "
                              "(exported v{exported}, now v{current})", id=c["Item ID"], field=c["Field"],
                              file=c["In the file"], now=c["In the dashboard now"],
                              exported=c["Exported version"], current=c["Current version"]))
    lines += ["  " + _("problem: {problem}", problem=p.text(lang)) for p in plan.problems]
    return lines
