"""Audit trail (secretariat and administrators): read-only, filtered, exported to Excel."""
from datetime import timedelta

import streamlit as st

from services.audit.trail import AuditFilter, audit_choices, list_events
from services.audit.export import export_events_xlsx
from services.audit.labels import action_label, object_type_label
from services.permissions import can_read_audit
from services.i18n.translate import N_
from ui.db import session_scope
from ui.downloads import XLSX, file_stamp, guarded_download
from ui.i18n import current_language, date_format, fmt_datetime, t, tn, zone_label
from ui.session import current_user, now

st.title(t("Audit trail"))
lang = current_language()
st.caption(t("Every sign-in, change, import, export and account change. Events cannot be edited or deleted."))

with session_scope() as session:
    choices = audit_choices(session=session, actor=current_user(session))

users = dict(choices["users"])
c1, c2, c3, c4 = st.columns([2, 2, 1, 3])
user_id = c1.selectbox(t("User"), [None, *users], format_func=lambda i: t("Anyone") if i is None else users[i],
                       key="audit_user")
object_type = c2.selectbox(t("Object type"), [None, *choices["object_types"]],
                           format_func=lambda v: t("Any") if v is None else object_type_label(v, lang), key="audit_type")
object_id = c3.number_input(t("Object id"), min_value=0, step=1, value=None, key="audit_object_id")
today = now().date()
period = c4.date_input(t("Between (UTC days)"), value=(today - timedelta(days=30), today), key="audit_period", format=date_format())
start, end = (period[0], period[-1]) if isinstance(period, (tuple, list)) and period else (None, None)
action = st.selectbox(t("Action"), [None, *sorted(choices["actions"], key=lambda a: action_label(a, lang))],
                      format_func=lambda v: t("Any") if v is None else action_label(v, lang), key="audit_action")
filters = AuditFilter(user_id=user_id, object_type=object_type,
                      object_id=int(object_id) if object_id is not None else None,
                      start=start, end=end, action=action)

with session_scope() as session:
    events = list_events(session=session, actor=current_user(session), filters=filters)

st.caption(tn(N_("{n} event (newest first)"), N_("{n} events (newest first)"), n=len(events)))
st.dataframe(
    [{t("When ({zone})", zone=zone_label()): fmt_datetime(e.ts), t("User"): e.username or "",
      t("Action"): action_label(e.action, lang),
      t("Object"): f"{object_type_label(e.object_type, lang)} {e.object_id if e.object_id is not None else ''}".strip(),
      t("Before"): e.before or "", t("After"): e.after or "", t("Detail"): e.detail or "",
      t("Action code"): e.action}  # the stored code, for IT and for reading exports side by side
     for e in events],
    hide_index=True, width="stretch",
)



def _export(session, user, at) -> bytes:  # noqa: ANN001
    return export_events_xlsx(session=session, actor=user, filters=filters, now=at, lang=lang)


guarded_download(t("Download the audit trail (.xlsx)"), key="audit_download", build=_export,
                 may=can_read_audit, file_name=f"audit-trail-{file_stamp(now())}.xlsx", mime=XLSX,
                 icon=":material/download:")
