"""Single sign-on: the provider's e-mail maps to an account; unknown e-mails get no access."""
import pytest
from sqlmodel import Session, select

from models import AuditEvent
from services.seeding.facts import ensure_system_user
from services.accounts.users import create_user
from tests.apptest.conftest import run_page

AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
        "client_id": "mou-tracker", "client_secret": "s",
        "server_metadata_url": "https://sso.example.gov.my/realms/m/.well-known/openid-configuration"}


@pytest.fixture
def registered(app_db):
    with Session(app_db, expire_on_commit=False) as s:
        return create_user(session=s, actor=ensure_system_user(session=s), username="siti", role="secretariat",
                           organisation="KD", email="Siti@Digital.gov.my")


def sso_run(user_info: dict):
    from streamlit.testing.v1 import AppTest

    from tests.apptest.conftest import APP
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.secrets["auth"] = AUTH
    at.user = user_info
    return at.run()


def test_sign_in_page_offers_single_sign_on_when_configured(app_db):
    at = sso_run({"is_logged_in": False})
    assert at.title[0].value == "Sign in to MoU Tracker"
    assert at.button(key="signin_sso").label == "Sign in with single sign-on"
    assert not any(b.key == "signin_sso" for b in run_page(user=None).button)


def test_known_email_signs_in_with_that_accounts_role(app_db, registered):
    at = sso_run({"is_logged_in": True, "email": "siti@digital.gov.my", "email_verified": True})
    assert not at.exception and at.title[0].value == "Overview"
    assert at.session_state["user_id"] == registered.id and at.session_state["auth_token"]
    with Session(app_db) as s:
        event = s.exec(select(AuditEvent).where(AuditEvent.action == "sign_in")).one()
        assert event.user_id == registered.id and event.detail == "single sign-on"


@pytest.mark.parametrize("info", [
    {"is_logged_in": True, "email": "stranger@example.com"},
    {"is_logged_in": True, "email": "siti@digital.gov.my", "email_verified": False},
    {"is_logged_in": True},
])
def test_unknown_or_unverified_email_gets_no_access(app_db, registered, info):
    at = sso_run(info)
    assert not at.exception and at.title[0].value == "Sign in to MoU Tracker"
    assert "No account is registered" in at.info[0].value
    assert "user_id" not in at.session_state
    at.button(key="signin_sso_logout").click().run()
    assert at.user.get("is_logged_in") is False


def test_idle_timeout_also_ends_the_single_sign_on(app_db, registered, monkeypatch):
    from datetime import timedelta

    import ui.session
    from models import utcnow

    at = sso_run({"is_logged_in": True, "email": "siti@digital.gov.my"})
    assert at.title[0].value == "Overview"
    monkeypatch.setattr(ui.session, "now", lambda: utcnow() + timedelta(minutes=31))
    at.run()
    assert at.title[0].value == "Sign in to MoU Tracker"
    assert at.user.get("is_logged_in") is False and "user_id" not in at.session_state


def test_a_refused_email_is_recorded_once_per_tab(app_db):
    at = sso_run({"is_logged_in": True, "email": "stranger@example.com"})
    at.run()
    at.run()
    with Session(app_db) as s:
        failed = s.exec(select(AuditEvent).where(AuditEvent.action == "failed_sign_in")).all()
    assert [e.username for e in failed] == ["stranger@example.com"]
