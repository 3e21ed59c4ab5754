"""Shared Streamlit widgets and formatting. User text is always shown as inert text."""
from __future__ import annotations

import re
from typing import Optional

import streamlit as st

from services import styles
from services.sample import sample_note

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def md_escape(text: Optional[str]) -> str:
    """Escape markdown so user text can never become a link, an image or formatting."""
    if not text:
        return ""
    return _MD_SPECIAL.sub(r"\\\1", text)


def sample_banner(session) -> None:  # noqa: ANN001
    note = sample_note(session)
    if note:
        st.warning(note, icon=":material/science:")


def pct(value: Optional[float]) -> str:
    return "–" if value is None else f"{value:.0f}%"


def status_label(status: str) -> str:
    return styles.STATUS_LABELS.get(status, status)


def rag_label(rag: Optional[str]) -> str:
    return styles.rag_text(rag)


def completion_label(level: str) -> str:
    return styles.COMPLETION_LABELS.get(level, level)
