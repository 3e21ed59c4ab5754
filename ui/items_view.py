"""The items page's widgets: filters bound to the URL, the table, and the bulk editor."""
from __future__ import annotations

import zlib
from dataclasses import replace
from datetime import date
from typing import Optional

import streamlit as st

from services import labels
from services.items.bulk import BulkEdit, BulkResult
from services.items.input_rules import parse_date
from services.rules import RuleError
from services.errors import Message
from services.items.listing import (
    SORTS, ItemFilter, ItemListRow, ItemPage, filter_from_params, filter_to_params, list_items,
)
from services.overview.filtered import data_version
from services.i18n.translate import N_
from services.agreements.options import Options
from ui.db import session_scope
from ui.i18n import carried_key, current_language, date_format, error_text, lang_key, t, tn
from ui.widgets import PRESS_ENTER, date_columns, item_table, md_escape, none_dash, rag_label, status_label

SORT_LABELS = {"due": N_("Due date"), "title": N_("Title"), "status": N_("Status"), "progress": N_("Progress"),
               "updated": N_("Last update"), "rag": N_("RAG"), "agreement": N_("Agreement")}
BULK_COLUMNS = {N_("Status"): "status", N_("Progress"): "progress", N_("Due"): "due_date", N_("Owner"): "owner_name"}
PAGE_SIZE = 200


def items_page(session, flt: ItemFilter, *, today: date, offset: int = 0, limit: int = PAGE_SIZE) -> ItemPage:  # noqa: ANN001
    """One page of the items matching `flt` (services.items.listing.list_items), kept until the
    data changes (filtered.data_version, a cheap query), as the Overview's figures are: paging,
    switching tabs or a language rerun read nothing again; a save shows at once."""
    return _items_page(data_version(session=session), flt, today, offset, limit, current_language())


@st.cache_data(max_entries=64, show_spinner=False)
def _items_page(version: tuple, flt: ItemFilter, today: date, offset: int, limit: int, lang: str) -> ItemPage:
    with session_scope() as session:
        return list_items(session=session, flt=flt, today=today, offset=offset, limit=limit, lang=lang)


def url_filter() -> ItemFilter:
    return filter_from_params(st.query_params.to_dict())


def url_page() -> int:
    """The zero-based page number in the URL (?page=1 is the first)."""
    raw = str(st.query_params.get("page", "1"))
    return max(int(raw) - 1, 0) if raw.isdigit() else 0


def write_url(flt: ItemFilter, page: int = 0) -> None:
    """Mirror the view in the address bar so a copied link reproduces it."""
    params = filter_to_params(flt)
    if page:
        params["page"] = str(page + 1)
    if params != st.query_params.to_dict():
        st.query_params.from_dict(params)


def _pick(column, label: str, choices: dict, current, key: str):  # noqa: ANN001
    keys = [None, *choices]
    index = keys.index(current) if current in keys else 0
    return column.selectbox(label, keys, index=index, key=key,
                            format_func=lambda k: t("All") if k is None else choices[k])


def filter_widgets(opts: Options, flt: ItemFilter) -> ItemFilter:
    with st.expander(t("Filters"), expanded=True):
        c = st.columns(4)
        agreement = _pick(c[0], t("Agreement"), opts.agreements, flt.agreement, lang_key("f_agreement"))
        areas = {i: label for i, label in opts.areas.items() if agreement in (None, opts.area_agreement[i])}
        area = _pick(c[1], t("Commitment area"), areas, flt.area, lang_key("f_area"))
        category = _pick(c[2], t("Category"), {k: t(v) for k, v in labels.CATEGORY_LABELS.items()}, flt.category, lang_key("f_category"))
        lead = _pick(c[3], t("Lead organisation"), opts.orgs, flt.lead, lang_key("f_lead"))
        c = st.columns(4)
        status = c[0].multiselect(t("Status"), labels.STATUS_ORDER, default=list(flt.status),
                                  format_func=lambda s: status_label(s), key=lang_key("f_status"), placeholder=t("Choose options"))
        rag = c[1].multiselect(t("RAG"), labels.RAG_ORDER, default=list(flt.rag), format_func=rag_label, key=lang_key("f_rag"),
                               placeholder=t("Choose options"))
        owner = c[2].text_input(t("Owner"), value=flt.owner or "", key="f_owner", placeholder=t(PRESS_ENTER))
        q = c[3].text_input(t("Search text"), value=flt.q or "", key="f_q", placeholder=t(PRESS_ENTER))
        c = st.columns(4)
        due_from = c[0].date_input(t("Due from"), value=flt.due_from, key=lang_key("f_due_from"), format=date_format())
        due_to = c[1].date_input(t("Due to"), value=flt.due_to, key=lang_key("f_due_to"), format=date_format())
        sort = c[2].selectbox(t("Sort by"), SORTS, index=SORTS.index(flt.sort), key=lang_key("f_sort"),
                              format_func=lambda s: t(SORT_LABELS[s]))
        desc = c[3].checkbox(t("Descending"), value=flt.desc, key="f_desc")
    return replace(flt, agreement=agreement, area=area if area in areas else None, category=category,
                   lead=lead, status=tuple(status), rag=tuple(rag), owner=owner.strip() or None,
                   q=q.strip() or None, due_from=due_from, due_to=due_to, sort=sort, desc=desc)


# My items shows the columns a focal point acts on, so they fit at 1400 px without scrolling.
ALL_COLUMNS = ("title", "status", "progress", "rag", "due", "lead", "owner", "agreement", "last_update")
MY_COLUMNS = ("title", "status", "progress", "rag", "due", "owner", "last_update")
# Pixels: My items' columns add up to what a 1400 px screen shows beside the menu, so none needs
# sideways scrolling; a longer title or name is cut with "…" and shown whole on the item's page.
COLUMN_WIDTHS = {"title": 225, "status": 125, "progress": 105, "rag": 80, "due": 100, "lead": 70, "owner": 125,
                 "agreement": 150, "last_update": 105}
COLUMN_LABELS = {"title": N_("Action item"), "status": N_("Status"), "progress": N_("Progress"), "rag": N_("RAG"),
                 "due": N_("Due"), "lead": N_("Lead"), "owner": N_("Owner"), "agreement": N_("Agreement"),
                 "last_update": N_("Last update")}


def _cell(r: ItemListRow, column: str) -> object:
    if column == "status":
        return status_label(r.status)
    if column == "rag":
        return rag_label(r.rag)
    if column in ("progress", "due", "last_update"):
        return getattr(r, column)  # typed, so the table sorts them; shown by date_columns()
    return none_dash(getattr(r, column))


def items_table(rows: list[ItemListRow], *, key: str, columns: tuple[str, ...] = ALL_COLUMNS) -> None:
    """The items, one click on a row opening it; dates in the language's format."""
    labels = {c: t(COLUMN_LABELS[c]) for c in columns}
    config: dict = {labels[c]: st.column_config.Column(labels[c], width=COLUMN_WIDTHS[c]) for c in columns}
    config |= date_columns(*[labels[c] for c in ("due", "last_update") if c in labels], width=COLUMN_WIDTHS["due"])
    if "progress" in labels:
        config[labels["progress"]] = st.column_config.ProgressColumn(
            labels["progress"], min_value=0, max_value=100, format="%d%%", width=COLUMN_WIDTHS["progress"])
    item_table([{labels[c]: _cell(r, c) for c in columns} for r in rows], [r.id for r in rows], key=key,
               column_config=config)


def page_picker(total: int, current: int) -> int:
    """Zero-based page chosen by the user; `current` is where the URL put them."""
    pages = max(1, -(-total // PAGE_SIZE))
    if pages == 1:
        return 0
    number = st.number_input(t("Page (of {n})", n=pages), min_value=1, max_value=pages,
                             value=min(current + 1, pages), key="f_page")
    return int(number) - 1


def editor_key(gen: int, rows: list[ItemListRow]) -> str:
    """The editor's cell edits are stored by row position: a key that changes with the rows
    shown means edits made under one filter can never land on the rows of another."""
    return f"bulk_editor_{gen}_{zlib.crc32(','.join(str(r.id) for r in rows).encode()):08x}"


# The editor's columns are codes, its cells hold codes (a status is 'in_progress'), and only
# the headers and the shown labels are translated: the grid's identity does not change with
# the language, so unsaved edits survive a language switch.
EDITOR_LABELS = {"id": N_("ID"), "title": N_("Action item"), **{v: k for k, v in BULK_COLUMNS.items()}}


def grid_key(base: str) -> str:
    """The grid's widget key now: `base` (editor_key) until a row is reverted, then a new key
    for each revert (a data_editor's edits cannot be changed by the script, only started again
    from data that already holds the edits kept: see revert_row)."""
    rev = st.session_state.get(f"{base}_rev", 0)
    return base if rev == 0 else f"{base}_r{rev}"


def kept_edits(base: str) -> dict[int, dict]:
    """Unsaved edits carried into the grid by the last revert: item id -> {column code: value}."""
    return st.session_state.get(f"{base}_kept", {})


def _cells(r: ItemListRow, kept: dict) -> dict:
    cells = {"id": r.id, "title": r.title, "status": r.status, "progress": r.progress, "due_date": r.due,
             "owner_name": r.owner}
    for column, value in kept.items():
        if column == "due_date":  # the grid's cells hold dates; an unreadable one is refused at save
            try:
                value = parse_date(value)
            except RuleError:
                continue
        cells[column] = value
    return cells


def bulk_editor(rows: list[ItemListRow], base: str, *, due_editable: bool) -> None:
    """The grid of the rows the user may change (with the edits a revert kept); Due is locked
    (marked 🔒) below the secretariat."""
    locked = ["id", "title"] + ([] if due_editable else ["due_date"])
    due_label = t("Due") + ("" if due_editable else " 🔒")
    kept = kept_edits(base)
    st.data_editor(
        [_cells(r, kept.get(r.id, {})) for r in rows],
        key=grid_key(base), hide_index=True, width="stretch", num_rows="fixed", disabled=locked,
        column_config={
            "id": st.column_config.NumberColumn(t("ID")),
            "title": st.column_config.TextColumn(t("Action item") + " 🔒"),
            "status": st.column_config.SelectboxColumn(t("Status"), options=labels.STATUS_ORDER, required=True,
                                                       format_func=status_label),
            "progress": st.column_config.NumberColumn(t("Progress"), min_value=0, max_value=100, step=1),
            "due_date": st.column_config.DateColumn(due_label, format=date_format()),
            "owner_name": st.column_config.TextColumn(t("Owner"), max_chars=200),
        },
    )


def edits_from_state(state: Optional[dict], rows: list[ItemListRow], versions: dict[int, int],
                     kept: Optional[dict[int, dict]] = None) -> list[BulkEdit]:
    """The changed cells (those a revert kept, then the grid's own) as service edits, in the
    rows' order, at the versions the user was shown."""
    changes: dict[int, dict] = {item_id: dict(cells) for item_id, cells in (kept or {}).items()}
    for pos, cells in ((state or {}).get("edited_rows") or {}).items():
        pos = int(pos)
        if 0 <= pos < len(rows):
            changes.setdefault(rows[pos].id, {}).update({c: v for c, v in cells.items() if c in BULK_COLUMNS.values()})
    return [BulkEdit(r.id, versions.get(r.id, r.version), changes[r.id]) for r in rows if changes.get(r.id)]


def revert_row(edits: list[BulkEdit], rows: list[ItemListRow], base: str) -> None:
    """Drop one row's unsaved edits and keep the others: the grid starts again (a new key)
    from data that holds the edits kept. Reruns when a row is reverted."""
    if not edits:
        return
    titles = {r.id: r.title for r in rows}
    # Keyed by language (titles in the reader's language) and by the grid's key, so after a
    # revert the browser draws a fresh, empty box (a kept key showed the reverted row still).
    pick = carried_key(f"{grid_key(base)}_revert_pick")
    c = st.columns([3, 1], vertical_alignment="bottom")
    chosen = c[0].selectbox(t("Drop the unsaved changes of one row"), [e.item_id for e in edits], index=None,
                            format_func=lambda i: f"{i} · {titles[i]}", key=pick,
                            placeholder=t("Choose a row"))
    if c[1].button(t("Revert this row"), key=f"{base}_revert", disabled=chosen is None):
        st.session_state[f"{base}_kept"] = {e.item_id: e.changes for e in edits if e.item_id != chosen}
        st.session_state[f"{base}_rev"] = st.session_state.get(f"{base}_rev", 0) + 1
        st.rerun()


def _shown(column: str, value: object) -> str:
    if value is None or value == "":
        return "–"
    return status_label(str(value)) if column == "status" else str(value)


def pending_changes(edits: list[BulkEdit], rows: list[ItemListRow]) -> None:
    """The changed cells, before and after, so the user sees what Save will write."""
    if not edits:
        return
    by_id = {r.id: r for r in rows}
    before = {"status": "status", "progress": "progress", "due_date": "due", "owner_name": "owner"}
    st.caption(t("Changes not saved yet"))
    st.dataframe([{t("ID"): e.item_id, t("Action item"): by_id[e.item_id].title, t("Column"): t(EDITOR_LABELS[c]),
                   t("Before"): _shown(c, getattr(by_id[e.item_id], before[c])), t("After"): _shown(c, v)}
                  for e in edits for c, v in e.changes.items()], hide_index=True, width="stretch")


def show_bulk_result(result: BulkResult) -> None:
    if result.ok:
        st.success(tn(N_("{n} item updated."), N_("{n} items updated."), n=len(result.saved)))
        return
    st.error(t("Nothing was saved. Fix or drop these rows, then save again."))
    # Each problem in full, naming the item (a table cut the reasons off).
    st.markdown("\n".join(
        f"- **{md_escape(error_text(p.title) if isinstance(p.title, Message) else p.title)}**"
        + (f" ({t('ID')} {p.item_id})" if p.item_id else "") + ": "
        + md_escape(" ".join(error_text(x) for x in p.problems)) for p in result.problems))
