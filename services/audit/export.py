"""The audit trail as an Excel workbook (XlsxWriter's public API, constant_memory mode)."""
from __future__ import annotations

import io
from datetime import datetime

from sqlmodel import Session
from xlsxwriter import Workbook

from models import User
from models.gate import writable
from services.audit.trail import AuditFilter, MAX_ROWS, filtered_events, record_event
from services.audit.labels import action_label, object_type_label
from services.i18n.translate import N_, gettext
from services.permissions import require_audit_reader

# The action in words (in the chosen language) first; its stored code beside it for IT.
HEADERS = [N_("When (UTC)"), N_("User"), N_("Action"), N_("Action code"), N_("Object type"), N_("Object id"),
           N_("Before"), N_("After"), N_("Detail")]
WIDTHS = [20, 22, 30, 18, 18, 10, 50, 50, 40]


def export_events_xlsx(*, session: Session, actor: User, filters: AuditFilter, now: datetime,
                       limit: int = MAX_ROWS * 20, lang: str = "en") -> bytes:
    """The matching events, newest first, headers and labels in `lang`; the export itself is
    recorded in the trail."""
    require_audit_reader(actor)
    buf = io.BytesIO()
    # Text is written with write_string (never a formula, number or link), through
    # `writable`: an old event's JSON may hold what XML cannot, and the export must not fail.
    wb = Workbook(buf, {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    ws = wb.add_worksheet(gettext(lang, "Audit trail")[:31])
    for i, width in enumerate(WIDTHS):
        ws.set_column(i, i, width)
    ws.freeze_panes(1, 0)
    bold, when = wb.add_format({"bold": True}), wb.add_format({"num_format": "yyyy-mm-dd h:mm:ss"})
    for col, title in enumerate(HEADERS):
        ws.write_string(0, col, gettext(lang, title), bold)
    count = 0
    for ev in session.exec(filtered_events(filters).limit(limit)):
        count += 1
        ws.write_datetime(count, 0, ev.ts.replace(tzinfo=None), when)
        texts = [ev.username, action_label(ev.action, lang), ev.action, object_type_label(ev.object_type, lang)]
        for col, value in enumerate(texts, start=1):
            if value:
                ws.write_string(count, col, writable(value))
        if ev.object_id is not None:
            ws.write_number(count, 5, ev.object_id)
        for col, value in ((6, ev.before), (7, ev.after), (8, ev.detail)):
            if value:
                ws.write_string(count, col, writable(value))
    wb.close()
    record_event(session=session, actor=actor, action="export", object_type="audit",
                 detail=f"{count} events; filters {filters}")
    session.commit()
    return buf.getvalue()
