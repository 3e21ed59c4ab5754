"""Set-up's organisations (issue 16): the Organisations tab, and the 'new counterpart' form
beside the agreement form. Every write goes through services.organisations."""
from __future__ import annotations

import streamlit as st

from services import labels
from services.organisations.records import (
    KINDS, delete_organisation, list_organisations, merge_organisations, organisation_usage, save_organisation,
)
from services.i18n.translate import N_
from ui.forms import choose, save
from ui.i18n import md_escape, t, tn

NEW = 0
FLASH = "org_flash"  # one per tab: every tab runs on each rerun, the hidden ones too
CP_FLASH = "cp_flash"


def _kind_label(kind: str) -> str:
    return t(labels.ORG_KIND_LABELS.get(kind, kind))


def organisation_fields(cur: dict, *, prefix: str, parents: dict[int, str]) -> dict:
    c = st.columns([1, 2, 1, 1])
    data = {
        "acronym": c[0].text_input(t("Acronym"), cur.get("acronym") or "", max_chars=40, key=f"{prefix}_acr"),
        "name_en": c[1].text_input(t("Name (English)"), cur.get("name_en") or "", max_chars=300, key=f"{prefix}_en"),
        "country": c[2].text_input(t("Country"), cur.get("country") or "", max_chars=80, key=f"{prefix}_country"),
        "kind": c[3].selectbox(t("Kind"), KINDS, index=KINDS.index(cur.get("kind") or "other"),
                               format_func=_kind_label, key=f"{prefix}_kind"),
    }
    c = st.columns(3)
    data["name_ms"] = c[0].text_input(t("Name (Bahasa Melayu)"), cur.get("name_ms") or "", key=f"{prefix}_ms")
    data["name_zh"] = c[1].text_input(t("Name (Chinese)"), cur.get("name_zh") or "", key=f"{prefix}_zh")
    with c[2]:
        data["parent_id"] = choose(t("Parent organisation"), parents, cur.get("parent_id"), key=f"{prefix}_parent",
                                   optional=True)
    return data


def show_flash(key: str = FLASH) -> None:
    """A success saved before st.rerun(), shown once after it."""
    if st.session_state.get(key):
        st.success(st.session_state.pop(key))


def new_counterpart(session, user, org_names: dict[int, str]) -> None:  # noqa: ANN001
    """A counterpart not yet in the list, added without leaving the agreement form."""
    show_flash(CP_FLASH)
    with st.expander(t("New counterpart (not in the list)")), st.form("new_cp_form", clear_on_submit=True, enter_to_submit=False):
        data = organisation_fields({}, prefix="newcp", parents=org_names)
        if st.form_submit_button(t("Add this organisation")):
            # save() confirms with a toast and reruns, so the new counterpart is in the list at once
            save(lambda: save_organisation(session=session, actor=user, data=data),
                 t("{acronym} added: choose it under Counterparts.", acronym=md_escape(data["acronym"])))


def organisations_tab(session, user, org_names: dict[int, str]) -> None:  # noqa: ANN001
    show_flash()
    orgs = list_organisations(session=session)
    st.dataframe([{t("Acronym"): o.acronym, t("Name (English)"): o.name_en, t("Name (Bahasa Melayu)"): o.name_ms or "",
                   t("Name (Chinese)"): o.name_zh or "", t("Country"): o.country, t("Kind"): _kind_label(o.kind),
                   t("Parent organisation"): org_names.get(o.parent_id, "")} for o in orgs],
                 hide_index=True, width="stretch")
    org_id = choose(t("Organisation to edit"), {NEW: t("New organisation"), **org_names}, key="org_pick")
    current = next((o.model_dump() for o in orgs if o.id == org_id), {})
    with st.form("org_form", enter_to_submit=False):
        data = organisation_fields(current, prefix=f"org{org_id}", parents=org_names)
        if st.form_submit_button(t("Save organisation"), type="primary"):
            save(lambda: save_organisation(session=session, actor=user, data=data, organisation_id=org_id or None),
                 t("Organisation saved."))
    left, right = st.columns(2)
    with left:
        st.subheader(t("Merge two records of the same body"))
        st.caption(t("Agreements, action items, users and sub-organisations of the second record move to the "
                     "first; the second record is then removed. Recorded in the audit trail."))
        keep = choose(t("Keep"), org_names, key="merge_keep")
        gone = choose(t("Merge into it and remove"), org_names, key="merge_gone")
        if st.button(t("Merge"), key="merge_go") and save(
                lambda: merge_organisations(session=session, actor=user, keep_id=keep, merge_id=gone),
                t("Merged.")):
            st.session_state[FLASH] = t("Merged.")
            st.rerun()
    with right:
        st.subheader(t("Delete an unused organisation"))
        target = choose(t("Organisation"), org_names, key="org_delete")
        if target is not None:
            st.caption(tn(N_("Used by {n} record."), N_("Used by {n} records."),
                          n=organisation_usage(session=session, organisation_id=target).total))
        if st.button(t("Delete"), key="org_delete_go") and save(
                lambda: delete_organisation(session=session, actor=user, organisation_id=target), t("Deleted.")):
            st.session_state[FLASH] = t("Deleted.")
            st.rerun()
