"""Set-up (secretariat): create and edit agreements, commitment areas and action items;
archive and restore. Nothing with history is deleted."""
import streamlit as st

from services.agreements.options import form_values, load_options, source_documents, source_text
from services.agreements.setup import create_item, edit_item, list_archived, save_agreement, save_area, set_archived
from ui.db import session_scope
from ui.feedback import form_key
from ui.forms import agreement_fields, area_fields, choose, item_fields, open_after_save, save, take_pending
from ui.i18n import current_language, t
from ui.session import current_user
from ui.setup_documents import texts_tab
from ui.setup_orgs import new_counterpart, organisations_tab
from ui.widgets import md_escape


st.title(t("Set-up"))
NEW = 0

with session_scope() as session:
    user = current_user(session)
    if user is None:
        st.info(t("Sign in as the secretariat or an administrator to set up agreements and items."))
        st.stop()
    opts = load_options(session=session, lang=current_language())
    # Issue 16 adds Organisations and Texts and clauses (ui/setup_orgs.py, ui/setup_documents.py).
    tab_agr, tab_orgs, tab_texts, tab_area, tab_item, tab_arch = st.tabs(
        [t("Agreements"), t("Organisations"), t("Texts and clauses"), t("Commitment areas"), t("Action items"),
         t("Archive")])
    with tab_orgs:
        organisations_tab(session, user, opts.org_names)
    with tab_texts:
        texts_tab(session, user, opts.agreements)

    with tab_agr:
        new_counterpart(session, user, opts.org_names)  # issue 16: a counterpart not yet in the list
        take_pending("agr_pick")
        agr_id = choose(t("Agreement to edit"), {NEW: t("New agreement"), **opts.agreements}, key="agr_pick")
        # A new object's form is also retired once it created (form_key): a second press that
        # still carries "new" in its select box finds no form to submit.
        with st.form(f"agr_form_{agr_id}" if agr_id else form_key("agr_form_0"), enter_to_submit=False):
            data = agreement_fields(opts, source_documents(session=session),
                                    form_values(session=session, kind="agreement", object_id=agr_id), prefix=f"agr{agr_id}")
            if st.form_submit_button(t("Save agreement"), type="primary"):
                save(lambda: save_agreement(session=session, actor=user, data=data, agreement_id=agr_id or None),
                     t("Agreement saved."), then=lambda row: open_after_save("agr_pick", row.id), form=None if agr_id else "agr_form_0")

    with tab_area:
        take_pending("area_pick")
        area_id = choose(t("Commitment area to edit"), {NEW: t("New commitment area"), **opts.areas}, key="area_pick")
        current = form_values(session=session, kind="area", object_id=area_id)
        with st.form(f"area_form_{area_id}" if area_id else form_key("area_form_0"), enter_to_submit=False):
            data = area_fields(opts, current, prefix=f"area{area_id}")
            if st.form_submit_button(t("Save commitment area"), type="primary"):
                save(lambda: save_area(session=session, actor=user, data=data, area_id=area_id or None),
                     t("Commitment area saved."), then=lambda row: open_after_save("area_pick", row.id),
                     form=None if area_id else "area_form_0")
        docs = source_documents(session=session)
        if docs:
            with st.expander(t("Source text to quote from")):
                doc_id = choose(t("Source document"), docs, key="area_doc")
                st.text(source_text(session=session, document_id=doc_id))

    with tab_item:
        raw = str(st.query_params.get("item", ""))
        if raw.isdigit() and st.session_state.get("_item_query") != raw:  # a link "Edit in Set-up" wins
            st.session_state["item_pick"] = int(raw)
        take_pending("item_pick", by_language=False)  # an id box: no labels to translate
        st.session_state.setdefault("item_pick", 0)
        item_id = int(st.number_input(t("Item id to edit (0 for a new item)"), min_value=0, step=1, key="item_pick"))
        st.session_state["_item_query"] = str(item_id)
        if item_id:
            st.query_params["item"] = str(item_id)
        else:
            st.query_params.pop("item", None)
        current = form_values(session=session, kind="item", object_id=item_id) if item_id else {}
        if item_id and not current:
            st.warning(t("No action item with id {i}.", i=item_id))
        else:
            if current:
                st.caption(t("Editing action item {i}: {title}", i=item_id, title=md_escape(current["title"])))
                st.page_link("views/item.py", label=t("Open the item page"), icon=":material/open_in_new:",
                             query_params={"id": str(item_id)})
            with st.form(f"item_form_{item_id}" if item_id else form_key("item_form_0"), enter_to_submit=False):
                data = item_fields(opts, current, prefix=f"item{item_id}")
                if st.form_submit_button(t("Save action item"), type="primary"):
                    save((lambda: edit_item(session=session, actor=user, item_id=item_id,
                                            expected_version=current["version"], data=data)) if item_id
                         else (lambda: create_item(session=session, actor=user, data=data)), t("Action item saved."),
                         then=lambda row: open_after_save("item_pick", row.id), form=None if item_id else "item_form_0")

    with tab_arch:
        kind = st.radio(t("What"), ["agreement", "area", "item"], horizontal=True, key="arch_kind",
                        format_func=lambda k: {"agreement": t("Agreements"), "area": t("Commitment areas"),
                                               "item": t("Action items")}[k])
        live = {"agreement": opts.agreements, "area": opts.areas}.get(kind)
        c = st.columns(2)
        with c[0]:
            st.subheader(t("Archive"))
            target = (choose(t("Choose"), live, key=f"arch_{kind}") if live is not None
                      else int(st.number_input(t("Item id"), min_value=1, step=1, key="arch_item")))
            if st.button(t("Archive it"), key="arch_go"):
                save(lambda: set_archived(session=session, actor=user, kind=kind, object_id=target, archived=True),
                     t("Archived. It stays in the database with its history and can be restored."))
        with c[1]:
            st.subheader(t("Archived"))
            archived = list_archived(session=session, lang=current_language())[kind]
            if not archived:
                st.caption(t("Nothing archived."))
            for object_id, label in archived:
                row = st.columns([4, 1])
                row[0].text(label)
                if row[1].button(t("Restore"), key=f"restore_{kind}_{object_id}"):
                    save(lambda: set_archived(session=session, actor=user, kind=kind, object_id=object_id,  # noqa: B023
                                              archived=False), t("Restored."))
