"""Importing a ministry's own Excel tracker: find the header row (one or two rows, under a
title block), match its columns by English and Malay names (the user confirms or corrects
the mapping), read the values the way Excel shows them, leave out title, blank, total and
average rows, gather unknown status words for the value-mapping step, and match rows to
items by a key column or by title (never creating an item twice)."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any, Optional

from sqlmodel import Session, select

from models import ActionItem
from services.errors import Message
from services.excel.guard import ImportRefused
from services.excel.imports.layout import (
    TRACKER_FIELDS, auto_mapping, find_header_row, header_names, signature, summary_label,
)
from services.excel.imports.plan import ImportPlan, Progress, RowPlan, report_progress
from services.excel.imports.reader import SheetRows
from services.excel.imports.rows import (
    UNKNOWN_ID, CellProblems, as_utc, cell_of, check_formulas, check_rules, last_changes, load_items,
    read_targets,
)
from services.excel.imports.source import ImportLimits, too_many
from services.excel.imports.status_words import remembered
from services.excel.imports.values import blank, month_first_only, parse_int
from services.i18n.translate import N_

__all__ = ["TRACKER_FIELDS", "auto_mapping", "read_tracker", "area_choices"]
TARGET_FIELDS = ("status", "progress", "due_date", "owner", "note", "evidence")


def read_tracker(
    *, session: Session, sheet: SheetRows, filename: str, today: date, header_row: Optional[int] = None,
    mapping: Optional[dict[str, Optional[int]]] = None, statuses: Optional[dict[str, str]] = None,
    limits: Optional[ImportLimits] = None, saved: Optional[datetime] = None, progress: Optional[Progress] = None,
) -> ImportPlan:
    """The plan for a tracker sheet; writes nothing. `statuses`: word -> status from the
    value-mapping step (None: the mapping remembered for these headers). `saved`: when the
    file was last saved (UTC): a matched item changed in the dashboard after it is a conflict.
    `progress(done, total)`: data rows checked so far, every few hundred rows."""
    values = [[c.value for c in row] for row in sheet.rows]
    header_row = header_row or find_header_row(values)
    if header_row is None or header_row > len(values):
        raise ImportRefused(N_("No header row found in sheet '{sheet}': choose the row that holds the "
                               "column names (for example Tindakan, Status, Tarikh Sasaran)."), sheet=sheet.title)
    headers, depth = header_names(values, header_row, sheet.merged)
    mapping = {k: mapping.get(k) for k in TRACKER_FIELDS} if mapping else auto_mapping(headers)
    if mapping.get("title") is None and mapping.get("id") is None:
        raise ImportRefused(N_("Choose which column holds the action item (for example 'Tindakan' or 'Perkara')."))
    first = header_row + depth
    data = [n for n in range(first, len(values) + 1) if any(not blank(v) for v in values[n - 1])]
    if limits is not None and len(data) > limits.max_rows:
        raise too_many(sheet.title, limits)
    plan = ImportPlan(kind="tracker", sheet=sheet.title, filename=filename, header_row=header_row,
                      mapping=mapping, headers=headers, signature=signature(headers), data_rows=len(data))
    plan.statuses = dict(remembered(session, plan.signature) if statuses is None else statuses)
    # a mapped column is named by the file's own header; an unmapped one by its field name
    names = {k: (headers[i] if i is not None and i < len(headers) and headers[i] else Message(TRACKER_FIELDS[k]))
             for k, i in mapping.items()}
    month_first = frozenset(k for k in ("due_date",) if mapping.get(k) is not None
                            and any(month_first_only(v[mapping[k]]) for v in values[first - 1:] if mapping[k] < len(v)))
    index = _item_index(session)
    plan.skipped = len(values) - first + 1 - len(data)
    merged = _merged_rows(sheet)
    for done, n in enumerate(data, start=1):
        report_progress(progress, done, len(data))
        row = sheet.rows[n - 1]
        formulas = [sheet.formula(n, i + 1) for i in range(len(row))]
        if n in merged and sum(not blank(v) for v in values[n - 1]) == 1 and not any(formulas):
            plan.skipped += 1  # a section heading merged across the table
            continue
        label = summary_label(values[n - 1], formulas, mapping.get("title"))
        if label is not None:
            plan.left_out.append((n, label))
            continue
        problems = CellProblems(plan, n, today, names, cols=mapping)
        row_plan = _tracker_row(problems, sheet, row, mapping, index, month_first)
        if row_plan is not None:
            plan.rows.append(row_plan)
        elif not problems.found:
            plan.skipped += 1
    _mark_stale(session, plan, saved)
    if not plan.rows and not plan.problems:
        raise ImportRefused(N_("Sheet '{sheet}' has no data rows under the header row {row}."),
                            sheet=sheet.title, row=header_row)
    return plan


def _mark_stale(session: Session, plan: ImportPlan, saved: Optional[datetime]) -> None:
    """As the Items sheet's versions do: a row that changes its item, whose item was changed
    in the dashboard after the tracker was saved (a progress update, or an edit of its due
    date, owner or any other field: rows.last_changes), stands apart as a conflict, with
    who and when."""
    changed = [r for r in plan.rows if r.item_id is not None and r.changes]
    last = last_changes(session, [r.item_id for r in changed]) if saved is not None else {}
    for r in changed:
        when = last.get(r.item_id, (None, None))[1]
        if when is not None and as_utc(when) > saved:
            r.stale = True
    plan.changed_by = {i: last[i] for i in (r.item_id for r in plan.conflicts) if i in last}


def _merged_rows(sheet: SheetRows) -> set[int]:
    return {r for rng in sheet.merged if rng.max_col > rng.min_col for r in range(rng.min_row, rng.max_row + 1)}


def _item_index(session: Session) -> dict[str, Any]:
    rows = session.exec(select(ActionItem.id, ActionItem.title).where(~ActionItem.archived)).all()
    by_title: dict[str, list[int]] = {}
    for item_id, title in rows:
        by_title.setdefault(" ".join(title.split()).casefold(), []).append(item_id)
    return {"ids": {i for i, _ in rows}, "titles": by_title,
            "items": load_items(session, [i for i, _ in rows])}


def _tracker_row(problems: CellProblems, sheet, row, mapping, index, month_first) -> Optional[RowPlan]:  # noqa: ANN001
    computed = check_formulas(problems, sheet, row, mapping)
    raw = {k: getattr(cell_of(row, i), "value", None) for k, i in mapping.items()}
    title = problems.text("title", raw.get("title"))
    item_id = problems.parse("id", parse_int, raw.get("id")) if mapping.get("id") is not None else None
    if title is None and item_id is None:
        return None  # a section heading, a note row or a title refused by the text gate
    problems.item = title or ""
    matched = _match(problems, item_id, title, index)
    if problems.found:
        return None
    info = index["items"].get(matched) if matched else None
    if info:
        problems.item = info["title"]
    cells = {k: cell_of(row, mapping[k]) for k in TARGET_FIELDS if mapping.get(k) is not None}
    target = read_targets(problems, cells, month_first=month_first, statuses=problems.plan.statuses)
    row_plan = RowPlan(row=problems.row, item_id=matched, title=info["title"] if info else title,
                       target=target, lead=problems.text("lead", raw.get("lead")), computed=computed,
                       matched_by=("id" if item_id is not None else "title") if matched else "")
    if info:
        row_plan.current, row_plan.current_version = info["current"], info["version"]
        row_plan.titles = info["titles"]
    _derive(row_plan)
    check_rules(problems, row_plan, info["item"] if info else None)
    return None if problems.found else row_plan


def _match(problems: CellProblems, item_id: Optional[int], title: Optional[str], index) -> Optional[int]:  # noqa: ANN001
    if item_id is not None:
        if item_id not in index["ids"]:
            problems.add("id", Message(UNKNOWN_ID, id=item_id))
        return item_id
    found = index["titles"].get(" ".join(title.split()).casefold(), [])
    if len(found) > 1:
        problems.add("title", Message(N_("{n} items have this title: add an Item ID column to tell them apart"),
                                      n=len(found)))
        return None
    return found[0] if found else None


def _derive(r: RowPlan) -> None:
    """Trackers often carry only a status or only a percentage: fill in the other."""
    status, progress = r.target.get("status"), r.target.get("progress")
    if "status" in r.target and status is None:
        return  # a status word still to be mapped
    if status is None and progress is not None:
        current = r.current.get("status")
        if progress == 100:
            r.target["status"] = "completed"
        elif progress == 0 and current == "not_started":
            r.target["status"] = "not_started"
        elif current in ("in_progress", "on_hold") and progress < 100:
            r.target["status"] = current
        else:
            r.target["status"] = "in_progress"
    elif status is not None and progress is None:
        if status == "completed":
            r.target["progress"] = 100
        elif status == "not_started":
            r.target["progress"] = 0


def area_choices(session: Session, lang: str = "en") -> list[tuple[int, str]]:
    """Live commitment areas a tracker's new rows can be created under, as (id, label); the
    area's title in `lang` (marked when it falls back)."""
    from models import Agreement, CommitmentArea
    from services.i18n.content import display

    rows = session.exec(
        select(CommitmentArea, Agreement.code)
        .join(Agreement, Agreement.id == CommitmentArea.agreement_id)
        .where(~CommitmentArea.archived, ~Agreement.archived)
        .order_by(Agreement.code, CommitmentArea.position, CommitmentArea.id)
    ).all()
    return [(area.id, f"{code} — {display(area, 'title', lang)}") for area, code in rows]
