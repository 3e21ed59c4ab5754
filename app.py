"""MoU Tracker: the frame. Page config, the sign-in gate, navigation by role, shared sidebar."""
from __future__ import annotations

import streamlit as st

from services.preferences import set_user_language
from ui.cookie import write_pending_cookie
from ui.db import get_engine, session_scope
from ui.i18n import language_switch, resolve_language, t
from ui.nav import PAGES, SIGNIN, pages_for
from ui.session import current_user, current_user_id, resolve_user
from ui.signin import sign_out_now, signin_page
from ui.widgets import md_escape, role_label

st.set_page_config(page_title="MoU Tracker", page_icon=":material/handshake:", layout="wide")
get_engine()  # migrate and seed on first start, once per process

with session_scope() as session:
    user = resolve_user(session)
    role = user.role if user else None
    resolve_language(user.language if user else None)
    who = f"{user.display_name} ({role_label(user.role)})" if user else None


def save_language(chosen: str) -> None:
    """Remember a signed-in user's choice for their next sign-in."""
    user_id = current_user_id()
    if user_id is None:
        return
    with session_scope() as s:
        set_user_language(session=s, actor=current_user(s), user_id=user_id, language=chosen)


def _page(spec) -> st.Page:  # noqa: ANN001
    return st.Page(spec.path, title=t(spec.title), icon=spec.icon, url_path=spec.url_path,
                   default=spec.default, visibility="hidden" if spec.hidden else "visible")


if user is None:
    # Signed out: every address shows the sign-in form (never a page's content), and the
    # address is kept, so after signing in the visitor lands on the page the link named.
    nav = st.navigation([_page(SIGNIN)] + [
        st.Page(signin_page, title=t(p.title), url_path=p.url_path, visibility="hidden")
        for p in PAGES if not p.default
    ], position="hidden")
else:
    nav = st.navigation([_page(p) for p in pages_for(role)])
with st.sidebar:
    language_switch(save=save_language)
    if user is not None:
        st.caption(t("Signed in as {who}", who=md_escape(who)))
        st.button(t("Sign out"), key="sidebar_sign_out", on_click=sign_out_now)
    st.caption(t("MoU Tracker · Ministry of Digital, Malaysia"))
    write_pending_cookie()  # before the page runs: a page's st.stop() must not skip it
nav.run()
