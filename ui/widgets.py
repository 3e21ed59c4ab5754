"""Shared Streamlit widgets and formatting. User text is always shown as inert text."""
from __future__ import annotations

from typing import Optional

import streamlit as st

from services import labels
from services.seeding.sample import sample_note
from ui.i18n import current_language, fmt_percent, md_escape, t


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
