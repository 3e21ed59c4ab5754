"""The item page's sections: facts, the update form (with the stale-version comparison),
milestones, evidence and history."""
from __future__ import annotations

from datetime import date

import streamlit as st
from sqlmodel import Session

from models import User
from services import labels
from services.errors import ConfirmationNeeded, ServiceError, StaleVersion
from services.items.detail import ItemDetail, add_evidence, add_milestone, set_milestone_done
from services.items.input_rules import resolve_status_progress
from services.items.progress import update_progress
from ui.i18n import error_text, fmt_date, local, t
from ui.widgets import md_escape, rag_label, status_label

FLASH = "item_flash"


def facts(d: ItemDetail) -> None:
    i = d.item
    c = st.columns(4)
    c[0].metric(t("Status"), status_label(i.status))
    c[1].metric(t("Progress"), f"{i.progress}%")
    c[2].metric(t("RAG"), rag_label(d.rag))
    c[3].metric(t("Due"), fmt_date(i.due_date, "medium"))
    if i.description:
        st.markdown(md_escape(i.description))
    rows = {
        t("Agreement"): f"{d.agreement.code} — {local(d.agreement, 'title')}",
        t("Commitment area"): local(d.area, "title"),
        t("Category"): t(labels.CATEGORY_LABELS.get(i.category, i.category)),
        t("Lead organisation"): f"{d.lead.acronym} — {local(d.lead, 'name')}" if d.lead else "–",
        t("Supporting organisations"): ", ".join(o.acronym for o in d.supporting) or "–",
        t("Counterpart focal point"): i.counterpart_focal_point or "–",
        t("Owner"): " ".join(filter(None, [i.owner_name, f"<{i.owner_email}>" if i.owner_email else None])) or "–",
        t("Start"): str(i.start_date or "–"), t("Due"): str(i.due_date or "–"),
        t("Decided at"): f"{d.meeting.body}, {d.meeting.held_on}" if d.meeting else "–",
        t("Version"): str(i.version),
    }
    st.dataframe([{t("Field"): k, t("Value"): v} for k, v in rows.items()], hide_index=True, width="stretch",
                 height=35 * (len(rows) + 1) + 3)  # every fact visible without scrolling
    if d.clause:
        st.caption(t("Source clause (Bahasa Melayu, verbatim)"))
        st.markdown(f"> {md_escape(d.clause)}")


def _keys(item_id: int) -> dict[str, str]:
    gen = st.session_state.setdefault(f"item_gen_{item_id}", 0)
    return {n: f"u_{n}_{item_id}_{gen}" for n in ("status", "progress", "note", "evidence", "confirm")}


def update_form(session: Session, user: User, d: ItemDetail) -> None:
    item = d.item
    vkey, skey = f"item_version_{item.id}", f"item_stale_{item.id}"
    seen = st.session_state.setdefault(vkey, item.version)  # the version this user is looking at
    keys = _keys(item.id)
    open_ms = [m for m in d.milestones if m.completed_on is None]
    with st.form(f"update_{item.id}"):
        st.subheader(t("Update progress"))
        c = st.columns(2)
        status = c[0].selectbox(t("Status"), labels.STATUS_ORDER, index=labels.STATUS_ORDER.index(item.status),
                                format_func=lambda s: status_label(s), key=keys["status"])
        progress = c[1].number_input(t("Progress (%)"), 0, 100, value=item.progress, step=5, key=keys["progress"])
        note = st.text_area(t("Note (required when On hold, Cancelled or Red)"), max_chars=4000, key=keys["note"])
        evidence = st.text_input(t("Evidence link (https://…)"), key=keys["evidence"])
        confirm = st.checkbox(t("Complete even though {n} milestone(s) are open", n=len(open_ms)),
                              key=keys["confirm"]) if open_ms else False
        submitted = st.form_submit_button(t("Save update"), type="primary")
    if submitted:
        status, progress = resolve_status_progress(old_status=item.status, old_progress=item.progress,
                                                   status=status, progress=int(progress))
        try:
            update_progress(session=session, actor=user, item_id=item.id, expected_version=seen, status=status,
                            progress=progress, note=note, evidence_url=evidence, confirm_open_milestones=confirm)
        except StaleVersion as exc:
            # The message (key and values), not its text: the panel follows a language switch.
            st.session_state[skey] = {"message": exc.message, **{k: exc.current[k] for k in ("status", "progress", "note")}}
        except ConfirmationNeeded as exc:
            st.warning(md_escape(error_text(exc)))
        except ServiceError as exc:
            st.error(md_escape(error_text(exc)))
        else:
            st.session_state[FLASH] = t("Update saved.")
            st.session_state[vkey] = item.version
            st.session_state[f"item_gen_{item.id}"] += 1
            st.session_state.pop(skey, None)
            st.rerun()
    if skey in st.session_state:
        stale_panel(item.id, item.version, st.session_state[skey], keys)


def stale_panel(item_id: int, current_version: int, theirs: dict, keys: dict[str, str]) -> None:
    """Their saved change beside the user's kept input, and a way to re-apply it."""
    st.error(md_escape(error_text(theirs["message"])))
    left, right = st.columns(2)
    with left:
        st.markdown(f"**{t('Their change (saved)')}**")
        st.markdown(f"{t('Status')}: {status_label(theirs['status'])}  \n{t('Progress')}: {theirs['progress']}%  \n"
                    f"{t('Note')}: {md_escape(theirs['note']) or '–'}")
    with right:
        mine = {k: st.session_state.get(v) for k, v in keys.items()}
        st.markdown(f"**{t('Your input (not saved yet)')}**")
        st.markdown(f"{t('Status')}: {status_label(mine['status'] or '')}  \n{t('Progress')}: {mine['progress']}%  \n"
                    f"{t('Note')}: {md_escape(mine['note']) or '–'}")
    if st.button(t("I have reviewed their change: save mine on top of it"), key=f"reapply_{item_id}"):
        st.session_state[f"item_version_{item_id}"] = current_version
        st.session_state.pop(f"item_stale_{item_id}", None)
        st.rerun()


def flash() -> None:
    message = st.session_state.pop(FLASH, None)
    if message:
        st.success(message)


def milestones(session: Session, user: User | None, d: ItemDetail, editable: bool, today: date) -> None:
    st.subheader(t("Milestones"))
    if not d.milestones:
        st.caption(t("No milestones yet."))
    for m in d.milestones:
        label = md_escape(m.title) + (" — " + t("due {day}", day=fmt_date(m.due_date, "medium")) if m.due_date else "")
        done = st.checkbox(label, value=m.completed_on is not None, key=f"ms_{m.id}", disabled=not editable)
        if editable and done != (m.completed_on is not None):
            _attempt(lambda: set_milestone_done(session=session, actor=user, milestone_id=m.id, done=done, today=today),  # noqa: B023
                     t("Milestone updated."))
    if editable:
        with st.form(f"ms_add_{d.item.id}", clear_on_submit=True):
            c = st.columns([3, 1])
            title = c[0].text_input(t("New milestone"), max_chars=300)
            due = c[1].date_input(t("Due"), value=None, format="YYYY-MM-DD")
            if st.form_submit_button(t("Add milestone")):
                _attempt(lambda: add_milestone(session=session, actor=user, item_id=d.item.id, title=title,
                                               due_date=due), t("Milestone added."))


def _attempt(action, success: str) -> None:  # noqa: ANN001
    try:
        action()
    except ServiceError as exc:
        st.error(md_escape(error_text(exc)))
    else:
        st.session_state[FLASH] = success
        st.rerun()


def evidence(session: Session, user: User | None, d: ItemDetail, editable: bool) -> None:
    st.subheader(t("Evidence"))
    if d.evidence:
        st.dataframe([{t("Link"): e.url, t("Label"): e.label or "", t("Added"): fmt_date(e.added_at, "medium")}
                      for e in d.evidence], hide_index=True, width="stretch",
                     column_config={t("Link"): st.column_config.LinkColumn(t("Link"))})
    else:
        st.caption(t("No evidence links yet."))
    if editable:
        with st.form(f"ev_add_{d.item.id}", clear_on_submit=True):
            c = st.columns([3, 2])
            url = c[0].text_input(t("Link (https://…)"))
            label = c[1].text_input(t("Label"), max_chars=300)
            if st.form_submit_button(t("Add evidence")):
                _attempt(lambda: add_evidence(session=session, actor=user, item_id=d.item.id, url=url, label=label),
                         t("Evidence added."))


def history(d: ItemDetail) -> None:
    st.subheader(t("History"))
    if not d.history:
        st.caption(t("No updates yet."))
        return
    st.dataframe([{t("When"): h.ts.strftime("%Y-%m-%d %H:%M"), t("Who"): h.who, t("What changed"): "; ".join(h.what),
                   t("Note"): h.note or "", t("Evidence"): h.evidence_url, t("Source"): h.source} for h in d.history],
                 hide_index=True, width="stretch",
                 column_config={t("Evidence"): st.column_config.LinkColumn(t("Evidence"))})
