"""Importing a ministry's own Excel tracker: find the header row, match its columns by
English and Malay names (the user confirms or corrects the mapping), read the values the
way they are typed, skip title and blank rows, and match rows to items by ID or title."""
from __future__ import annotations

import re
from datetime import date
from typing import Any, Optional

from sqlmodel import Session, select

from models import ActionItem
from services.errors import Message
from services.excel.guard import ImportRefused
from services.excel.imports.items_sheet import FORMULA, UNKNOWN_ID, CellProblems, check_rules, load_items, read_targets
from services.excel.imports.plan import ImportPlan, RowPlan
from services.excel.imports.values import blank, parse_int, parse_text
from services.i18n.translate import N_

# field -> its name (a catalog key: the mapping editor and the problems show it translated)
TRACKER_FIELDS: dict[str, str] = {
    "id": N_("Item ID"), "title": N_("Action item"), "status": N_("Status"), "progress": N_("Progress (%)"),
    "due_date": N_("Due date"), "lead": N_("Lead"), "owner": N_("Owner"), "note": N_("Note"),
    "evidence": N_("Evidence link"),
}
# Normalised header names (lower case, no punctuation), English and Malay.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "id": ("item id", "id", "id item", "no item", "item no"),
    "title": ("action item", "action", "action items", "tindakan", "perkara", "item", "aktiviti",
              "inisiatif", "butiran", "program", "tajuk", "activity", "task"),
    "status": ("status", "status pelaksanaan", "kedudukan", "status terkini"),
    "progress": ("progress", "progress %", "peratus kemajuan", "kemajuan", "kemajuan %", "peratus",
                 "peratus siap", "% siap", "percent complete", "completion", "% complete"),
    "due_date": ("due date", "due", "tarikh sasaran", "tarikh akhir", "sasaran", "tarikh siap",
                 "target date", "deadline", "tempoh"),
    "lead": ("lead", "lead agency", "agensi peneraju", "peneraju", "agensi", "agensi pelaksana"),
    "owner": ("owner", "pegawai", "pegawai bertanggungjawab", "pegawai penyelaras", "person in charge",
              "pic", "focal point"),
    "note": ("note", "notes", "remarks", "catatan", "ulasan", "maklum balas", "comments", "comment"),
    "evidence": ("evidence", "evidence link", "bukti", "pautan", "link"),
}
HEADER_SEARCH_ROWS = 30


def normalise(header: Any) -> str:
    text = re.sub(r"[^\w%]+", " ", str(header or "").casefold())
    return " ".join(text.replace("(", " ").split())


def auto_mapping(headers: list[Any]) -> dict[str, Optional[int]]:
    """field -> column index (0-based) or None; exact names first, then names contained."""
    names = [normalise(h) for h in headers]
    mapping: dict[str, Optional[int]] = {}
    used: set[int] = set()
    for exact in (True, False):
        for key, words in SYNONYMS.items():
            if mapping.get(key) is not None:
                continue
            for i, name in enumerate(names):
                if i in used or not name:
                    continue
                if (name in words) if exact else any(len(w) > 3 and w in name for w in words):
                    mapping[key] = i
                    used.add(i)
                    break
    return {key: mapping.get(key) for key in TRACKER_FIELDS}


def find_header_row(rows: list[list[Any]]) -> Optional[int]:
    """1-based number of the first row that names a title column among other headers
    (a merged title row above it has one cell only)."""
    for n, values in enumerate(rows[:HEADER_SEARCH_ROWS], start=1):
        found = auto_mapping(values)
        if found["title"] is not None and sum(not blank(v) for v in values) >= 2:
            return n
    return None


def _merged_title_rows(ws) -> set[int]:  # noqa: ANN001
    return {r for rng in ws.merged_cells.ranges if rng.max_col > rng.min_col
            for r in range(rng.min_row, rng.max_row + 1)}


def read_tracker(
    *, session: Session, ws, filename: str, today: date, header_row: Optional[int] = None,  # noqa: ANN001
    mapping: Optional[dict[str, Optional[int]]] = None,
) -> ImportPlan:
    cells = list(ws.iter_rows())
    values = [[c.value for c in row] for row in cells]
    header_row = header_row or find_header_row(values)
    if header_row is None or header_row > len(values):
        raise ImportRefused(N_("No header row found in sheet '{sheet}': choose the row that holds the "
                               "column names (for example Tindakan, Status, Tarikh Sasaran)."), sheet=ws.title)
    headers = values[header_row - 1]
    mapping = {k: mapping.get(k) for k in TRACKER_FIELDS} if mapping else auto_mapping(headers)
    if mapping.get("title") is None and mapping.get("id") is None:
        raise ImportRefused(N_("Choose which column holds the action item (for example 'Tindakan' or 'Perkara')."))
    plan = ImportPlan(kind="tracker", sheet=ws.title, filename=filename, header_row=header_row,
                      mapping=mapping, headers=[str(h) if h is not None else "" for h in headers])
    # a mapped column is named by the file's own header; an unmapped one by its field name
    names = {k: (plan.headers[i] if i is not None and i < len(plan.headers) else Message(TRACKER_FIELDS[k]))
             for k, i in mapping.items()}
    index = _item_index(session)
    merged = _merged_title_rows(ws)
    for n in range(header_row + 1, len(cells) + 1):
        row = cells[n - 1]
        filled = [c for c in row if not blank(c.value)]
        if not filled or (n in merged and len(filled) == 1):
            plan.skipped += 1
            continue
        before = len(plan.problems)
        row_plan = _tracker_row(CellProblems(plan, n, today, names), row, mapping, index)
        if row_plan is not None:
            plan.rows.append(row_plan)
        elif len(plan.problems) == before:
            plan.skipped += 1
    if not plan.rows and not plan.problems:
        raise ImportRefused(N_("Sheet '{sheet}' has no data rows under the header row {row}."),
                            sheet=ws.title, row=header_row)
    return plan


def _item_index(session: Session) -> dict[str, Any]:
    rows = session.exec(select(ActionItem.id, ActionItem.title).where(~ActionItem.archived)).all()
    by_title: dict[str, list[int]] = {}
    for item_id, title in rows:
        by_title.setdefault(" ".join(title.split()).casefold(), []).append(item_id)
    return {"ids": {i for i, _ in rows}, "titles": by_title,
            "items": load_items(session, [i for i, _ in rows])}


def _cell(row, i: Optional[int]):  # noqa: ANN001
    return row[i] if i is not None and i < len(row) else None


def _tracker_row(problems: CellProblems, row, mapping, index) -> Optional[RowPlan]:  # noqa: ANN001
    for key, i in mapping.items():
        c = _cell(row, i)
        if c is not None and c.data_type == "f":
            problems.add(key, Message(FORMULA))
    if problems.found:
        return None
    raw = {k: _cell(row, i).value if _cell(row, i) is not None else None for k, i in mapping.items()}
    title = parse_text(raw.get("title"))
    item_id = problems.parse("id", parse_int, raw.get("id")) if mapping.get("id") is not None else None
    if title is None and item_id is None:
        return None  # a section heading or a note row: nothing to match
    matched = _match(problems, item_id, title, index)
    if problems.found:
        return None
    progress_cell = _cell(row, mapping.get("progress"))
    percent = bool(progress_cell is not None and "%" in str(progress_cell.number_format or ""))
    target = read_targets(problems, {k: v for k, v in raw.items() if k in ("status", "progress", "due_date", "owner", "note", "evidence") and mapping.get(k) is not None}, percent_format=percent)  # noqa: E501
    info = index["items"].get(matched) if matched else None
    row_plan = RowPlan(row=problems.row, item_id=matched, title=info["title"] if info else title,
                       target=target, lead=parse_text(raw.get("lead")))
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
