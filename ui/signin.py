"""Sign-in and sign-out as widget callbacks. Callbacks run before the script, so the
navigation built in the same run already matches the new state (no extra rerun)."""
from __future__ import annotations

import streamlit as st

from services.auth import SignInFailed, sign_in
from services.errors import ValidationFailed
from ui.db import session_scope
from ui.i18n import t
from ui import session as signed_in  # signed_in.now looked up per call: tests move the clock

ERROR_KEY = "signin_error"


def submit_sign_in() -> None:
    username = st.session_state.get("signin_username", "")
    password = st.session_state.get("signin_password", "")
    with session_scope() as session:
        try:
            user = sign_in(session=session, username=username, password=password, now=signed_in.now())
        except (SignInFailed, ValidationFailed) as exc:
            message = str(exc)
            st.session_state[ERROR_KEY] = t(message)  # a catalog key when the service marked it
            return
        signed_in.remember(session, user)
    st.session_state.pop(ERROR_KEY, None)


def sign_out_now() -> None:
    with session_scope() as session:
        signed_in.sign_out(session)
