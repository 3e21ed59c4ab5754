"""Sign in: the only page a signed-out visitor can reach."""
import streamlit as st

from ui.i18n import t
from ui.session import NOTICE_KEY, sso_enabled
from ui.signin import ERROR_KEY, submit_sign_in

st.title(t("Sign in to MoU Tracker"))
notice = st.session_state.pop(NOTICE_KEY, None)
if notice:
    st.info(t(notice))  # a catalog key when it was marked with N_ where it was set

with st.form("signin", border=True, clear_on_submit=True):
    st.text_input(t("Username"), max_chars=64, key="signin_username")
    st.text_input(t("Password"), type="password", max_chars=1024, key="signin_password")
    st.form_submit_button(t("Sign in"), type="primary", on_click=submit_sign_in)

error = st.session_state.pop(ERROR_KEY, None)
if error:
    st.error(error, icon="🔒")

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
