"""MoU Tracker: the frame. Page config, the sign-in gate, navigation by role, shared sidebar."""
from __future__ import annotations

import streamlit as st

from ui.cookie import write_pending_cookie
from ui.db import get_engine, session_scope
from ui.i18n import t
from ui.nav import SIGNIN, pages_for
from ui.session import resolve_user
from ui.signin import sign_out_now
from ui.widgets import md_escape, role_label

st.set_page_config(page_title="MoU Tracker", page_icon=":material/handshake:", layout="wide")
get_engine()  # migrate and seed on first start, once per process

with session_scope() as session:
    user = resolve_user(session)
    role = user.role if user else None
    who = f"{user.display_name} ({role_label(user.role)})" if user else None


def _page(spec) -> st.Page:  # noqa: ANN001
    return st.Page(spec.path, title=t(spec.title), icon=spec.icon, url_path=spec.url_path,
                   default=spec.default, visibility="hidden" if spec.hidden else "visible")


if user is None:
    # Signed out: the sign-in page is the only page there is, whatever URL was typed.
    nav = st.navigation([_page(SIGNIN)], position="hidden")
else:
    nav = st.navigation([_page(p) for p in pages_for(role)])
    with st.sidebar:
        st.caption(t("Signed in as {who}", who=md_escape(who)))
        st.button(t("Sign out"), key="sidebar_sign_out", on_click=sign_out_now)
with st.sidebar:
    st.caption(t("MoU Tracker · Ministry of Digital, Malaysia"))
    write_pending_cookie()  # before the page runs: a page's st.stop() must not skip it
nav.run()
