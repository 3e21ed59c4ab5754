"""Shared Streamlit widgets and formatting. User text is always shown as inert text."""
from __future__ import annotations

from typing import Optional

import streamlit as st

from services import labels
from services.i18n.translate import N_
from services.seeding.sample import sample_note
from ui.i18n import current_language, date_format, fmt_percent, md_escape, t


def sample_banner(session) -> None:  # noqa: ANN001
    note = sample_note(session)
    if note:
        st.warning(t(note), icon=":material/science:")


def source_clause(quote: str, english: Optional[str], lang: str) -> None:
    """The Malay original always; its English rendering beside it for non-Malay readers."""
    if lang == "ms" or not english:
        st.caption(t("Source clause (Bahasa Melayu, verbatim)"))
        st.markdown(f"> {md_escape(quote)}")
        return
    original, rendering = st.columns(2)
    original.caption(t("Source clause (Bahasa Melayu, verbatim)"))
    original.markdown(f"> {md_escape(quote)}")
    rendering.caption(t("English rendering"))
    rendering.markdown(f"> {md_escape(english)}")


def pct(value: Optional[float]) -> str:
    return fmt_percent(value)


# The labels of services/labels.py in the current language.
def status_label(status: str) -> str:
    return labels.status_label(status, current_language())


def rag_label(rag: Optional[str]) -> str:
    return labels.rag_text(rag, current_language())


def completion_label(level: str) -> str:
    return labels.completion_label(level, current_language())


def category_label(category: str) -> str:
    return labels.category_label(category, current_language())


def kind_label(kind: str) -> str:
    return labels.kind_label(kind, current_language())


def agreement_status_label(status: str) -> str:
    return labels.agreement_status_label(status, current_language())


def priority_label(priority: str) -> str:
    return labels.priority_label(priority, current_language())


def role_label(role: Optional[str]) -> str:
    return labels.role_label(role, current_language())


def item_table(rows: list[dict], ids: list[Optional[int]], *, key: str, column_config: Optional[dict] = None,
               hint: bool = True) -> None:
    """A table of action items in which one click on a row opens that item, in the same tab
    (a link column opened a new tab each time and took two clicks). `ids[i]` is row i's item
    (None: a row with no item to open)."""
    if hint:
        st.caption(t("Click a row to open the item."))
    # a click on any cell opens the row's item, as does its row selector at the left edge
    event = st.dataframe(rows, hide_index=True, width="stretch", key=key, column_config=column_config,
                         on_select="rerun", selection_mode=["single-row", "single-cell"])
    picked = (event.selection.rows or [row for row, _ in event.selection.cells]) if event is not None else []
    if picked and 0 <= picked[0] < len(ids) and ids[picked[0]] is not None:
        st.session_state.pop(key, None)  # coming back to the list must not reopen the item
        st.switch_page("views/item.py", query_params={"id": str(ids[picked[0]])})


def none_dash(value: object) -> object:
    """'–' for a missing value in a table (pandas would show 'None')."""
    return "–" if value is None or value == "" else value


def date_columns(*labels: str, width: Optional[int] = None) -> dict:
    """Column settings showing the date columns `labels` in the language's one date format
    (`width` in pixels; None: as wide as the dates)."""
    return {label: st.column_config.DateColumn(label, format=date_format(), width=width) for label in labels}


# Streamlit's hints under an input ("Press Enter to apply", "Press ⌘+Enter to apply") and in a
# file drop zone ("Drag and drop file here", "Limit 20MB per file • XLSX…") are English only,
# with no way to translate them: hidden on every page (static style, no user text). The free-text
# filters say it in the user's language instead (PRESS_ENTER), the uploaders' labels name the
# kinds of file and the size limit (upload_limit_mb).
NO_INPUT_HINTS = ('<style>[data-testid="InputInstructions"], [data-testid="stFileUploaderDropzoneInstructions"] '
                  '{ display: none; }</style>')


def upload_limit_mb() -> int:
    """The largest upload Streamlit accepts, in MB (server.maxUploadSize, .streamlit/config.toml)."""
    return int(st.get_option("server.maxUploadSize"))
PRESS_ENTER = N_("Type, then press Enter")

