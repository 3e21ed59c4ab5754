"""The audit trail as an Excel workbook (streamed with openpyxl's write-only mode)."""
from __future__ import annotations

import io
from datetime import datetime

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from sqlmodel import Session

from models import User
from services.audit.trail import AuditFilter, MAX_ROWS, filtered_events, record_event
from services.audit.labels import action_label, object_type_label
from services.i18n.translate import N_, gettext
from services.permissions import require_audit_reader

# The action in words (in the chosen language) first; its stored code beside it for IT.
HEADERS = [N_("When (UTC)"), N_("User"), N_("Action"), N_("Action code"), N_("Object type"), N_("Object id"),
           N_("Before"), N_("After"), N_("Detail")]
WIDTHS = [20, 22, 30, 18, 18, 10, 50, 50, 40]


def _text(ws, value) -> WriteOnlyCell:  # noqa: ANN001
    """User text stays text: a value starting with '=' must never become a formula."""
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def export_events_xlsx(*, session: Session, actor: User, filters: AuditFilter, now: datetime,
                       limit: int = MAX_ROWS * 20, lang: str = "en") -> bytes:
    """The matching events, newest first, headers and labels in `lang`; the export itself is
    recorded in the trail."""
    require_audit_reader(actor)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(gettext(lang, "Audit trail"))
    for i, width in enumerate(WIDTHS):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for title in HEADERS:
        cell = WriteOnlyCell(ws, value=gettext(lang, title))
        cell.font = bold
        header.append(cell)
    ws.append(header)
    count = 0
    for ev in session.exec(filtered_events(filters).limit(limit)):
        ws.append([
            ev.ts.replace(tzinfo=None), _text(ws, ev.username), _text(ws, action_label(ev.action, lang)),
            _text(ws, ev.action), _text(ws, object_type_label(ev.object_type, lang)), ev.object_id,
            _text(ws, ev.before), _text(ws, ev.after),
            _text(ws, ev.detail),
        ])
        count += 1
    buf = io.BytesIO()
    wb.save(buf)
    record_event(session=session, actor=actor, action="export", object_type="audit",
                 detail=f"{count} events; filters {filters}")
    session.commit()
    return buf.getvalue()
