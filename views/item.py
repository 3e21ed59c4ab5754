"""One action item: where it comes from, the update form, milestones, evidence, history."""

import streamlit as st

from services.errors import NotFound
from services.items.detail import get_item_detail
from services.items.progress import item_org_ids
from services.permissions import can_edit_structure, can_update_item
from ui.db import session_scope
from ui.i18n import current_language, error_text, local, t
from ui.item_view import evidence, facts, history, milestones, update_form
from ui.session import current_user
from ui.widgets import md_escape, sample_banner
from services.i18n.translate import local_today


today = local_today()
raw_id = str(st.query_params.get("id", ""))
if not raw_id.isdigit():
    st.title(t("Action item"))
    st.info(t("Open an item from the Action items page."))
    st.page_link("views/items.py", label=t("Go to Action items"), icon="✅")
    st.stop()

with session_scope() as session:
    sample_banner(session)
    user = current_user(session)
    try:
        detail = get_item_detail(session=session, item_id=int(raw_id), today=today, lang=current_language())
    except NotFound as exc:
        st.title(t("Action item"))
        st.error(md_escape(error_text(exc)))
        st.stop()
    st.title(md_escape(local(detail.item, "title")))
    if detail.item.archived:
        st.warning(t("This item is archived: it is kept with its history but left out of lists and reports."))
    links = st.columns(4)
    links[0].page_link("views/items.py", label=t("Back to Action items"), icon=":material/arrow_back:")
    if can_edit_structure(user):
        links[1].page_link("views/setup.py", label=t("Edit in Set-up"), icon=":material/edit:",
                           query_params={"item": str(detail.item.id)})
    facts(detail)
    editable = (user is not None and not detail.item.archived
                and can_update_item(user, item_org_ids(session, detail.item)))
    if editable:
        update_form(session, user, detail)
    elif user is None:
        st.caption(t("Sign in to update this item."))
    milestones(session, user, detail, editable, today)
    evidence(session, user, detail, editable)
    history(detail)
