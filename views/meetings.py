"""Joint bodies and their meetings: the body (agreements, members, next meeting), the register,
one meeting's record (mark held, minutes), and what changed since the body's last meeting."""

import streamlit as st

from services.agreements.options import load_options
from services.meetings.bodies import body_agreements, body_members, body_name, get_body, save_body
from services.meetings.cycle import window_closes
from services.meetings.register import (
    DECISION_LIMIT, changes_for_body, list_meetings, meeting_number, meeting_record, next_meeting, record_decision, save_meeting,
    snapshot_of,
)
from services.meetings.snapshot import mark_held
from services.permissions import can_edit_structure
from ui.db import session_scope
from ui.feedback import form_key
from ui.forms import item_fields, meeting_fields, save
from ui.i18n import current_language, date_format, fmt_date, md_escape, t
from ui.reminders import request_updates_panel
from ui.meetings_view import (
    body_fields, body_picker, body_summary, changes_section, decisions_table, meeting_facts, member_rows, minutes_download,
    utc_now,
)
from ui.session import current_user
from ui.widgets import sample_banner
from services.i18n.translate import local_today

st.title(t("Meetings"))
today = local_today()
lang = current_language()

with session_scope() as session:
    sample_banner(session)
    user = current_user(session)
    structure = can_edit_structure(user)
    body_id = body_picker(session, label=t("Joint body"), key="mt_body", allow_none=None)
    if structure:
        with st.expander(t("Joint bodies: add one, or edit this one")):
            opts = load_options(session=session, lang=lang)
            editing = st.toggle(t("Edit the body shown"), value=False, disabled=body_id is None, key="body_edit")
            cur = {}
            if editing and body_id is not None:
                b = get_body(session=session, body_id=body_id)
                members = body_members(session=session, body_id=body_id)
                cur = {**b.model_dump(), "agreement_ids": [a.id for a in body_agreements(session=session, body_id=body_id)]}
                cur["members"] = member_rows(members)
            # A new body's form is retired once it created one (a second press creates nothing).
            form = f"body_form_{body_id}" if editing else form_key("body_form_new")
            with st.form(form, enter_to_submit=False):
                data = body_fields(opts, cur, prefix=f"bf{body_id}" if editing else form)
                if st.form_submit_button(t("Save joint body")):
                    save(lambda: save_body(session=session, actor=user, data=data, body_id=body_id if editing else None),
                         t("Joint body saved."), form=None if editing else "body_form_new")
    if body_id is None:
        st.info(t("No joint body yet: add one under “Joint bodies”."))
        st.stop()
    upcoming = next_meeting(session=session, body_id=body_id, today=today)
    request_updates_panel(session, user, body_id, body_name(get_body(session=session, body_id=body_id), lang), today)
    body_summary(session, body_id, (upcoming.held_on, window_closes(upcoming)) if upcoming else None)

    if structure:
        with st.expander(t("Record or plan a meeting")):
            with st.form(form := form_key("new_meeting"), enter_to_submit=False):
                data = {"body_id": body_id, **meeting_fields({}, prefix=form)}
                if st.form_submit_button(t("Save meeting")):
                    save(lambda: save_meeting(session=session, actor=user, data=data), t("Meeting recorded."),
                         form="new_meeting")

    meetings = list_meetings(session=session, body_id=body_id)
    if not meetings:
        st.info(t("No meetings recorded yet."))
        st.stop()
    st.dataframe([{t("Date"): fmt_date(m.held_on), t("Venue"): m.venue or "", t("Held"): "✓" if m.held_at else t("planned")}
                  for m in meetings], hide_index=True, width="stretch")
    ids = [m.id for m in meetings]
    raw = str(st.query_params.get("meeting", ""))
    chosen = st.selectbox(t("Meeting"), ids, index=ids.index(int(raw)) if raw.isdigit() and int(raw) in ids else 0,
                          format_func=lambda i: next(fmt_date(m.held_on) + ("" if m.held_at else f" ({t('planned')})")
                                                     for m in meetings if m.id == i))
    st.query_params["meeting"] = str(chosen)
    record = meeting_record(session=session, meeting_id=chosen, today=today, lang=lang)
    m = record.meeting
    name = body_name(get_body(session=session, body_id=body_id), lang)
    number = meeting_number(session=session, meeting=m)
    meeting_facts(record, name, number)
    snap = snapshot_of(session=session, meeting_id=m.id)
    if m.held_at:
        st.success(t("Held; as presented at {body} {n} (recorded {d}).", body=md_escape(name),
                     n=number, d=fmt_date(snap.taken_at)) if snap
                   else t("Held; no snapshot of what was presented: what changed is measured from the meeting's day."))
    elif structure and m.held_on <= today and st.button(t("Mark this meeting held"), type="primary", key="mark_held"):
        if save(lambda: mark_held(session=session, actor=user, meeting_id=m.id, today=today, now=utc_now()),
                t("Meeting marked held; the agenda as presented is kept.")):
            st.rerun()
    minutes_download(m.id, today, number=number, held_on=m.held_on)
    if structure:
        with st.expander(t("Edit this meeting")):
            with st.form("edit_meeting", enter_to_submit=False):
                data = {"body_id": body_id, **meeting_fields(m.model_dump(), prefix=f"em{m.id}")}
                if st.form_submit_button(t("Save changes")):
                    save(lambda: save_meeting(session=session, actor=user, data=data, meeting_id=m.id),
                         t("Meeting saved."))
    st.subheader(t("Decisions and their action items now"))
    decisions_table(record)
    if structure:
        with st.expander(t("Add a decision")):
            new_item = st.checkbox(t("The decision creates a new action item"), value=True, key="dec_new")
            with st.form(form := form_key("new_decision"), enter_to_submit=False):
                text = st.text_area(t("Decision"), max_chars=DECISION_LIMIT, key=f"{form}_text")
                item = item_fields(load_options(session=session, lang=lang), {}, prefix=form) if new_item else None
                if st.form_submit_button(t("Save decision")):
                    save(lambda: record_decision(session=session, actor=user, meeting_id=chosen, text=text, new_item=item),
                         t("Decision recorded."), form="new_decision")

    st.subheader(t("What changed since the last meeting"))
    changes = changes_for_body(session=session, body_id=body_id, today=today, lang=lang)
    since = st.date_input(t("Since"), value=changes.since, max_value=today, format=date_format(), key="mt_since",
                          help=t("By default the body's last meeting before today."))
    if since != changes.since:
        changes = changes_for_body(session=session, body_id=body_id, today=today, since=since, lang=lang)
    changes_section(changes, key="mt_changes")
