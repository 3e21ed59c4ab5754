"""The Meetings page's and meeting mode's sections: a meeting's facts and record, what changed,
the joint body form, and the update-due notice on My items."""
from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Optional

import pandas as pd
import streamlit as st

from core.db import new_session
from services.agreements.options import Options
from services.i18n.translate import N_
from models import BodyMember
from models.text import text_limit
from services.meetings.bodies import SIDE_LABELS, SIDES, body_agreements, body_members, body_name, list_bodies
from services.meetings.changes import GROUPS, Changes
from services.meetings.cycle import updates_due
from services.meetings.minutes import MINUTES_LANGUAGES, build_minutes
from services.meetings.register import ItemNow, MeetingRecord
from ui.db import get_engine
from ui.i18n import current_language, fmt_date, t, tn
from ui.widgets import date_columns, item_table, md_escape, rag_label, status_label

GROUP_LABELS = {"new": N_("New"), "turned_red": N_("Turned Red"), "improved": N_("Improved"),
                "completed": N_("Completed"), "no_update": N_("No update since")}
MINUTES_LABELS = {"en": "English", "ms": "Bahasa Melayu", "zh": "中文", "ms+zh": "Bahasa Melayu + 中文",
                  "en+zh": "English + 中文"}


def body_picker(session, *, label: str, key: str, allow_none: Optional[str] = None) -> Optional[int]:  # noqa: ANN001
    """A select box of bodies by id (names in the reader's language), kept in ?body=."""
    bodies = {b.id: body_name(b, current_language()) for b in list_bodies(session=session)}
    keys = list(bodies) + ([None] if allow_none else [])  # the secretariat's review of everything last
    raw = str(st.query_params.get("body", ""))
    wanted = int(raw) if raw.isdigit() and int(raw) in bodies else (None if raw == "all" else (keys[0] if keys else None))
    chosen = st.selectbox(label, keys, index=keys.index(wanted) if keys else None, key=key,
                          format_func=lambda b: t(allow_none) if b is None else bodies[b])
    st.query_params["body"] = "all" if chosen is None else str(chosen)
    return chosen


def body_summary(session, body_id: int, today_next: Optional[tuple]) -> None:  # noqa: ANN001
    codes = [a.code for a in body_agreements(session=session, body_id=body_id)]
    if codes:
        st.caption(t("Oversees: {codes}", codes=md_escape(", ".join(codes))))
    else:
        st.warning(t("This body oversees no agreement yet: link its agreements under “Joint bodies” first."))
    members = body_members(session=session, body_id=body_id)
    if any(members.values()):
        cols = st.columns(2)
        for col, side in zip(cols, members):
            col.markdown(f"**{t(SIDE_LABELS[side])}**  \n" + "  \n".join(
                md_escape(", ".join(x for x in (m.name, m.role, m.organisation) if x)) for m in members[side]) or "–")
    if today_next:
        meeting_on, closes = today_next
        st.info(t("Next meeting {d}; updates are due by {w}.", d=fmt_date(meeting_on), w=fmt_date(closes)))


def meeting_facts(r: MeetingRecord, name: str, number: int) -> None:
    m = r.meeting
    st.header(f"{md_escape(name)} {number} — {fmt_date(m.held_on)}", divider="gray")
    st.caption(t("Venue: {v}", v=md_escape(m.venue) or "–") +
               (t(" · previous meeting {d}", d=fmt_date(r.previous.held_on)) if r.previous else ""))
    left, right = st.columns(2)
    left.markdown(f"**{t('Attendees (Malaysia)')}**  \n{md_escape(m.attendees_my) or '–'}")
    right.markdown(f"**{t('Attendees (counterpart)')}**  \n{md_escape(m.attendees_counterpart) or '–'}")
    if m.summary:
        st.markdown(f"**{t('Summary')}**  \n{md_escape(m.summary)}")


def _line(i: ItemNow) -> dict:
    return {t("Action item"): i.title, t("Status now"): status_label(i.status),
            t("Progress"): i.progress, t("RAG"): rag_label(i.rag), t("Due"): fmt_date(i.due)}


def columns() -> dict:
    return {
        t("Progress"): st.column_config.ProgressColumn(t("Progress"), min_value=0, max_value=100, format="%d%%"),
        **date_columns(t("Due")),
    }


def decisions_table(r: MeetingRecord) -> None:
    if not r.decisions and not r.new_items:
        st.caption(t("No decisions recorded for this meeting."))
        return
    rows = [{t("Decision"): d.text, **(_line(i) if i else {t("Action item"): "–"})} for d, i in r.decisions]
    ids = [i.id if i else None for _, i in r.decisions]
    linked = {i.id for _, i in r.decisions if i}
    rows += [{t("Decision"): "–", **_line(i)} for i in r.new_items if i.id not in linked]
    ids += [i.id for i in r.new_items if i.id not in linked]
    item_table(rows, ids, key=f"decisions_{r.meeting.id}", column_config=columns())


def changes_section(c: Changes, *, key: str) -> None:
    """One tab per group; every changed item with its move (from → to)."""
    st.caption(t("Measured from the snapshot of the last meeting (as presented).") if c.from_snapshot
               else t("Measured from the start of {d} (no snapshot of that meeting).", d=fmt_date(c.since)))
    tabs = st.tabs([f"{t(GROUP_LABELS[g])} ({len(c.groups[g])})" for g in GROUPS])
    for tab, group in zip(tabs, GROUPS):
        with tab:
            rows = [{t("Action item"): x.item.title, t("Agreement"): x.item.agreement,
                     t("Move"): _move(x), t("RAG"): rag_label(x.item.rag), t("Due"): fmt_date(x.item.due)}
                    for x in c.groups[group]]
            if rows:
                item_table(rows, [x.item.id for x in c.groups[group]], key=f"{key}_{group}", column_config=columns())
            else:
                st.caption(t("None since {d}.", d=fmt_date(c.since)))


def _move(x) -> str:  # noqa: ANN001
    now = f"{status_label(x.item.status)} {x.item.progress}%"
    return now if x.before is None else f"{status_label(x.before.status)} {x.before.progress}% → {now}"


def minutes_download(meeting_id: int, today: date, *, number: int, held_on: date) -> None:
    """The minutes (.docx), built only when the button is pressed, in the chosen language(s);
    the file is named as the page and the document number the meeting: minutes-3-2026-10-21-en.docx."""
    lang = st.selectbox(t("Minutes language"), list(MINUTES_LANGUAGES), format_func=MINUTES_LABELS.get,
                        index=list(MINUTES_LANGUAGES).index(current_language()), key=f"min_lang_{meeting_id}")
    engine = get_engine()

    def _build() -> bytes:
        with new_session(engine) as session:
            return build_minutes(session=session, meeting_id=meeting_id, lang=lang, today=today)

    st.download_button(t("Minutes (.docx)"), data=_build, icon=":material/download:", on_click="ignore",
                       file_name=f"minutes-{number}-{held_on.isoformat()}-{lang}.docx", key=f"min_{meeting_id}",
                       mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document")


MEMBER_COLUMNS = ("name", "organisation", "role", "side")


def member_rows(members: dict[str, list]) -> list[dict]:
    """A body's members (body_members' shape) as the member table's rows."""
    return [{"name": m.name, "organisation": m.organisation, "role": m.role, "side": m.side}
            for side in members.values() for m in side]


def members_from_editor(edited) -> list[dict]:  # noqa: ANN001
    """The member table's rows (a DataFrame) as save_body's members, in the order shown (a
    problem names its row); empty cells are None."""
    return [{c: v if isinstance(v, str) else None for c, v in row.items() if c in MEMBER_COLUMNS}
            for row in edited.to_dict("records")]


def member_editor(rows: list[dict], *, key: str) -> list[dict]:
    """The members of both sides as a table of typed rows: one member per row."""
    st.markdown(f"**{t('Members')}**")
    st.caption(t("One member per row; add a row at the bottom, delete one by selecting it."))
    edited = st.data_editor(
        pd.DataFrame(rows, columns=list(MEMBER_COLUMNS), dtype="object"), key=key, num_rows="dynamic",
        hide_index=True, width="stretch",
        column_config={
            "name": st.column_config.TextColumn(t("Name"), required=True, max_chars=text_limit(BodyMember, "name")),
            "organisation": st.column_config.TextColumn(t("Organisation"),
                                                        max_chars=text_limit(BodyMember, "organisation")),
            "role": st.column_config.TextColumn(t("Role"), max_chars=text_limit(BodyMember, "role")),
            "side": st.column_config.SelectboxColumn(t("Side"), options=list(SIDES), required=True, default=SIDES[0],
                                                     format_func=lambda s: t(SIDE_LABELS[s])),
        },
    )
    return members_from_editor(edited)


def body_fields(opts: Options, cur: dict, *, prefix: str) -> dict:
    """The joint body form: names, cadence, agreements, and the members' table (cur["members"]:
    member_rows)."""
    c = st.columns(3)
    data = {f"name_{lang}": col.text_input(t(label), cur.get(f"name_{lang}") or "", max_chars=300, key=f"{prefix}_{lang}")
            for col, lang, label in zip(c, ("en", "ms", "zh"), (N_("Name (English)"), N_("Name (Bahasa Melayu)"),
                                                              N_("Name (Chinese)")))}
    c = st.columns([3, 1])
    data["agreement_ids"] = c[0].multiselect(t("Agreements overseen"), list(opts.agreements), key=f"{prefix}_agr",
                                             default=cur.get("agreement_ids") or [], format_func=opts.agreements.get,
                                             placeholder=t("Choose options"))
    data["cadence_months"] = c[1].number_input(t("Meets every (months)"), 1, 24, cur.get("cadence_months") or None,
                                               key=f"{prefix}_cad")
    data["members"] = member_editor(cur.get("members") or [], key=f"{prefix}_members")
    return data


def update_due_notice(session, organisation_id: Optional[int], today: date) -> None:  # noqa: ANN001
    """On My items: 'Update due before <body> on <date>' for each body meeting soon."""
    if organisation_id is None:
        return
    for due in updates_due(session=session, organisation_id=organisation_id, today=today):
        st.warning(tn(N_("Update due before {body} on {date}: {n} of your items has no update since its last meeting "
                        "(updates by {w})."),
                     N_("Update due before {body} on {date}: {n} of your items have no update since its last meeting "
                        "(updates by {w})."), body=md_escape(body_name(due.body, current_language())), date=fmt_date(due.meeting_on),
                     n=len(due.item_ids), w=fmt_date(due.closes_on)), icon=":material/event:")


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


