"""Meeting mode: a presenter view for a body's meeting. The agenda builds itself (each
agreement, then its Red, overdue, out-of-date and carried-over items), one point per screen;
decisions and new action items recorded here land in the meeting's record."""

import streamlit as st

from services.agreements.options import load_options
from services.meetings.mode import ALL_AGREEMENTS, agreement_areas
from services.meetings.register import changes_for_body, create_meeting_item, ensure_meeting, find_meeting, record_decision
from services.meetings.register import meeting_day, meeting_record
from services.permissions import can_edit_structure
from ui.db import session_scope
from ui.feedback import form_key
from ui.forms import save
from ui.i18n import current_language, date_format, document_language, fmt_date, t
from ui.meeting import LARGE_TYPE, agenda_for, agenda_label, current_point, optional_item, pack_download, show_point, step
from ui.meetings_view import body_picker, changes_section
from ui.session import current_user
from ui.widgets import md_escape, sample_banner
from services.i18n.translate import local_today

st.set_page_config(layout="wide")  # a presenter view uses the whole screen
st.title(t("Meeting mode"))
today = local_today()
top = st.columns([3, 1, 2])
with session_scope() as session:
    sample_banner(session)
    user = current_user(session)
    may_record = can_edit_structure(user)
    with top[0]:
        body_id = body_picker(session, label=t("Body"), key="mm_body", allow_none=ALL_AGREEMENTS)
    default_day = meeting_day(session=session, body_id=body_id, today=today)
    # keyed by body: choosing another body starts from that body's meeting day
    held_on = top[1].date_input(t("Meeting date"), value=default_day, format=date_format(), key=f"mm_day_{body_id}")
    new_meeting = body_id is not None and find_meeting(session=session, body_id=body_id, held_on=held_on) is None
with top[2]:
    lang = document_language(t("Pack language"), key="mm_lang")
    pack_download(body_id, today, lang, actor_id=user.id if may_record else None)

agenda = agenda_for(body_id, today)
if not agenda:
    st.warning(t("This body oversees no agreement yet: link its agreements on the Meetings page."))
    st.stop()
n = current_point(len(agenda))
point = agenda[n]
st.html(LARGE_TYPE)

nav = st.columns([1, 3, 1])
nav[0].button(t("◀ Previous"), on_click=step(-1), disabled=n == 0, key="mm_prev", width="stretch")
nav[1].progress((n + 1) / len(agenda), text=t("Point {i} of {n}", i=n + 1, n=len(agenda)))
nav[2].button(t("Next ▶"), on_click=step(1), disabled=n == len(agenda) - 1, key="mm_next", width="stretch")
show_point(point, today)

with st.expander(t("What changed since the last meeting")), session_scope() as session:
    changes_section(changes_for_body(session=session, body_id=body_id, today=today, lang=current_language()),
                    key="mm_changes")

st.divider()
record, agenda_col = st.columns([3, 2])
with record:
    st.subheader(t("Record for this meeting"))
    if not may_record or body_id is None:
        st.info(t("Sign in as secretariat or administrator to record decisions and new action items.") if not may_record
                else t("Choose a joint body to record its decisions."))
    else:
        if new_meeting:
            st.caption(t("No meeting of this body on {d} yet: recording a decision or an action item creates it.",
                         d=fmt_date(held_on)))
        decision_tab, item_tab = st.tabs([t("Decision"), t("New action item")])
        # Each create form is retired once it created (ui/feedback.form_key): a second press creates nothing.
        with decision_tab, st.form(form_key("mm_decision"), enter_to_submit=False):
            text = st.text_area(t("Decision"), max_chars=4000)
            link = st.checkbox(t("About the action item on screen"), value=point.kind == "item",
                               disabled=point.kind != "item")
            if st.form_submit_button(t("Record the decision"), type="primary"):
                with session_scope() as session:
                    actor = current_user(session)
                    save(lambda: record_decision(
                        session=session, actor=actor, text=text, item_id=optional_item(point) if link else None,
                        meeting_id=ensure_meeting(session=session, actor=actor, body_id=body_id, held_on=held_on, commit=False).id),
                        t("Decision recorded in the meeting of {d}.", d=fmt_date(held_on)), form="mm_decision")
        with item_tab, st.form(form_key("mm_item"), enter_to_submit=False):
            with session_scope() as session:
                areas = dict(agreement_areas(session=session, agreement_id=point.agreement_id, lang=current_language()))
                orgs = load_options(session=session, lang=current_language()).org_names
            area_id = st.selectbox(t("Commitment area"), list(areas), format_func=areas.get)
            title = st.text_input(t("Action item"), max_chars=500)
            lead = st.selectbox(t("Lead organisation"), list(orgs), index=None, format_func=orgs.get,
                                placeholder=t("Choose the lead organisation"))
            cols = st.columns(2)
            due = cols[0].date_input(t("Due date"), value=None, format=date_format())
            owner = cols[1].text_input(t("Owner"), max_chars=200)
            if st.form_submit_button(t("Add the action item"), type="primary"):
                with session_scope() as session:
                    actor = current_user(session)
                    data = {"area_id": area_id, "title": title, "lead_org_id": lead, "due_date": due, "owner_name": owner}
                    save(lambda: create_meeting_item(
                        session=session, actor=actor, data=data,
                        meeting_id=ensure_meeting(session=session, actor=actor, body_id=body_id, held_on=held_on, commit=False).id),
                        t("Action item added to the meeting of {d}.", d=fmt_date(held_on)), form="mm_item")
    if body_id is not None:
        with session_scope() as session:
            meeting = find_meeting(session=session, body_id=body_id, held_on=held_on)
            rec = meeting_record(session=session, meeting_id=meeting.id, today=today, lang=current_language()) \
                if meeting else None
        if rec and (rec.decisions or rec.new_items):
            st.markdown(t("**Recorded at this meeting**"))
            st.markdown("\n".join([f"- {md_escape(d.text)}" for d, _ in rec.decisions] +
                                  [f"- {t('New action item')}: {md_escape(i.title)}" for i in rec.new_items]))

with agenda_col:
    st.subheader(t("Agenda"))
    st.markdown("\n".join(
        f"- {'**' if i == n else ''}{md_escape(agenda_label(i + 1, p))}{'**' if i == n else ''}"
        for i, p in enumerate(agenda)
    ))
