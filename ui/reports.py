"""The Reports page's pieces: the export's download (built when pressed), and the import's
preview, conflict choice, tracker mapping editor and confirmation. Only the uploaded bytes
and plain choices live in st.session_state; the plan is rebuilt from them on each rerun."""
from __future__ import annotations

from datetime import datetime, timezone
from io import BytesIO
from typing import Optional, Sequence

import streamlit as st

from services.excel.imports.apply import apply_import
from services.excel.report.workbook import write_report
from services.excel.imports.tracker import TRACKER_FIELDS, area_choices
from services.errors import Plural
from services.excel.imports.plan import ImportPlan
from services.excel.imports.reader import SheetChoice
from services.excel.imports.status_words import suggest_status
from services.excel.common import status_label
from services.labels import STATUS_ORDER
from services.i18n.translate import N_
from ui import uploads
from ui.downloads import XLSX, any_account, file_stamp, guarded_download
from ui.i18n import current_language, error_md, md_escape, t, tn
from ui.session import now as now_utc
from services.i18n.translate import local_today

CONFIRM_KEY = "import_confirm"
NOT_MAPPED = -1


def report_download(codes: list[str], full_history: bool, lang: str) -> None:
    """The Excel report, built from the data as they are when the button is pressed (after
    the session check of ui/downloads.py); the file name carries the time it was offered."""
    def build(session, user, now: datetime) -> bytes:  # noqa: ANN001
        buf = BytesIO()
        write_report(session=session, actor=user, today=local_today(), now=now, out=buf,
                     codes=codes, lang=lang, full_history=full_history)
        return buf.getvalue()

    guarded_download(
        t("Download the Excel report"), key="report_download", build=build, may=any_account,
        file_name=f"mou-status-{file_stamp(now_utc())}.xlsx", mime=XLSX, type="primary",
        icon=":material/download:",
    )


def mapping_editor(plan: ImportPlan) -> dict[str, Optional[int]]:
    """One selectbox per field; the automatic match is preselected, the user corrects it."""
    st.caption(t("Columns were matched by their names. Check them and correct any that are wrong."))
    options = [NOT_MAPPED] + list(range(len(plan.headers)))
    names = {NOT_MAPPED: t("(not in this file)")} | {i: f"{chr(65 + i) if i < 26 else i + 1}: {h}"
                                                     for i, h in enumerate(plan.headers)}
    chosen = {}
    cols = st.columns(3)
    for n, (key, name) in enumerate(TRACKER_FIELDS.items()):
        current = plan.mapping.get(key)
        pick = cols[n % 3].selectbox(t(name), options, index=options.index(current if current is not None else NOT_MAPPED),
                                     format_func=names.get, key=f"map_{key}")
        chosen[key] = None if pick == NOT_MAPPED else pick
    return chosen


def _table(lines: list[dict]) -> list[dict]:
    """The service's lines keyed by English column names (catalog keys), headed in the language."""
    return [{t(k): v for k, v in line.items()} for line in lines]


def sheet_choice(sheets: list[SheetChoice], default: str) -> str:
    """The sheets in file order, hidden ones marked; the default is the first visible one."""
    names = [s.name for s in sheets]
    hidden = {s.name for s in sheets if s.hidden}
    return st.selectbox(t("Sheet"), names, index=names.index(default),
                        format_func=lambda n: t("{name} (hidden)", name=n) if n in hidden else n)


def value_mapping(plan: ImportPlan) -> Optional[dict[str, str]]:
    """The value-mapping step: each status word of the file the tracker does not know, once,
    mapped by the user (a suggestion preselected). None when the file has no such word."""
    if not plan.status_words:
        return None
    st.subheader(t("Status words in this file"))
    st.caption(t("The tracker does not know these words. Choose the status each one means; the choice is "
                 "remembered for the next import of a tracker with the same columns."))
    lang = current_language()
    options = [""] + list(STATUS_ORDER)
    mapping = dict(plan.statuses)
    for n, (word, rows) in enumerate(plan.status_words.items()):
        suggested = suggest_status(word)
        pick = st.selectbox(
            t("'{word}' (rows {rows})", word=md_escape(word), rows=", ".join(map(str, rows[:8]))), options,
            index=options.index(suggested) if suggested else 0, key=f"status_word_{n}_{word}",
            format_func=lambda v: status_label(v, lang) if v else t("(choose a status)"))
        if pick:
            mapping[word] = pick
    return mapping


def show_plan(plan: ImportPlan, accepted: Sequence[int] = (), area_id: Optional[int] = None) -> None:
    lang = current_language()
    st.write(error_md(plan.summary(accepted, area_id)))
    for note in plan.notes():
        st.caption(error_md(note))
    if plan.status_words:
        st.warning(t("Choose a status for each word above: nothing can be saved until every word is mapped."))
    if plan.problems:
        st.error(error_md(Plural(N_("The file has {n} problem. Nothing will be saved until it is fixed."),
                                   N_("The file has {n} problems. Nothing will be saved until they are fixed."),
                                   n=len(plan.problems))))
        st.dataframe(_table([p.cells(lang) for p in plan.problems]), hide_index=True, width="stretch")
        return
    if plan.status_words:
        return
    preview = plan.preview(lang)
    if preview:
        st.dataframe(_table(preview), hide_index=True, width="stretch", key="import_preview")
    else:
        st.info(t("The file matches the dashboard: there is nothing to change."))


def conflict_choice(plan: ImportPlan) -> list[int]:
    if not plan.conflicts:
        return []
    st.warning(tn(N_("{n} item was changed in the dashboard after this file was exported. It is left "
                     "out unless you choose it."),
                  N_("{n} items were changed in the dashboard after this file was exported. They are left "
                     "out unless you choose them."), n=len(plan.conflicts)))
    lang = current_language()
    st.dataframe(_table(plan.conflict_view(lang)), hide_index=True, width="stretch")
    titles = {r.item_id: f"{r.item_id}: {r.shown_title(lang)}" for r in plan.conflicts}
    return st.multiselect(t("Apply the file's values anyway for"), list(titles), format_func=titles.get,
                          placeholder=t("Choose options"))


def area_choice(session, plan: ImportPlan) -> Optional[int]:  # noqa: ANN001
    if not plan.new_rows:
        return None
    choices = dict(area_choices(session, current_language()))
    options = [NOT_MAPPED] + list(choices)
    st.info(tn(N_("{n} row matches no action item."), N_("{n} rows match no action item."), n=len(plan.new_rows)))
    pick = st.selectbox(t("Create them as new items under"), options, key="import_area",
                        format_func=lambda v: t("(do not create them)") if v == NOT_MAPPED else choices[v])
    return None if pick == NOT_MAPPED else pick


def confirm_and_apply(session, user, plan: ImportPlan, accepted: list[int], area_id: Optional[int]) -> None:  # noqa: ANN001
    """Two steps gated on a session_state flag (a dialog cannot be driven by AppTest)."""
    if not plan.ok or not plan.to_write(accepted, area_id):
        return
    if not st.session_state.get(CONFIRM_KEY):
        if st.button(t("Apply these changes"), type="primary"):
            st.session_state[CONFIRM_KEY] = True
            st.rerun()
        return
    writing = len(plan.to_write(accepted, area_id))
    st.warning(error_md(Plural(N_("Save {n} row as {who}? Every change is recorded in your name."),
                                 N_("Save {n} rows as {who}? Every change is recorded in your name."),
                                 n=writing, who=user.display_name)))
    yes, no = st.columns(2)
    if no.button(t("Cancel")):
        st.session_state[CONFIRM_KEY] = False
        st.rerun()
    if yes.button(t("Confirm import"), type="primary"):
        with st.status(t("Saving the import…"), expanded=False) as status, \
                uploads.row_progress(N_("Saving rows: {done} of {total}…")) as report:
            result = apply_import(session=session, actor=user, plan=plan, now=datetime.now(timezone.utc),
                                  accept_conflicts=accepted, area_id=area_id, progress=report)
            status.update(label=t("Import saved."), state="complete")
        st.session_state[CONFIRM_KEY] = False
        st.session_state["import_done"] = result.message  # shown in the language of the next rerun
        st.session_state["uploader_round"] = st.session_state.get("uploader_round", 0) + 1
        st.rerun()
