"""Every page starts with page_guard().

Streamlit keeps the old "pages/ folder" behaviour until the main script first calls
st.navigation: when the first request after a start names a page (e.g. /agreements), it
runs pages/agreements.py directly and app.py (sign-in gate, navigation by role) never runs.
The guard turns that mode off and runs app.py, so app.py frames every page."""
from __future__ import annotations

import inspect
import runpy
from pathlib import Path

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import get_script_run_ctx

from core.settings import ROOT


def page_guard() -> None:
    if not PagesManager.uses_pages_directory:
        return
    PagesManager.uses_pages_directory = False
    # Run the frame inside this same script run: st.rerun() would drop the button press or
    # form submission that started the run (AppTest starts every run in this mode). The
    # page is named by its url_path (= file stem, see ui/nav.py), not by its old-mode hash,
    # so st.navigation finds it instead of reporting "page not found".
    ctx = get_script_run_ctx()
    if ctx is not None:
        ctx.pages_manager.set_script_intent("", Path(inspect.stack()[1].filename).stem)
    runpy.run_path(str(ROOT / "app.py"), run_name="__main__")
    st.stop()
