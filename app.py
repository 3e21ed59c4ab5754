"""MoU Tracker: the frame. Page config, navigation by role and the shared sidebar."""
from __future__ import annotations

import streamlit as st

from ui.db import get_engine, session_scope
from ui.i18n import t
from ui.nav import pages_for
from ui.session import current_user

st.set_page_config(page_title="MoU Tracker", page_icon=":material/handshake:", layout="wide")
get_engine()  # migrate and seed on first start, once per process

with session_scope() as session:
    user = current_user(session)
    role = user.role if user else None
    who = f"{user.display_name} ({user.role})" if user else None

pages = [
    st.Page(p.path, title=t(p.title), icon=p.icon, url_path=p.url_path, default=p.default)
    for p in pages_for(role)
]
nav = st.navigation(pages)
with st.sidebar:
    if who:
        st.caption(t("Signed in as {who}", who=who))
    st.caption(t("MoU Tracker · Ministry of Digital, Malaysia"))
nav.run()
