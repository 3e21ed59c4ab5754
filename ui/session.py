"""Who is signed in. Only the user's id lives in st.session_state (never an ORM object)."""
from __future__ import annotations

from typing import Optional

import streamlit as st
from sqlmodel import Session

from models import User

USER_KEY = "user_id"


def current_user_id() -> Optional[int]:
    return st.session_state.get(USER_KEY)


def current_user(session: Session) -> Optional[User]:
    """The signed-in, enabled user, loaded in this rerun's session; None when signed out."""
    user_id = current_user_id()
    if user_id is None:
        return None
    user = session.get(User, user_id)
    if user is None or user.disabled:
        st.session_state.pop(USER_KEY, None)
        return None
    return user
