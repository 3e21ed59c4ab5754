"""Confirmation where the eye is: a save's message shows as a toast (beside the user's
attention, not at the top of a long page) on the rerun that follows the save, so the
figures on screen are already the refreshed ones when it appears.

app.py calls show_pending() once per rerun, before the page runs."""
from __future__ import annotations

import streamlit as st

PENDING = "_feedback_pending"


def confirm_and_refresh(message: str) -> None:
    """Queue `message` (already in the user's language) and rerun, so every figure on the
    page is read again after the save. Does not return."""
    st.session_state[PENDING] = message
    st.rerun()


def show_pending() -> None:
    message = st.session_state.pop(PENDING, None)
    if message:
        st.toast(message, icon=":material/check_circle:")


def form_key(name: str) -> str:
    """The key of a create form, new after each create it did: a second press of the same
    button (a double click, or the press arriving after the save) belongs to a form that is
    no longer on the page, so Streamlit ignores it and nothing is created twice."""
    return f"{name}__{st.session_state.setdefault(f'_form_gen_{name}', 0)}"


def created(name: str, message: str) -> None:
    """After the create of form `name` succeeded: retire the form (see form_key), confirm
    and refresh the page. Does not return."""
    st.session_state[f"_form_gen_{name}"] = st.session_state.get(f"_form_gen_{name}", 0) + 1
    confirm_and_refresh(message)
