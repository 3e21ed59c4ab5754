"""Joint working group meetings: the register, one meeting's decisions and their items now,
and what changed since a date (by default the body's last meeting)."""
from datetime import date

import streamlit as st

from services.meetings.register import (
    add_decision, body_agreement_ids, get_meeting_detail, last_meeting_date, list_bodies, list_meetings, save_meeting,
    what_changed_since,
)
from services.agreements.options import load_options
from services.permissions import can_edit_structure
from ui.db import session_scope
from ui.feedback import form_key
from ui.forms import item_fields, meeting_fields, save
from ui.i18n import current_language, date_format, t
from ui.meetings_view import changes_section, decisions_table, meeting_facts
from ui.session import current_user
from ui.widgets import sample_banner


st.title(t("Meetings"))
today = date.today()

with session_scope() as session:
    sample_banner(session)
    user = current_user(session)
    structure = can_edit_structure(user)
    bodies = list_bodies(session=session)
    wanted = st.query_params.get("body")
    body = st.selectbox(t("Body"), [None, *bodies], index=([None, *bodies].index(wanted) if wanted in bodies else 0),
                        format_func=lambda b: t("All bodies") if b is None else b)
    meetings = list_meetings(session=session, body=body)

    if structure:
        with st.expander(t("Record a meeting")):
            with st.form(form_key("new_meeting"), enter_to_submit=False):
                data = meeting_fields({"body": body}, bodies, prefix=form_key("new_meeting"))
                if st.form_submit_button(t("Save meeting")):
                    save(lambda: save_meeting(session=session, actor=user, data=data), t("Meeting recorded."),
                         form="new_meeting")

    if not meetings:
        st.info(t("No meetings recorded yet."))
        st.stop()
    st.dataframe([{t("Date"): m.held_on, t("Body"): m.body, t("Venue"): m.venue or ""} for m in meetings],
                 hide_index=True, width="stretch")
    ids = [m.id for m in meetings]
    raw = str(st.query_params.get("meeting", ""))
    chosen = st.selectbox(t("Meeting"), ids, index=ids.index(int(raw)) if raw.isdigit() and int(raw) in ids else 0,
                          format_func=lambda i: next(f"{m.held_on} — {m.body}" for m in meetings if m.id == i))
    st.query_params.from_dict({k: v for k, v in {"body": body, "meeting": str(chosen)}.items() if v})
    detail = get_meeting_detail(session=session, meeting_id=chosen, today=today, lang=current_language())

    meeting_facts(detail)
    if structure:
        with st.expander(t("Edit this meeting")):
            with st.form("edit_meeting", enter_to_submit=False):
                m = detail.meeting
                data = meeting_fields(m.model_dump(), bodies, prefix=f"em{m.id}")
                if st.form_submit_button(t("Save changes")):
                    save(lambda: save_meeting(session=session, actor=user, data=data, meeting_id=m.id),
                         t("Meeting saved."))
    st.subheader(t("Decisions and their action items now"))
    decisions_table(detail)
    if structure:
        with st.expander(t("Add a decision")):
            new_item = st.checkbox(t("The decision creates a new action item"), value=True, key="dec_new")
            with st.form(form_key("new_decision"), enter_to_submit=False):
                text = st.text_area(t("Decision"), max_chars=5000)
                opts = load_options(session=session, lang=current_language())
                item = item_fields(opts, {}, prefix=form_key("new_decision")) if new_item else None
                if st.form_submit_button(t("Save decision")):
                    save(lambda: add_decision(session=session, actor=user, meeting_id=chosen, text=text,
                                              new_item=item), t("Decision recorded."), form="new_decision")

    st.subheader(t("What changed since"))
    default_since = last_meeting_date(session=session, body=detail.meeting.body, today=today) or detail.meeting.held_on
    since = st.date_input(t("Since"), value=default_since, max_value=today, format=date_format(),
                          help=t("By default the date of the body's last meeting."))
    scope = body_agreement_ids(session=session, body=detail.meeting.body)
    st.caption(t("Items of the agreements this body's decisions concern.") if scope else t("Items of every agreement."))
    changes_section(what_changed_since(session=session, since=since, today=today, agreement_ids=scope,
                                       lang=current_language()))
