"""MoU Tracker: the frame. Page config, navigation by role and the shared sidebar."""
from __future__ import annotations

import streamlit as st

from services.preferences import set_user_language
from services.styles import role_label
from ui.db import get_engine, session_scope
from ui.i18n import language_switch, resolve_language, t
from ui.nav import pages_for
from ui.session import current_user, current_user_id

st.set_page_config(page_title="MoU Tracker", page_icon=":material/handshake:", layout="wide")
get_engine()  # migrate and seed on first start, once per process

with session_scope() as session:
    user = current_user(session)
    role = user.role if user else None
    lang = resolve_language(user.language if user else None)
    who = f"{user.display_name} ({role_label(user.role, lang)})" if user else None


def save_language(chosen: str) -> None:
    """Remember a signed-in user's choice for their next sign-in."""
    user_id = current_user_id()
    if user_id is None:
        return
    with session_scope() as s:
        set_user_language(session=s, actor=current_user(s), user_id=user_id, language=chosen)


pages = [
    st.Page(p.path, title=t(p.title), icon=p.icon, url_path=p.url_path, default=p.default)
    for p in pages_for(role)
]
nav = st.navigation(pages)
with st.sidebar:
    language_switch(save=save_language)
    if who:
        st.caption(t("Signed in as {who}", who=who))
    st.caption(t("MoU Tracker · Ministry of Digital, Malaysia"))
nav.run()
