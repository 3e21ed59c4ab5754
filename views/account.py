"""My account: change my own password; sign out."""
import streamlit as st

from services.accounts.auth import change_own_password
from services.errors import ServiceError
from ui.db import session_scope
from ui.i18n import error_md, t
from ui.reminders import email_reminders_section
from ui.session import TOKEN_KEY, current_user, now
from ui.signin import sign_out_now
from ui.widgets import md_escape, role_label

st.title(t("My account"))
with session_scope() as session:
    user = current_user(session)
if user is None:
    st.stop()

st.markdown(t("**{name}** · username `{username}` · role {role}",
              name=md_escape(user.display_name), username=user.username, role=role_label(user.role)))

st.subheader(t("Change my password"))
if user.password_hash is None:
    st.caption(t("This account signs in with single sign-on and has no password here."))
else:
    with st.form("change_password", clear_on_submit=True, enter_to_submit=False):
        current = st.text_input(t("Current password"), type="password", max_chars=1024)
        new = st.text_input(t("New password (8 to 1024 characters)"), type="password", max_chars=1024)
        repeat = st.text_input(t("Repeat the new password"), type="password", max_chars=1024)
        save = st.form_submit_button(t("Change password"), type="primary")
    if save:
        if new != repeat:
            st.error(t("The two new passwords differ."))
        else:
            with session_scope() as session:
                try:
                    change_own_password(session=session, actor=current_user(session),
                                        current_password=current, new_password=new, now=now(),
                                        keep_token=st.session_state.get(TOKEN_KEY))
                except ServiceError as exc:
                    st.error(error_md(exc))
                else:
                    st.success(t("Password changed. Your other browsers have been signed out."))

with session_scope() as session:
    email_reminders_section(session, current_user(session))

st.subheader(t("Sign out"))
st.button(t("Sign out of this browser"), key="account_sign_out", on_click=sign_out_now)
