"""Sign-in and sign-out as widget callbacks. Callbacks run before the script, so the
navigation built in the same run already matches the new state (no extra rerun)."""
from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from core.settings import get_settings
from services.accounts.auth import SignInFailed, sign_in
from services.errors import ValidationFailed
from ui.db import session_scope
from ui.i18n import error_md, t
from ui import session as signed_in  # signed_in.now looked up per call: tests move the clock
from ui.session import NOTICE_KEY, sso_enabled

ERROR_KEY = "signin_error"


def submit_sign_in() -> None:
    username = st.session_state.get("signin_username", "")
    password = st.session_state.get("signin_password", "")
    with session_scope() as session:
        try:
            user = sign_in(session=session, username=username, password=password, now=signed_in.now(),
                           address=signed_in.client_address())
        except (SignInFailed, ValidationFailed) as exc:
            st.session_state[ERROR_KEY] = error_md(exc)
            return
        signed_in.remember(session, user)
    st.session_state.pop(ERROR_KEY, None)


def sign_out_now() -> None:
    with session_scope() as session:
        signed_in.sign_out(session)

# Enter still signs in (people expect it in a password box), but Streamlit's hint under the
# inputs ("Press Enter to submit form") is English only, with no way to translate it: hidden
# here (static style, no user text). Every other form sets enter_to_submit=False instead.
NO_ENTER_HINT = """<style>
.st-key-signin_username [data-testid="InputInstructions"],
.st-key-signin_password [data-testid="InputInstructions"] { display: none; }
</style>"""
CHART_CODE_KEY = "signin_chart_code"
PLACEHOLDER = "–"


def prefetch_chart_code() -> None:
    """An empty chart, an empty figure tile and an empty table, never shown, at the end of the
    form. Streamlit's frontend loads the code of an element the first time one arrives: plotly.js
    (4.7 MB of JavaScript) for a chart, then the tile's and the table's own bundles, and the
    Overview, the page after signing in, opens with all three. Measured in headless Chromium on
    this machine's two cores, loading and running that code took 1 to 2 s of that first view
    (README "First view of each page"). Here it loads while the visitor types. Nothing of the
    store reaches a signed-out visitor (the figure, tile and table are empty) and the container
    is hidden by style, so the form looks as before."""
    st.html(f"<style>.st-key-{CHART_CODE_KEY} {{ display: none; }}</style>")
    with st.container(key=CHART_CODE_KEY):
        st.plotly_chart(go.Figure(), key=f"{CHART_CODE_KEY}_figure", config={"staticPlot": True})
        st.metric(PLACEHOLDER, PLACEHOLDER, label_visibility="collapsed")
        st.dataframe([], key=f"{CHART_CODE_KEY}_table")


def signin_page() -> None:
    """The sign-in form. A signed-out visitor gets it at every address, so a shared link
    (/items?agreement=...) opens the page it names once the visitor has signed in."""
    st.title(t("Sign in to MoU Tracker"))
    notice = st.session_state.pop(NOTICE_KEY, None)
    if notice:
        st.info(error_md(notice))  # a catalog key (N_) or a service's Message

    st.html(NO_ENTER_HINT)
    with st.form("signin", border=True, clear_on_submit=True):
        st.text_input(t("Username"), max_chars=64, key="signin_username")
        st.text_input(t("Password"), type="password", max_chars=1024, key="signin_password")
        st.form_submit_button(t("Sign in"), type="primary", on_click=submit_sign_in)

    error = st.session_state.pop(ERROR_KEY, None)
    if error:
        st.error(error, icon="🔒")
        settings = get_settings()
        n, minutes = settings.login_max_failures, settings.login_lockout_minutes
        st.caption(t("After {n} failed sign-ins in a row an account is locked for {minutes} minutes; "
                     "an administrator can unlock it sooner.", n=n, minutes=minutes))

    if sso_enabled():
        st.divider()
        if getattr(st.user, "is_logged_in", False):  # signed in at the provider but refused here
            if st.button(t("Sign out of single sign-on to use another account"), key="signin_sso_logout"):
                st.logout()
        else:
            st.caption(t("Or sign in with your organisation's account:"))
            if st.button(t("Sign in with single sign-on"), key="signin_sso"):
                st.login()

    st.caption(t("Accounts are created by an administrator. Forgot your password? Ask an administrator to reset it."))
    prefetch_chart_code()
