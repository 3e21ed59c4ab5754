"""MoU Tracker: the frame. Page config, navigation and the shared sidebar."""
from __future__ import annotations

import streamlit as st

from ui.db import get_engine

st.set_page_config(page_title="MoU Tracker", page_icon="🤝", layout="wide")
get_engine()  # migrate and seed on first start, once per process

pages = [
    st.Page("pages/overview.py", title="Overview", icon="📊", default=True, url_path="overview"),
    st.Page("pages/agreements.py", title="Agreements", icon="📜", url_path="agreements"),
]
nav = st.navigation(pages)
with st.sidebar:
    st.caption("MoU Tracker · Ministry of Digital, Malaysia")
nav.run()
