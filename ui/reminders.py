"""The reminders on the screens: "What needs you now" on My items (the digest's own list),
the digest frequency and the last mails on My account, "Request updates" on Meetings."""
from __future__ import annotations

from datetime import date
from typing import Optional

import streamlit as st

from core.settings import get_settings
from models import User
from services.i18n.content import display
from services.permissions import can_edit_structure
from services.reminders.due import REASON_LABELS, needs_me_now
from services.reminders.frequency import FREQUENCIES, FREQUENCY_LABELS, effective_frequency, set_digest_frequency
from services.reminders.ledger import KIND_LABELS, last_sent
from services.reminders.requests import find_request, next_meeting, request_updates
from services.overview.filtered import data_version
from ui.db import session_scope
from ui.forms import save
from ui.i18n import current_language, fmt_date, t
from ui.widgets import date_columns, item_table, md_escape


NEEDS_ME_SHOWN = 50  # rows of "What needs you now"; a digest of thousands is read in the list below


@st.cache_data(max_entries=32, show_spinner=False)
def _needs_me(version: tuple, organisation_id: int, today: date, stale_days: int) -> list:
    """needs_me_now, kept until the data changes (filtered.data_version), as the item lists are."""
    with session_scope() as session:
        return needs_me_now(session=session, organisation_id=organisation_id, today=today, stale_days=stale_days)


def needs_me_panel(session, user: Optional[User], today: date) -> None:  # noqa: ANN001
    """The items the user's next digest lists, with why and a link to each."""
    if user is None or user.organisation_id is None:
        return
    days = get_settings().stale_days
    items = _needs_me(data_version(session=session), user.organisation_id, today, days)
    st.subheader(t("What needs you now"))
    if not items:
        st.success(t("Nothing of your organisation is overdue, due within 14 days or out of date."))
        return
    lang = current_language()
    st.caption(t("Overdue, due within 14 days or not updated for {days} days: the list your e-mail digest sends.",
                 days=days))
    if len(items) > NEEDS_ME_SHOWN:
        st.caption(t("The first {shown} of {total}, the most overdue first; the list below holds them all.",
                     shown=f"{NEEDS_ME_SHOWN:,}", total=f"{len(items):,}"))
        items = items[:NEEDS_ME_SHOWN]
    item_table(
        [{t("Action item"): display(i, "title", lang), t("Why"): "; ".join(t(REASON_LABELS[r]) for r in i.reasons),
          t("Due"): i.due, t("Progress"): i.progress} for i in items],
        [i.id for i in items], key="needs_me",
        column_config={  # pixels: every column in view at 1400 px, in each language
            t("Action item"): st.column_config.Column(t("Action item"), width=300),
            t("Why"): st.column_config.Column(t("Why"), width=280),
            **date_columns(t("Due"), width=100),
            t("Progress"): st.column_config.ProgressColumn(t("Progress"), min_value=0, max_value=100, format="%d%%",
                                                           width=120),
        },
    )


def email_reminders_section(session, user: User) -> None:  # noqa: ANN001
    """My account: how often the digest comes, and the last mail of each kind."""
    st.subheader(t("E-mail reminders"))
    if not user.email:
        st.warning(t("Your account has no e-mail address, so no reminder can reach you. Ask an administrator."))
    else:
        st.caption(t("Reminders go to {email}.", email=md_escape(user.email)))
    current = effective_frequency(user)
    choice = st.radio(t("Digest of what needs you"), FREQUENCIES, index=FREQUENCIES.index(current),
                      format_func=lambda f: t(FREQUENCY_LABELS[f]), horizontal=True, key="digest_frequency")
    if choice != current and st.button(t("Save the digest setting"), key="digest_save"):
        save(lambda: set_digest_frequency(session=session, actor=user, user_id=user.id, frequency=choice),
             t("Digest setting saved."))
    sent = last_sent(session=session, user_id=user.id)
    if not sent:
        st.caption(t("No reminder has been sent to you yet."))
        return
    st.dataframe([{t("Mail"): t(KIND_LABELS.get(s.kind, s.kind)), t("Subject"): s.subject,
                   t("Last sent"): fmt_date(s.sent_at, "medium"), t("Sent to"): s.to} for s in sent],
                 hide_index=True, width="stretch", key="last_sent")


def request_updates_panel(session, user: Optional[User], body_id: Optional[int], body: str, today: date) -> None:  # noqa: ANN001
    """Secretariat: ask the focal points of the agenda's items for updates before the body's
    next meeting (mailed by the next send-reminders run)."""
    if body_id is None or not can_edit_structure(user):
        return
    target = next_meeting(session=session, body_id=body_id, today=today)
    if target is None:
        st.caption(t("Record {body}'s next meeting to request updates before it.", body=md_escape(body)))
        return
    done = find_request(session=session, meeting_id=target.meeting_id)
    if done is not None:
        st.caption(t("Updates requested on {day} for the meeting on {meeting}.",
                     day=fmt_date(done.requested_at, "medium"), meeting=fmt_date(target.held_on, "medium")))
        return
    if st.button(t("Request updates before the meeting on {day}", day=fmt_date(target.held_on, "medium")),
                 key="request_updates"):
        save(lambda: request_updates(session=session, actor=user, body_id=body_id, today=today),
             t("Request recorded: the focal points of the agenda's items get it by e-mail with the next reminder run."))
