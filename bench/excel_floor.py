"""The openpyxl floor of the default report: the same queries, the same sheets with the same
rows and columns, written as plain values with openpyxl's write_only mode and saved. No
styles, validations, protection, print setup or charts: what any openpyxl export of this
content costs before it does anything the issue asks for beyond the values. It follows the
report's rules at scale (the Updates window shortened to whole days, no sheet per agreement
past AGREEMENT_SHEETS_MOST). tests/unit/test_excel_floor.py checks its sheets and row counts
match the report's."""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Any, BinaryIO, Optional

from openpyxl import Workbook
from sqlmodel import Session, select

from models import Agreement, CommitmentArea
from services import rules
from services.agreements.registry import list_agreements
from services.excel.report.data import history_window, item_rows, naive_utc, update_rows
from services.excel.report.workbook import AGREEMENT_SHEETS_MOST, DEFAULT_HISTORY_DAYS, DEFAULT_UPDATES_MOST
from services.excel.report.sheets import sheet_title
from services.labels import STATUS_ORDER

SUMMARY_HEAD = 7 + 2 + 8  # report facts, a blank row and a title, the key figures


def write_floor(*, session: Session, today: date, now: datetime, out: BinaryIO,
                days: Optional[int] = DEFAULT_HISTORY_DAYS) -> None:
    """The floor of the report of every agreement, the last `days` days of updates (None: all)."""
    if days is not None:
        days = history_window(session, now=now, days=days, most=DEFAULT_UPDATES_MOST).days
    items = item_rows(session, today=today)
    agreements = list_agreements(session=session, today=today)
    areas = session.exec(select(Agreement.code, CommitmentArea.id, CommitmentArea.title_en)
                         .join(Agreement, Agreement.id == CommitmentArea.agreement_id)
                         .where(~CommitmentArea.archived, ~Agreement.archived)
                         .order_by(Agreement.code, CommitmentArea.position, CommitmentArea.id)).all()
    wb, taken = Workbook(write_only=True), set()
    _summary(wb.create_sheet(sheet_title("Summary", taken)), agreements, items, areas)
    by_code: dict[str, list] = defaultdict(list)
    for r in items:
        by_code[r.agreement].append(r)
    areas_of: dict[str, list] = defaultdict(list)
    for code, area_id, title in areas:
        areas_of[code].append((area_id, title))
    for a in sorted(agreements, key=lambda a: a.code) if len(agreements) <= AGREEMENT_SHEETS_MOST else ():
        _agreement(wb.create_sheet(sheet_title(a.code, taken)), a, by_code[a.code], areas_of[a.code], today)
    ws = wb.create_sheet(sheet_title("Items", taken))
    ws.append(["Item ID"] * 14)
    for r in items:
        ws.append([r.id, r.version, r.agreement, r.area, r.title, r.lead, r.rag, r.last_update,
                   r.status, r.progress, r.due, r.owner or None, None, None])
    ws = wb.create_sheet(sheet_title("Updates", taken))
    ws.append(["Date and time (UTC)"] * 12)
    for u in update_rows(session, now=now, days=days):
        ws.append([naive_utc(u[0]), *u[1:]])
    ws = wb.create_sheet(sheet_title("Overdue", taken))
    ws.append(["Item ID"] * 11)
    late = [r for r in items if rules.is_overdue(status=r.status, due=r.due, today=today)]
    for r in sorted(late, key=lambda r: (r.due, r.id)):
        ws.append([r.id, r.agreement, r.area, r.title, r.lead, r.owner, r.due, (today - r.due).days,
                   r.status, r.progress, r.rag])
    ws = wb.create_sheet(sheet_title("About", taken))
    for _ in range(8):
        ws.append(["About", "text"])
    wb.save(out)


def _summary(ws, agreements: list, items: list, areas: list) -> None:
    for _ in range(SUMMARY_HEAD):
        ws.append(["Key figure", 1])
    ws.append([])
    ws.append(["Agreements"])
    ws.append(["Code"] * 10)
    for a in agreements:
        ws.append([a.code, a.title, a.lead, a.counterparts, a.signed, a.status, a.areas, a.items,
                   a.progress, a.completion])
    counts: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(STATUS_ORDER, 0))
    for r in items:
        counts[r.agreement][r.status] += 1
    ws.append([])
    ws.append(["Action items by status"])
    ws.append(["Agreement"] * (1 + len(STATUS_ORDER)))
    for code in sorted(counts):
        ws.append([code, *counts[code].values()])
    ws.append([])
    ws.append(["Progress by commitment area"])
    ws.append(["Commitment area"] * 3)
    for code, _, title in areas:
        ws.append([title, code, 0.5])


def _agreement(ws, a: Any, items: list, areas: list, today: date) -> None:
    ws.append([f"{a.code} — {a.title}"])
    ws.append(["As of", today])
    ws.append(["Action item"] * 10)
    per_area = defaultdict(list)
    for r in items:
        per_area[r.area_id].append(r)
    for area_id, title in areas:
        ws.append([title, "items", None, None, None, None, 50])
        for r in per_area[area_id]:
            ws.append(["    " + r.title, r.lead, r.owner, r.start, r.due, r.status, r.progress, r.rag,
                       r.last_update, r.note])
