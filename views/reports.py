"""Reports: export the Excel status report (everyone); import an edited report or a
ministry's own tracker (secretariat and admin)."""

import streamlit as st

from services.agreements.registry import list_agreements
from services.errors import Plural, ServiceError
from services.excel.imports.source import default_sheet
from services.i18n.translate import N_
from services.permissions import can_edit_structure
from ui import reports, uploads
from ui.db import session_scope
from ui.i18n import document_language, error_md, md_escape, t
from ui.session import current_user
from ui.widgets import sample_banner, upload_limit_mb
from services.excel.common import ITEMS_SHEET, label
from services.excel.report.workbook import AGREEMENT_SHEETS_MOST, DEFAULT_UPDATES_MOST
from services.i18n.translate import local_today


st.title(t("Reports"))
today = local_today()

with session_scope() as session:
    sample_banner(session)
    user = current_user(session)
    codes = [a.code for a in list_agreements(session=session, today=today)]

    st.subheader(t("Excel status report"))
    chosen = st.multiselect(t("Agreements (none chosen: all)"), codes, placeholder=t("All agreements"))
    left, right = st.columns(2)
    full = left.checkbox(t("Full update history (default: the last 90 days)"))
    lang = document_language(t("Report language"), container=right)
    reports.report_download(chosen, full, lang)
    st.caption(t("Without the full history, the {updates} sheet holds the last 90 days, or fewer whole days when "
                 "those hold more than {most} updates. A report of more than {sheets} agreements has no sheet "
                 "per agreement: its {items} sheet lists every item with its agreement. The {about} sheet says "
                 "which applied.", most=f"{DEFAULT_UPDATES_MOST:,}", sheets=f"{AGREEMENT_SHEETS_MOST:,}",
                 # the sheets' names in the report's language, as the workbook names them
                 updates=md_escape(label("Updates", lang)), items=md_escape(label(ITEMS_SHEET, lang)),
                 about=md_escape(label("About", lang))))

    if not can_edit_structure(user):
        st.caption(t("The secretariat and administrators can import Excel updates here."))
        st.stop()

    st.subheader(t("Import from Excel"))
    if done := st.session_state.pop("import_done", None):
        st.success(t("Import saved: {r}", r=error_md(done)))
    st.caption(t("Upload the Items sheet of an exported report after editing it, or your own tracker."))
    upload = st.file_uploader(t("Excel workbook (.xlsx, .xlsm, .xls or .csv; up to {mb} MB)", mb=f"{upload_limit_mb():,}"),
                              type=["xlsx", "xlsm", "xls", "csv"],
                              key=f"upload_{st.session_state.get('uploader_round', 0)}")
    if upload is None:
        st.session_state[reports.CONFIRM_KEY] = False
        st.stop()
    data = upload.getvalue()
    try:
        with st.status(t("Reading {name}…", name=md_escape(upload.name)), expanded=False) as reading:
            sheets = uploads.sheets_of(data, upload.name)  # parsed once per upload (ui/uploads.py)
            reading.update(label=error_md(Plural(N_("{name}: {n} sheet found."), N_("{name}: {n} sheets found."),
                                                 name=upload.name, n=len(sheets))), state="complete")
        sheet = reports.sheet_choice(sheets, default_sheet(sheets))
        header = st.number_input(t("Header row (0: find it)"), min_value=0, max_value=50, value=0)
        plan = uploads.plan_of(user, data, upload.name, today=today, sheet=sheet, header_row=header or None)
        mapping = reports.mapping_editor(plan) if plan.kind == "tracker" else None
        statuses = reports.value_mapping(plan)
        if (mapping is not None and mapping != plan.mapping) or (statuses is not None and statuses != plan.statuses):
            plan = uploads.plan_of(user, data, upload.name, today=today, sheet=sheet,
                                   header_row=header or None if mapping is None else plan.header_row,
                                   mapping=mapping, statuses=statuses)
        accepted = reports.conflict_choice(plan)
        area_id = reports.area_choice(session, plan)
        reports.show_plan(plan, accepted, area_id)
        reports.confirm_and_apply(session, user, plan, accepted, area_id)
    except ServiceError as exc:
        st.session_state[reports.CONFIRM_KEY] = False
        st.error(error_md(exc))
