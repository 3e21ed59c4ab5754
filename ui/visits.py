"""Which page (and item) the last script run showed: a page can tell being opened from being
rerun (a button pressed, a language switched), as when a user comes back to an item they
left: what they see then is what they are working from."""
from __future__ import annotations

import streamlit as st

_NOW, _BEFORE = "visit_now", "visit_before"


def note_visit(url_path: str) -> None:
    """Called by app.py before each page runs: this run's page and item id, and the last run's."""
    st.session_state[_BEFORE] = st.session_state.get(_NOW)
    st.session_state[_NOW] = (url_path, st.query_params.get("id"))


def opened_anew() -> bool:
    """True on the first run of a page after another page (or another item) was shown."""
    return st.session_state.get(_BEFORE) != st.session_state.get(_NOW)
