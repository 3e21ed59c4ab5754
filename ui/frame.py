"""Every page starts with page_guard().

Streamlit keeps the old "pages/ folder" behaviour until the main script first calls
st.navigation: when the first request after a start names a page (e.g. /agreements), it
runs pages/agreements.py directly and app.py (sign-in gate, navigation by role) never runs.
The guard turns that mode off and reruns, so app.py frames every page."""
from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager


def page_guard() -> None:
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
