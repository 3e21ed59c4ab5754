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
from services.i18n.translate import N_
from ui.feedback import confirm_and_refresh, created, form_key
from ui.i18n import carried_key, date_format, error_text, fmt_date, fmt_datetime, local, t, tn, zone_label
from ui.visits import opened_anew
from ui.widgets import md_escape, rag_label, status_label

# The item's four figures in a smaller type that may wrap: Malay statuses ("Dalam pelaksanaan")
# and Chinese dates were cut with "…" in a quarter of the page (static style, no user text).
FACT_TILES_KEY = "item_fact_tiles"
FACT_TILES_STYLE = (f"<style>.st-key-{FACT_TILES_KEY} [data-testid=stMetricValue], "
                    f".st-key-{FACT_TILES_KEY} [data-testid=stMetricValue] * "
                    "{ font-size: 1.6rem; white-space: normal; overflow: visible; text-overflow: clip; }</style>")


def facts(d: ItemDetail) -> None:
    i = d.item
    st.html(FACT_TILES_STYLE)
    with st.container(key=FACT_TILES_KEY):
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
        t("Start"): fmt_date(i.start_date, "medium") if i.start_date else "–",
        t("Due"): fmt_date(i.due_date, "medium") if i.due_date else "–",
        t("Decided at"): f"{d.meeting_body}, {fmt_date(d.meeting.held_on)}" if d.meeting else "–",
    }
    st.dataframe([{t("Field"): k, t("Value"): v} for k, v in rows.items()], hide_index=True, width="stretch",
                 height=35 * (len(rows) + 1) + 3)  # every fact visible without scrolling
    if d.clause:
        st.caption(t("Source clause (Bahasa Melayu, verbatim)"))
        st.markdown(f"> {md_escape(d.clause)}")


def _keys(item_id: int) -> dict[str, str]:
    gen = st.session_state.setdefault(f"item_gen_{item_id}", 0)
    keys = {n: f"u_{n}_{item_id}_{gen}" for n in ("status", "progress", "note", "evidence", "confirm")}
    keys["status"] = carried_key(keys["status"])  # its labels follow the language, its choice is kept
    return keys


def update_form(session: Session, user: User, d: ItemDetail) -> None:
    item = d.item
    vkey, skey = f"item_version_{item.id}", f"item_stale_{item.id}"
    if opened_anew():  # back from another page: they work from what the page shows now
        st.session_state.pop(vkey, None)
        st.session_state.pop(skey, None)
    seen = st.session_state.setdefault(vkey, item.version)  # the version this user is looking at
    keys = _keys(item.id)
    open_ms = [m for m in d.milestones if m.completed_on is None]
    with st.form(f"update_{item.id}", enter_to_submit=False):
        st.subheader(t("Update progress"))
        c = st.columns(2)
        index = 0 if keys["status"] in st.session_state else labels.STATUS_ORDER.index(item.status)
        status = c[0].selectbox(t("Status"), labels.STATUS_ORDER, index=index,
                                format_func=lambda s: status_label(s), key=keys["status"])
        progress = c[1].number_input(t("Progress (%)"), 0, 100, value=item.progress, step=5, key=keys["progress"])
        note = st.text_area(t("Note (required when On hold, Cancelled or Red)"), max_chars=4000, key=keys["note"])
        evidence = st.text_input(t("Evidence link (https://…)"), key=keys["evidence"])
        confirm = st.checkbox(tn(N_("Complete even though {n} milestone is open"), N_("Complete even though {n} milestones are open"),
                                 n=len(open_ms)),
                              key=keys["confirm"]) if open_ms else False
        submitted = st.form_submit_button(t("Save update"), type="primary")
    if submitted:
        _save(session, user, item, seen, {"status": status, "progress": progress, "note": note,
                                         "evidence": evidence, "confirm": confirm})
    if skey in st.session_state:
        stale_panel(session, user, item, st.session_state[skey], keys)


def _save(session: Session, user: User, item, version: int, mine: dict) -> bool:  # noqa: ANN001
    """Save the user's input against `version` (the one they have seen); on success confirm
    and start a fresh form (does not return), else keep the input and say why. Returns True
    when refused as stale (the panel then shows the newest change)."""
    skey = f"item_stale_{item.id}"
    status, progress = resolve_status_progress(old_status=item.status, old_progress=item.progress,
                                               status=mine["status"] or item.status, progress=int(mine["progress"] or 0))
    try:
        update_progress(session=session, actor=user, item_id=item.id, expected_version=version, status=status,
                        progress=progress, note=mine["note"], evidence_url=mine["evidence"],
                        confirm_open_milestones=bool(mine["confirm"]))
    except StaleVersion as exc:
        # The message (key and values), not its text: the panel follows a language switch.
        st.session_state[skey] = {"message": exc.message, **{k: exc.current[k] for k in ("status", "progress", "note", "version")}}
        return True
    except ConfirmationNeeded as exc:
        st.warning(md_escape(error_text(exc)))
    except ServiceError as exc:
        st.error(md_escape(error_text(exc)))
    else:
        st.session_state[f"item_version_{item.id}"] = item.version
        st.session_state[f"item_gen_{item.id}"] += 1
        st.session_state.pop(skey, None)
        confirm_and_refresh(t("Update saved."))
    return False


def stale_panel(session: Session, user: User, item, theirs: dict, keys: dict[str, str]) -> None:  # noqa: ANN001
    """Their saved change beside the user's kept input, and a button that saves the kept input
    on top of their change (against the version shown here, so a third change is caught)."""
    st.error(md_escape(error_text(theirs["message"])))
    left, right = st.columns(2)
    with left:
        st.markdown(f"**{t('Their change (saved)')}**")
        st.markdown(f"{t('Status')}: {status_label(theirs['status'])}  \n{t('Progress')}: {theirs['progress']}%  \n"
                    f"{t('Note')}: {md_escape(theirs['note']) or '–'}")
    mine = {k: st.session_state.get(v) for k, v in keys.items()}
    with right:
        st.markdown(f"**{t('Your input (not saved yet)')}**")
        st.markdown(f"{t('Status')}: {status_label(mine['status'] or '')}  \n{t('Progress')}: {mine['progress']}%  \n"
                    f"{t('Note')}: {md_escape(mine['note']) or '–'}")
    if st.button(t("I have reviewed their change: save mine on top of it"), key=f"reapply_{item.id}", type="primary"):
        st.session_state[f"item_version_{item.id}"] = theirs["version"]
        if _save(session, user, item, theirs["version"], mine):
            st.rerun()  # yet another change came in: show it


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
        form = f"ms_add_{d.item.id}"
        with st.form(form_key(form), enter_to_submit=False):
            c = st.columns([3, 1])
            title = c[0].text_input(t("New milestone"), max_chars=300)
            due = c[1].date_input(t("Due"), value=None, format=date_format())
            if st.form_submit_button(t("Add milestone")):
                _attempt(lambda: add_milestone(session=session, actor=user, item_id=d.item.id, title=title,
                                               due_date=due), t("Milestone added."), form=form)


def _attempt(action, success: str, form: str | None = None) -> None:  # noqa: ANN001
    """Run a write; on success retire the create form `form` (nothing is created twice),
    confirm and refresh; on a refusal say why and keep the input."""
    try:
        action()
    except ServiceError as exc:
        st.error(md_escape(error_text(exc)))
    else:
        if form is not None:
            created(form, success)
        confirm_and_refresh(success)


def evidence(session: Session, user: User | None, d: ItemDetail, editable: bool) -> None:
    st.subheader(t("Evidence"))
    if d.evidence:
        st.dataframe([{t("Link"): e.url, t("Label"): e.label or "", t("Added"): fmt_date(e.added_at, "medium")}
                      for e in d.evidence], hide_index=True, width="stretch",
                     column_config={t("Link"): st.column_config.LinkColumn(t("Link"))})
    else:
        st.caption(t("No evidence links yet."))
    if editable:
        form = f"ev_add_{d.item.id}"
        with st.form(form_key(form), enter_to_submit=False):
            c = st.columns([3, 2])
            url = c[0].text_input(t("Link (https://…)"))
            label = c[1].text_input(t("Label"), max_chars=300)
            if st.form_submit_button(t("Add evidence")):
                _attempt(lambda: add_evidence(session=session, actor=user, item_id=d.item.id, url=url, label=label),
                         t("Evidence added."), form=form)


def history(d: ItemDetail) -> None:
    st.subheader(t("History"))
    if not d.history:
        st.caption(t("No updates yet."))
        return
    when = t("When ({zone})", zone=zone_label())  # the zone named once, in the header
    st.dataframe([{when: fmt_datetime(h.ts), t("Who"): h.who, t("What changed"): "; ".join(h.what),
                   t("Note"): h.note or "", t("Evidence"): h.evidence_url or "", t("Source"): h.source} for h in d.history],
                 hide_index=True, width="stretch",
                 column_config={t("Evidence"): st.column_config.LinkColumn(t("Evidence"))})
