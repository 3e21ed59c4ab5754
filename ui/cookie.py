"""The session cookie. Streamlit 1.67 can read cookies (st.context.cookies, sent when a tab
connects) but has no API to write one, so a few lines of our own JavaScript set it through
st.html(..., unsafe_allow_javascript=True). Only a server-made random token (checked against
a strict pattern) is ever put into that script, never user text.

The cookie: path=/, SameSite=Strict (no cross-site requests carry it), Secure when the page is
served over https, no Max-Age (it ends with the browser; the server ends idle sessions).
JavaScript cannot set HttpOnly, so the server stores only the token's SHA-256 and revokes it
at sign-out and after the idle timeout."""
from __future__ import annotations

import json
import re
from typing import Optional

import streamlit as st

COOKIE_NAME = "mou_session"
PENDING_KEY = "auth_cookie_pending"
_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,200}$")


def queue_cookie(token: Optional[str]) -> None:
    """Set (token) or clear (None) the cookie at the end of this or the next run."""
    if token is not None and not _TOKEN_RE.match(token):
        raise ValueError("refusing to put a malformed token into a cookie")
    st.session_state[PENDING_KEY] = token or ""


def cookie_script(token: str) -> str:
    value = f"{COOKIE_NAME}={token}" if token else f"{COOKIE_NAME}=; Max-Age=0"
    return (
        "<script>(function(){var s=location.protocol==='https:'?'; Secure':'';"
        f"document.cookie={json.dumps(value)}+'; Path=/; SameSite=Strict'+s;}})();</script>"
    )


def write_pending_cookie() -> None:
    """Render the pending cookie change. The same token renders the same element on every
    rerun, so the browser runs the script once; a new value replaces it."""
    pending = st.session_state.get(PENDING_KEY)
    if pending is None:
        return
    if pending and not _TOKEN_RE.match(pending):
        return
    st.html(cookie_script(pending), unsafe_allow_javascript=True, width="content")
