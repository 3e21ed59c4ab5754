"""Shared by the Excel tests: an exported report and a snapshot of everything an import could change."""
from __future__ import annotations

import io
from datetime import datetime, timezone

import openpyxl
from sqlmodel import Session, func, select

from models import ActionItem, AuditEvent, ProgressUpdate
from services.excel.report.workbook import write_report
from tests.conftest import TODAY

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=timezone.utc)


def export_bytes(session: Session, **kw) -> bytes:
    buf = io.BytesIO()
    write_report(session=session, actor=kw.pop("actor", None), today=TODAY, now=NOW, out=buf, **kw)
    return buf.getvalue()


def reopen(data: bytes, **kw) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data), **kw)


def to_bytes(wb: openpyxl.Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def snapshot(session: Session) -> tuple:
    """Everything an import may write: item states, and how many history and audit rows."""
    session.expire_all()
    items = session.exec(select(
        ActionItem.id, ActionItem.status, ActionItem.progress, ActionItem.due_date,
        ActionItem.owner_name, ActionItem.version, ActionItem.title,
    ).order_by(ActionItem.id)).all()
    updates = session.exec(select(func.count()).select_from(ProgressUpdate)).one()
    events = session.exec(select(func.count()).select_from(AuditEvent)).one()
    return tuple(map(tuple, items)), updates, events


def items_header(ws) -> dict[str, int]:
    """Header text -> 1-based column number."""
    return {c.value: c.column for c in ws[1]}
