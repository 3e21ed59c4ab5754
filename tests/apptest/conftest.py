"""Pages run against a migrated, seeded SQLite file of their own (with sample data).

run_page(..., user="demo.secretariat") signs the test in as that account (the sample data's
demo accounts: demo.viewer, demo.focal, demo.secretariat, demo.admin, or any username the
test created); user=None runs the app signed out, which shows only the sign-in page."""
from __future__ import annotations

from pathlib import Path
from typing import Optional, Union

import pytest
import streamlit as st
from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Button, DownloadButton, Widget

from core.db import make_engine
from core.settings import get_settings
from models import User
from services.seeding.startup import prepare_database
from tests.conftest import TODAY

APP = Path(__file__).resolve().parents[2] / "app.py"
DEFAULT_USER = "demo.viewer"


@pytest.fixture
def app_db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    engine = make_engine(url)
    prepare_database(engine, sample=True, today=TODAY)
    st.cache_resource.clear()
    st.cache_data.clear()
    yield engine
    engine.dispose()
    st.cache_resource.clear()
    get_settings.cache_clear()


def user_id(username: str) -> int:
    """The id of an account in the app's database (the one DATABASE_URL points at)."""
    engine = make_engine(get_settings().database_url)
    try:
        with Session(engine) as s:
            user = s.exec(select(User).where(User.username == username)).first()
            assert user is not None, f"no account {username!r} in the app database"
            return user.id
    finally:
        engine.dispose()


def run_page(page: str | None = None, *, query: dict | None = None,
             user: Optional[Union[str, int]] = DEFAULT_USER, timeout: float = 30) -> AppTest:
    """Run the app (signed in as `user`, a username or id) and switch to `page`."""
    at = AppTest.from_file(str(APP), default_timeout=timeout)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    if user is not None:
        at.session_state["user_id"] = user if isinstance(user, int) else user_id(user)
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    return at


@pytest.fixture
def demo_passwords(app_db) -> dict[str, str]:
    """Fresh passwords for the demo accounts, as `make run` issues them."""
    from datetime import datetime, timezone
    from itertools import count

    from core.db import new_session
    from services.seeding.sample import issue_demo_passwords
    from services.seeding.facts import ensure_system_user

    n = count(1)
    with new_session(app_db) as s:
        return issue_demo_passwords(session=s, actor=ensure_system_user(session=s),
                                    now=datetime.now(timezone.utc), make_password=lambda: f"demo-pass-{next(n)}")


def sign_in_form(at: AppTest, username: str, password: str) -> AppTest:
    """Fill in and submit the sign-in form."""
    at.text_input(key="signin_username").input(username)
    at.text_input(key="signin_password").input(password)
    at.button[0].click()  # the form's submit button comes first on the page
    return at.run()


def press_twice(at: AppTest, key: str) -> list[str]:
    """Press the button `key` twice, as a double click does: the second press sends the page
    as it was when pressed (the same widget values, the same trigger) once more, after the
    first press's run. `at` then shows the page after the second press. Returns the toasts
    (confirmations) the two runs showed, in order."""
    button = at.button(key=key)
    page_pressed = button.root  # the element tree the user pressed on (AppTest's public tree)
    for widget in page_pressed:  # each value as shown then, not read again from later state
        if isinstance(widget, Widget) and not isinstance(widget, (Button, DownloadButton)):
            widget.set_value(widget.value)
    button.click()
    toasts = [x.value for x in page_pressed.run().toast]
    return toasts + [x.value for x in page_pressed.run().toast]
