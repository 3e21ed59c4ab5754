"""Browser tests only: sign a dashboard process in as one user, until sign-in (issue 3) can
be driven from the browser. Put this directory first on PYTHONPATH and set
TEST_SIGNED_IN_USER_ID; the real sign-in code is not touched."""
import os

if os.environ.get("TEST_SIGNED_IN_USER_ID"):
    import streamlit as st

    import ui.session

    def _signed_in() -> int:
        return st.session_state.setdefault(ui.session.USER_KEY, int(os.environ["TEST_SIGNED_IN_USER_ID"]))

    ui.session.current_user_id = _signed_in
