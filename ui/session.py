"""Who is signed in. Only the user's id and the session token live in st.session_state
(never an ORM object); the token also travels in a cookie so that a refresh or a new tab
stays signed in (see ui/cookie.py and the README's "Signing in" section)."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

import streamlit as st
from sqlmodel import Session

from core.settings import get_settings
from models import User, utcnow
from services.accounts.auth import (
    SignInFailed, create_session_token, revoke_session_token, sign_in_sso, validate_session_token,
)
from services.i18n.translate import N_
from ui.cookie import COOKIE_NAME, PENDING_KEY, queue_cookie
from ui.i18n import LANG_KEY, RESOLVED_KEY, SWITCH_KEY

USER_KEY = "user_id"
TOKEN_KEY = "auth_token"
NOTICE_KEY = "auth_notice"
_COOKIE_READ_KEY = "auth_cookie_read"
_SSO_REFUSED_KEY = "auth_sso_refused"


def now() -> datetime:
    """The clock of the sign-in layer; tests replace it to move time without sleeping."""
    return utcnow()


def client_address() -> Optional[str]:
    """The browser's network address for the sign-in slow-down: the connection's address, or
    behind a reverse proxy (TRUST_X_FORWARDED_FOR) the last X-Forwarded-For entry, which the
    proxy itself wrote. None on localhost and in tests."""
    try:
        if get_settings().trust_x_forwarded_for:
            forwarded = st.context.headers.get("X-Forwarded-For") or ""
            if forwarded.strip():
                return forwarded.split(",")[-1].strip()
        address = st.context.ip_address
        return address if isinstance(address, str) else None  # AppTest has no real connection
    except Exception:  # noqa: BLE001 - no browser connection (a bare script run)
        return None


def current_user_id() -> Optional[int]:
    return st.session_state.get(USER_KEY)


def current_user(session: Session) -> Optional[User]:
    """The signed-in, enabled user, loaded in this rerun's session; None when signed out."""
    user_id = current_user_id()
    if user_id is None:
        return None
    user = session.get(User, user_id)
    if user is None or user.disabled:
        forget()
        return None
    return user


def resolve_user(session: Session) -> Optional[User]:
    """Once per rerun, before navigation: check this tab's token (idle timeout, revocation)."""
    token = st.session_state.get(TOKEN_KEY)
    if token is None and USER_KEY not in st.session_state and not st.session_state.get(_COOKIE_READ_KEY):
        # Only the first run of a tab reads the cookie: st.context.cookies is what the browser
        # sent when the tab connected, so later it may still hold a token signed out since.
        st.session_state[_COOKIE_READ_KEY] = True
        token = _cookie_token()
    if token is not None:
        user = validate_session_token(session=session, token=token, now=now())
        if user is None:
            forget()
            st.session_state[NOTICE_KEY] = N_("Your session has ended. Please sign in again.")
            queue_cookie(None)
            _end_sso()  # or the provider's sign-in would silently start a new session
            return None
        st.session_state[TOKEN_KEY], st.session_state[USER_KEY] = token, user.id
        return user
    user = current_user(session)
    if user is None:
        user = _sso_user(session)
    return user


def _cookie_token() -> Optional[str]:
    try:
        token = st.context.cookies.get(COOKIE_NAME)
    except Exception:  # noqa: BLE001 - no secrets.toml at all: single sign-on is off
        return None
    return token if isinstance(token, str) else None  # AppTest has no real cookies


def remember(session: Session, user: User) -> None:
    """After a successful sign-in: a fresh token for this browser, sent to it as a cookie."""
    token = create_session_token(session=session, user=user, now=now())
    st.session_state[TOKEN_KEY], st.session_state[USER_KEY] = token, user.id
    st.session_state[_COOKIE_READ_KEY] = True
    st.session_state.pop(NOTICE_KEY, None)
    queue_cookie(token)


def sign_out(session: Session) -> None:
    revoke_session_token(session=session, token=st.session_state.get(TOKEN_KEY), now=now())
    forget()
    queue_cookie(None)
    _end_sso()


def _end_sso() -> None:
    if sso_enabled() and getattr(st.user, "is_logged_in", False):
        st.logout()


# What survives a sign-out in a tab: the language and the sign-in machinery's own flags.
# Everything else (filters, uploads, previews, flashes, built state) belonged to the person
# who signed out, and the next one to sign in on this tab must not inherit it.
_KEEP = {LANG_KEY, SWITCH_KEY, RESOLVED_KEY, _COOKIE_READ_KEY, _SSO_REFUSED_KEY, NOTICE_KEY, PENDING_KEY}


def forget() -> None:
    """Sign-out, idle timeout, disabled account: the tab forgets the user and their state."""
    for key in list(st.session_state.keys()):
        if key not in _KEEP:
            del st.session_state[key]


def sso_enabled() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 - no secrets.toml at all: single sign-on is off
        return False


def _sso_user(session: Session) -> Optional[User]:
    """Signed in at the identity provider: map the e-mail to an account, then as a local sign-in."""
    if not sso_enabled() or not getattr(st.user, "is_logged_in", False):
        return None
    if st.session_state.get(_SSO_REFUSED_KEY):
        return None  # already refused in this tab; do not write a failed sign-in every rerun
    # Entra puts the address in preferred_username when the optional email claim is off; an
    # address the provider says is unverified is not trusted.
    email = None if st.user.get("email_verified") is False else (
        st.user.get("email") or st.user.get("preferred_username"))
    try:
        user = sign_in_sso(session=session, email=email, now=now())
    except SignInFailed as exc:
        st.session_state[NOTICE_KEY] = exc.message  # shown by the sign-in form, in its language
        st.session_state[_SSO_REFUSED_KEY] = True
        return None
    remember(session, user)
    return user
