"""MoU Tracker: the frame. Page config, the sign-in gate, navigation by role, shared sidebar."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from services.accounts.preferences import set_user_language
from ui.cookie import write_pending_cookie
from ui.feedback import show_pending
from ui.db import get_engine, session_scope
from ui.i18n import language_switch, resolve_language, t
from ui.nav import PAGES, SIGNIN, pages_for, role_lacks_page
from ui.session import current_user, current_user_id, resolve_user
from ui.signin import sign_out_now, signin_page
from ui.widgets import NO_INPUT_HINTS, md_escape, role_label
from ui.heap import freeze_startup_heap
from ui.visits import note_visit
from ui.warmup import import_page_libraries

ICON = Path(__file__).resolve().parent / "ui" / "assets" / "icon.png"

# The tab icon is a file of the project: a Material icon here would make every browser fetch
# it from fonts.gstatic.com, which an intranet without internet cannot reach.
st.set_page_config(page_title="MoU Tracker", page_icon=str(ICON), layout="wide")
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
    # Streamlit serves the default page at "/" but still reserves its url_path; the page's
    # own address (/overview, from a bookmark or a shared link) is kept free for a forwarder.
    url_path = f"{spec.url_path}-home" if spec.default else spec.url_path
    return st.Page(spec.path, title=t(spec.title), icon=spec.icon, url_path=url_path,
                   default=spec.default, visibility="hidden" if spec.hidden else "visible")


if user is None:
    # Signed out: every address shows the sign-in form (never a page's content), and the
    # address is kept, so after signing in the visitor lands on the page the link named.
    nav = st.navigation([_page(SIGNIN)] + [
        st.Page(signin_page, title=t(p.title), url_path=p.url_path, visibility="hidden")
        for p in PAGES
    ], position="hidden")
else:
    specs = pages_for(role)
    pages = [_page(p) for p in specs]
    home = next(page for page, spec in zip(pages, specs) if spec.default)
    # /overview forwards to "/" (the default page) with the link's filters, instead of
    # Streamlit's "page not found" notice.
    aliases = [st.Page(lambda: st.switch_page(home, query_params=st.query_params.to_dict()),
                       title=t(spec.title), url_path=spec.url_path, visibility="hidden")
               for spec in specs if spec.default]
    # The pages the role lacks answer at their address in the user's language (not Streamlit's
    # English "Page not found").
    lacking = [st.Page(lambda spec=spec: role_lacks_page(spec), title=t(spec.title), url_path=spec.url_path,
                       visibility="hidden") for spec in PAGES if spec not in specs]
    nav = st.navigation(pages + aliases + lacking)
with st.sidebar:
    st.html(NO_INPUT_HINTS)
    language_switch(save=save_language)
    if user is not None:
        st.caption(t("Signed in as {who}", who=md_escape(who)))
        st.button(t("Sign out"), key="sidebar_sign_out", on_click=sign_out_now)
    st.caption(t("MoU Tracker · Ministry of Digital, Malaysia"))
    write_pending_cookie()  # before the page runs: a page's st.stop() must not skip it
show_pending()  # the last save's confirmation, as a toast
note_visit(nav.url_path)
try:
    nav.run()
finally:
    import_page_libraries()  # once per process, after the first page is drawn (ui/warmup.py)
    freeze_startup_heap()  # once per process, after the first page's imports (ui/heap.py)
