"""The meetings page's sections."""
from __future__ import annotations

import streamlit as st

from services.meetings.register import Changes, ItemNow, MeetingDetail
from services.i18n.translate import N_
from ui.i18n import fmt_date, t
from ui.widgets import date_columns, item_table, md_escape, rag_label, status_label


def meeting_facts(d: MeetingDetail) -> None:
    m = d.meeting
    st.header(f"{md_escape(m.body)} — {fmt_date(m.held_on)}", divider="gray")
    st.caption(t("Venue: {v}", v=md_escape(m.venue) or "–") + (t(" · previous meeting {d}", d=d.previous.held_on) if d.previous else ""))
    left, right = st.columns(2)
    left.markdown(f"**{t('Attendees (Malaysia)')}**  \n{md_escape(m.attendees_my) or '–'}")
    right.markdown(f"**{t('Attendees (counterpart)')}**  \n{md_escape(m.attendees_counterpart) or '–'}")
    if m.summary:
        st.markdown(f"**{t('Summary')}**  \n{md_escape(m.summary)}")


def _line(i: ItemNow) -> dict:
    return {t("Action item"): i.title, t("Status now"): status_label(i.status),
            t("Progress"): i.progress, t("RAG"): rag_label(i.rag), t("Due"): i.due}


def columns() -> dict:
    return {
        t("Progress"): st.column_config.ProgressColumn(t("Progress"), min_value=0, max_value=100, format="%d%%"),
        **date_columns(t("Due")),
    }


def decisions_table(d: MeetingDetail) -> None:
    if not d.decisions:
        st.caption(t("No decisions recorded for this meeting."))
        return
    rows, ids = [], []
    for decision, item in d.decisions:
        line = _line(item) if item else {t("Action item"): "–", t("Status now"): "–",
                                           t("Progress"): None, t("RAG"): "–", t("Due"): None}
        rows.append({t("Decision"): decision.text, **line})
        ids.append(item.id if item else None)
    item_table(rows, ids, key=f"decisions_{d.meeting.id}", column_config=columns())


SECTIONS = [("turned_red", N_("Turned Red")), ("improved", N_("Improved")), ("completed", N_("Completed")),
            ("no_update", N_("No update since"))]


def changes_section(c: Changes) -> None:
    tabs = st.tabs([f"{t(label)} ({len(getattr(c, name))})" for name, label in SECTIONS])
    for tab, (name, label) in zip(tabs, SECTIONS):  # noqa: B007
        with tab:
            lines = getattr(c, name)
            if lines:
                item_table([_line(i) for i in lines], [i.id for i in lines], key=f"changes_{name}",
                           column_config=columns())
            else:
                st.caption(t("None since {d}.", d=fmt_date(c.since)))
