"""Action items: My items (first for focal points), and all items with filters, sort and the
bulk grid. One click on a row opens the item."""
from dataclasses import replace

import streamlit as st

from services.items.bulk import bulk_update, editable_item_ids
from services.items.listing import my_items_filter
from services.agreements.options import load_options
from models import Role
from services.permissions import can_edit_structure, can_update_some_items
from services.i18n.translate import N_
from ui.db import session_scope
from ui.feedback import confirm_and_refresh
from ui.i18n import current_language, lang_key, t, tn
from ui.items_view import (
    MY_COLUMNS, PAGE_SIZE, bulk_editor, items_page, editor_key, edits_from_state, filter_widgets, grid_key, items_table, kept_edits,
    page_picker, pending_changes, revert_row, show_bulk_result, url_filter, url_page, write_url,
)
from ui.reminders import needs_me_panel
from ui.meetings_view import update_due_notice
from ui.session import current_user
from ui.widgets import sample_banner
from services.i18n.translate import local_today


st.title(t("Action items"))
today = local_today()


def bulk_section(session, user, rows) -> None:  # noqa: ANN001
    """The grid of the rows this user may change (the rest locked out), the changed cells,
    and one save for all; after a save the list is read again."""
    gen = st.session_state.setdefault("bulk_gen", 0)
    allowed = editable_item_ids(session=session, actor=user, item_ids=[r.id for r in rows])
    mine = [r for r in rows if r.id in allowed]
    if len(mine) < len(rows):
        st.caption(tn(N_("{n} row you may not change (not led or supported by your organisation, or archived) "
                        "is locked: it is not in the grid."),
                     N_("{n} rows you may not change (not led or supported by your organisation, or archived) "
                        "are locked: they are not in the grid."), n=len(rows) - len(mine)))
    if not mine:
        return
    key = editor_key(gen, mine)
    # The versions the user was shown, kept across reruns, so a save based on rows someone
    # else changed meanwhile is refused instead of overwriting them.
    seen = st.session_state.setdefault(f"bulk_versions_{gen}", {})
    for r in mine:
        seen.setdefault(r.id, r.version)
    st.caption(t("Edit status, progress, due date or owner. Every row is checked before anything is saved."))
    bulk_editor(mine, key, due_editable=can_edit_structure(user))
    edits = edits_from_state(st.session_state.get(grid_key(key)), mine, seen, kept_edits(key))
    pending_changes(edits, mine)
    revert_row(edits, mine, key)  # drop one row's edits, keep the others
    note = st.text_area(t("Note for this batch (required)"), key=f"bulk_note_{gen}", max_chars=4000)
    confirm = st.checkbox(t("Complete items even if some milestones are still open"), key=f"bulk_confirm_{gen}")
    if st.button(t("Save all changes"), type="primary", key=f"bulk_save_{gen}"):
        if not edits:
            st.info(t("No cell was changed."))
            return
        outcome = bulk_update(session=session, actor=user, edits=edits, note=note, confirm_open_milestones=confirm)
        if outcome.ok:
            st.session_state["bulk_gen"] = gen + 1  # a fresh grid over the saved rows
            confirm_and_refresh(tn(N_("{n} item updated."), N_("{n} items updated."), n=len(outcome.saved)))
        show_bulk_result(outcome)


OPEN_TAB_KEY = "items_open_tab"

with session_scope() as session:
    sample_banner(session)
    user = current_user(session)
    focal = user is not None and user.role == Role.FOCAL_POINT and user.organisation_id is not None
    names = [t("My items"), t("All items")] if focal else [t("All items"), t("My items")]
    # The open tab is kept by its place, so a language switch (new labels) stays on it.
    tab_key = lang_key("items_tabs")
    opened = min(st.session_state.get(OPEN_TAB_KEY, 0), len(names) - 1)
    tabs = dict(zip(names, st.tabs(names, key=tab_key, default=names[opened], on_change="rerun")))
    if st.session_state.get(tab_key) in names:
        st.session_state[OPEN_TAB_KEY] = names.index(st.session_state[tab_key])

    with tabs[t("All items")]:
        opts = load_options(session=session, lang=current_language())
        flt = filter_widgets(opts, url_filter())  # the filters apply to this tab only
        result = items_page(session, flt, today=today, offset=url_page() * PAGE_SIZE)
        page = page_picker(result.total, result.offset // PAGE_SIZE)
        if page != result.offset // PAGE_SIZE:
            result = items_page(session, flt, today=today, offset=page * PAGE_SIZE)
        write_url(flt, page)
        st.caption(tn(N_("{n} item matches. Copy the address bar to share this view."),
                       N_("{n} items match. Copy the address bar to share this view."), n=result.total))
        items_table(result.rows, key="all_items_table")
        if can_update_some_items(user) and result.rows and st.toggle(t("Bulk edit these rows"), key="bulk_on"):
            bulk_section(session, user, result.rows)

    with tabs[t("My items")]:
        if user is None:
            st.info(t("Sign in to see the items of your organisation."))
        elif user.organisation_id is None:
            st.info(t("Your account has no organisation, so no items are yours."))
        else:
            needs_me_panel(session, user, today)
            update_due_notice(session, user.organisation_id, today)  # before a joint body's next meeting
            show_closed = st.checkbox(t("Include completed and cancelled items"), key="mine_closed")
            mine = items_page(session, replace(my_items_filter(user), open_only=not show_closed), today=today)
            st.caption(tn(N_("{n} item led or supported by your organisation, due soonest first."),
                           N_("{n} items led or supported by your organisation, due soonest first."), n=mine.total))
            items_table(mine.rows, key="my_items_table", columns=MY_COLUMNS)
