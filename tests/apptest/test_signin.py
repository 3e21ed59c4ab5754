"""Sign-in flows through the page, with the clock of the sign-in layer moved by the test."""
import json
from datetime import timedelta

import pytest
from sqlmodel import Session, select

import ui.session
from models import AuditEvent, AuthSession, utcnow
from services.accounts.auth import hash_token
from tests.apptest.conftest import run_page, sign_in_form
from ui.signin import CHART_CODE_KEY, PLACEHOLDER


@pytest.fixture
def clock(monkeypatch):
    """Move time forward without sleeping: clock.advance(minutes=31)."""
    class Clock:
        offset = timedelta(0)

        def advance(self, **kw):
            self.offset += timedelta(**kw)

    c = Clock()
    monkeypatch.setattr(ui.session, "now", lambda: utcnow() + c.offset)
    return c


def titles(at) -> list[str]:
    return [t.value for t in at.title]


def test_signed_out_sees_only_the_sign_in_page(app_db):
    at = run_page(user=None)
    assert not at.exception and titles(at) == ["Sign in to MoU Tracker"]
    # only the hidden, empty tile and table that load their code (ui/signin.prefetch_chart_code)
    assert [df.value.empty for df in at.dataframe] == [True]
    assert [(m.label, m.value) for m in at.metric] == [(PLACEHOLDER, PLACEHOLDER)]
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("views/agreements.py")


def test_the_sign_in_page_has_one_empty_hidden_chart_for_the_chart_code(app_db):
    """The browser loads plotly.js while the visitor types (ui/signin.prefetch_chart_code): the
    chart holds no data and its container is hidden."""
    at = run_page(user=None)
    charts = at.get("plotly_chart")
    assert len(charts) == 1 and json.loads(charts[0].proto.spec)["data"] == []
    assert any(f".st-key-{CHART_CODE_KEY} {{ display: none; }}" in h.proto.body for h in at.get("html"))


def test_sign_in_stores_only_the_token_hash_and_sets_the_cookie(app_db, demo_passwords):
    at = sign_in_form(run_page(user=None), "demo.secretariat", demo_passwords["demo.secretariat"])
    assert not at.exception and titles(at) == ["Overview"]
    token = at.session_state["auth_token"]
    with Session(app_db) as s:
        row = s.exec(select(AuthSession)).one()
        assert row.token_hash == hash_token(token) and row.revoked_at is None
        assert s.exec(select(AuditEvent).where(AuditEvent.action == "sign_in")).one().username == "demo.secretariat"
    scripts = [h.proto.body for h in at.get("html")]
    assert any(f"mou_session={token}" in b and "SameSite=Strict" in b for b in scripts)
    at.switch_page("views/audit.py")
    at.run()
    assert titles(at) == ["Audit trail"] and not at.exception


def test_wrong_password_shows_a_message(app_db, demo_passwords):
    at = sign_in_form(run_page(user=None), "demo.viewer", "not-the-password")
    assert titles(at) == ["Sign in to MoU Tracker"]
    assert [e.value for e in at.error] == ["Wrong username or password."]
    assert "auth_token" not in at.session_state


def test_lockout_then_unlock_after_the_lockout_time(app_db, demo_passwords, clock):
    at = run_page(user=None)
    for _ in range(4):
        sign_in_form(at, "demo.focal", "wrong-password")
        assert at.error[0].value == "Wrong username or password."
    sign_in_form(at, "demo.focal", "wrong-password")  # locks the account, with the same answer
    assert at.error[0].value == "Wrong username or password."
    assert any("an account is locked for 15 minutes" in c.value for c in at.caption)
    sign_in_form(at, "demo.focal", demo_passwords["demo.focal"])  # locked: even the right password
    assert at.error[0].value == "Wrong username or password." and titles(at) == ["Sign in to MoU Tracker"]
    clock.advance(minutes=15, seconds=1)
    sign_in_form(at, "demo.focal", demo_passwords["demo.focal"])
    assert titles(at) == ["Overview"] and not at.error


def test_idle_timeout_ends_the_session(app_db, demo_passwords, clock):
    at = sign_in_form(run_page(user=None), "demo.viewer", demo_passwords["demo.viewer"])
    clock.advance(minutes=29)
    at.run()
    assert titles(at) == ["Overview"]
    clock.advance(minutes=30, seconds=1)
    at.run()
    assert titles(at) == ["Sign in to MoU Tracker"]
    assert "Your session has ended" in at.info[0].value
    assert "user_id" not in at.session_state


def test_sign_out_revokes_the_token(app_db, demo_passwords):
    at = sign_in_form(run_page(user=None), "demo.admin", demo_passwords["demo.admin"])
    token = at.session_state["auth_token"]
    at.button(key="sidebar_sign_out").click().run()
    assert titles(at) == ["Sign in to MoU Tracker"] and not at.exception
    with Session(app_db) as s:
        assert s.exec(select(AuthSession).where(AuthSession.token_hash == hash_token(token))).one().revoked_at
    assert any("Max-Age=0" in h.proto.body for h in at.get("html"))


def test_the_next_person_on_the_tab_inherits_nothing(app_db, demo_passwords):
    at = sign_in_form(run_page(user=None), "demo.secretariat", demo_passwords["demo.secretariat"])
    at.switch_page("views/audit.py")
    at.run()
    at.selectbox(key="audit_action").select("sign_in").run()
    at.session_state["import_done"] = "left by the previous user"
    assert "audit_action" in at.session_state
    at.button(key="sidebar_sign_out").click().run()
    assert not at.exception and titles(at) == ["Sign in to MoU Tracker"]
    for key in ("audit_action", "import_done", "user_id", "auth_token"):
        assert key not in at.session_state
    at = sign_in_form(at, "demo.viewer", demo_passwords["demo.viewer"])
    assert not at.exception and "import_done" not in at.session_state


@pytest.mark.parametrize("username,password", [
    ("a" * 5000, "x"), ("名字🙂", "pässwörd🙂"), ("<script>alert(1)</script>", "p" * 1024), ("", ""),
])
def test_odd_input_gives_a_message(app_db, username, password):
    at = sign_in_form(run_page(user=None), username, password)
    assert not at.exception and at.error and titles(at) == ["Sign in to MoU Tracker"]


def test_pages_follow_the_role(app_db):
    viewer = run_page(user="demo.viewer")
    with pytest.raises(ValueError):
        viewer.switch_page("views/audit.py")
    with pytest.raises(ValueError):
        viewer.switch_page("views/admin_users.py")
    sec = run_page("views/audit.py", user="demo.secretariat")
    assert titles(sec) == ["Audit trail"] and not sec.exception
    with pytest.raises(ValueError):
        sec.switch_page("views/admin_users.py")
