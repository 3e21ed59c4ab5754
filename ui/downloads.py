"""The one way a file leaves the dashboard: built when the button is pressed, after the
session and the role are checked at that moment.

st.download_button with a callable `data` (Streamlit 1.67) runs the callable on a worker
thread when the browser asks for the file, after the page has long finished; nothing is built
before the click and the tab keeps no copy. The callable cannot read st.session_state (it runs
outside the script), so the tab's session token is captured when the button is drawn and
checked against the database when the file is asked for: a signed-out, idle-expired or
disabled session, or a role that no longer may, gets nothing (the browser shows Streamlit's
"failed to generate file" notice). See the README's "Downloads" section for what a copied
download address still gives."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Optional

import streamlit as st
from sqlalchemy.engine import Engine
from sqlmodel import Session

from core.db import new_session
from models import User
from services.accounts.auth import validate_session_token
from ui import session as signed_in  # signed_in.now looked up per call: tests move the clock
from ui.db import get_engine

LOG = logging.getLogger(__name__)
Build = Callable[[Session, User, datetime], bytes]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


class DownloadRefused(RuntimeError):
    """The session ended, the account was disabled or the role may not have this file."""


@dataclass(frozen=True)
class Guard:
    """What a deferred build checks when it runs: this tab's token, the account it was drawn
    for, and the rule the account's role must pass."""
    token: Optional[str]
    user_id: Optional[int]
    may: Callable[[User], bool]


def any_account(user: Optional[User]) -> bool:
    """Reports and packs: every signed-in, enabled account may have them (README: Signing in)."""
    return user is not None and not user.disabled


def run_guarded(*, engine: Engine, guard: Guard, build: Build, now: datetime) -> bytes:
    """Check the session and the role now, then build. Raises DownloadRefused (nothing built)."""
    with new_session(engine) as session:
        user = validate_session_token(session=session, token=guard.token, now=now)
        if user is None or user.id != guard.user_id or user.disabled or not guard.may(user):
            LOG.warning("download refused for user id %s", guard.user_id)
            raise DownloadRefused("the session ended or the role may not download this file")
        return build(session, user, now)


def file_stamp(now: datetime) -> str:
    """The time in a file name, UTC to the minute: 2026-11-30-1412Z."""
    return f"{now:%Y-%m-%d-%H%MZ}"


def guarded_download(label: str, *, key: str, build: Build, may: Callable[[User], bool],
                     file_name: str, mime: str, **button: object) -> None:
    """A download button whose file is built only when pressed, after run_guarded's check.
    `build(session, user, now)` returns the file's bytes; `now` is the moment of the click."""
    guard = Guard(token=st.session_state.get(signed_in.TOKEN_KEY),
                  user_id=signed_in.current_user_id(), may=may)
    engine = get_engine()

    def _deferred() -> bytes:
        return run_guarded(engine=engine, guard=guard, build=build, now=signed_in.now())

    # on_click="rerun" (the default): the rerun after the download starts Streamlit's clean-up
    # of the built file (see the README's "Downloads").
    st.download_button(label, data=_deferred, file_name=file_name, mime=mime, key=key, **button)
