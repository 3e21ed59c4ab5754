"""Meeting mode: a presenter view for a body's meeting. The agenda builds itself (each
agreement, then its Red, overdue and out-of-date items), one point per screen; decisions and
new action items recorded here land in the meeting's record."""
from datetime import date

import streamlit as st

from services.errors import ServiceError
from services.meetings.mode import (
    agreement_areas, create_meeting_item, ensure_meeting, find_meeting, list_bodies, meeting_record,
    record_decision,
)
from services.permissions import can_edit_structure
from ui.db import session_scope
from ui.i18n import current_language, document_language, error_md, fmt_date, t
from ui.meeting import (
    LARGE_TYPE, POINT_KEY, agenda_for, agenda_label, current_point, optional_item, pack_download, show_point, step,
)
from ui.session import current_user
from ui.widgets import md_escape, sample_banner

st.set_page_config(layout="wide")  # a presenter view uses the whole screen
st.title(t("Meeting mode"))
today = date.today()
with session_scope() as session:
    sample_banner(session)
    user = current_user(session)
    may_record = can_edit_structure(user)
    bodies = list_bodies(session=session)

wanted = st.query_params.get("body")
top = st.columns([3, 1, 2])
body = top[0].selectbox(t("Body"), bodies, index=bodies.index(wanted) if wanted in bodies else 0, format_func=t,
                        on_change=lambda: st.session_state.update({POINT_KEY: 0}))
st.query_params["body"] = body
held_on = top[1].date_input(t("Meeting date"), value=today, format="DD/MM/YYYY")
with top[2]:
    lang = document_language(t("Pack language"), key="mm_lang")
    pack_download(body, lang)

agenda = agenda_for(body, today)
if not agenda:
    st.info(t("This body follows no agreement yet."))
    st.stop()
n = current_point(len(agenda))
point = agenda[n]
st.html(LARGE_TYPE)

nav = st.columns([1, 4, 1])
nav[0].button(t("◀ Previous"), on_click=step(-1), disabled=n == 0, key="mm_prev", width="stretch")
nav[1].progress((n + 1) / len(agenda), text=t("Point {i} of {n}", i=n + 1, n=len(agenda)))
nav[2].button(t("Next ▶"), on_click=step(1), disabled=n == len(agenda) - 1, key="mm_next", width="stretch")
show_point(point, today)

st.divider()
record, agenda_col = st.columns([3, 2])
with record:
    st.subheader(t("Record for this meeting"))
    if not may_record:
        st.info(t("Sign in as secretariat or administrator to record decisions and new action items."))
    else:
        decision_tab, item_tab = st.tabs([t("Decision"), t("New action item")])
        with decision_tab, st.form("mm_decision", clear_on_submit=True):
            text = st.text_area(t("Decision"), max_chars=4000)
            link = st.checkbox(t("About the action item on screen"), value=point.kind == "item",
                               disabled=point.kind != "item")
            if st.form_submit_button(t("Record the decision"), type="primary"):
                with session_scope() as session:
                    try:
                        meeting = ensure_meeting(session=session, actor=current_user(session), body=body, held_on=held_on)
                        record_decision(session=session, actor=current_user(session), meeting_id=meeting.id,
                                        text=text, item_id=optional_item(point) if link else None)
                        st.success(t("Decision recorded in the meeting of {d}.", d=fmt_date(held_on)))
                    except ServiceError as exc:
                        st.error(error_md(exc))
        with item_tab, st.form("mm_item", clear_on_submit=True):
            with session_scope() as session:
                areas = dict(agreement_areas(session=session, agreement_id=point.agreement_id,
                                             lang=current_language()))
            area_id = st.selectbox(t("Commitment area"), list(areas), format_func=areas.get)
            title = st.text_input(t("Action item"), max_chars=500)
            due = st.date_input(t("Due date"), value=None, format="DD/MM/YYYY")
            owner = st.text_input(t("Owner"), max_chars=200)
            if st.form_submit_button(t("Add the action item"), type="primary"):
                with session_scope() as session:
                    try:
                        meeting = ensure_meeting(session=session, actor=current_user(session), body=body, held_on=held_on)
                        create_meeting_item(session=session, actor=current_user(session), meeting_id=meeting.id,
                                            area_id=area_id, title=title, due_date=due, owner_name=owner)
                        st.success(t("Action item added to the meeting of {d}.", d=fmt_date(held_on)))
                    except ServiceError as exc:
                        st.error(error_md(exc))
    with session_scope() as session:
        meeting = find_meeting(session=session, body=body, held_on=held_on)
        decisions, items = meeting_record(session=session, meeting_id=meeting.id) if meeting else ([], [])
    if decisions or items:
        st.markdown(t("**Recorded at this meeting**"))
        st.markdown("\n".join([f"- {md_escape(d.text)}" for d in decisions] +
                              [f"- {t('New action item')}: {md_escape(i.title)}" for i in items]))

with agenda_col:
    st.subheader(t("Agenda"))
    st.markdown("\n".join(
        f"- {'**' if i == n else ''}{md_escape(agenda_label(i + 1, p))}{'**' if i == n else ''}"
        for i, p in enumerate(agenda)
    ))
