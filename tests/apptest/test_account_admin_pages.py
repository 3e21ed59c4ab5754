"""The Users, Audit trail and My account pages drive the services and show their refusals."""
from sqlmodel import Session, select

from models import ActionItem, AuditEvent, User
from services.accounts.auth import verify_password
from tests.apptest.conftest import run_page, sign_in_form


def user_row(engine, username: str) -> User:
    with Session(engine) as s:
        return s.exec(select(User).where(User.username == username)).one()


def by_label(widgets, label: str):
    return next(w for w in widgets if w.label == label)


def test_admin_creates_an_account_that_can_sign_in(app_db):
    at = run_page("views/admin_users.py", user="demo.admin")
    assert not at.exception and at.title[0].value == "Users"
    by_label(at.text_input, "Username").input("Aisyah.Rahman")
    by_label(at.text_input, "Display name").input("Aisyah Rahman")
    by_label(at.text_input, "E-mail (for single sign-on)").input("aisyah@digital.gov.my")
    next(w for w in at.selectbox if w.label == "Role" and w.form_id.endswith("create_user")).select("focal_point")
    next(w for w in at.selectbox if w.label == "Organisation" and w.form_id.endswith("create_user")).select("MDEC")
    by_label(at.text_input, "Initial password (8 to 1024 characters)").input("a good password")
    by_label(at.button, "Create account").click().run()
    # the message is Markdown with the username escaped (it shows as "aisyah.rahman")
    assert not at.exception and "Account aisyah\\.rahman created." in [s.value for s in at.success]
    created = user_row(app_db, "aisyah.rahman")
    assert created.role == "focal_point" and verify_password(created.password_hash, "a good password")
    at2 = sign_in_form(run_page(user=None), "aisyah.rahman", "a good password")
    assert at2.title[0].value == "Overview"


def test_admin_sees_refusals_as_messages(app_db):
    at = run_page("views/admin_users.py", user="demo.admin")
    by_label(at.text_input, "Username").input("x")
    by_label(at.button, "Create account").click().run()
    assert not at.exception and "username has 3 to 64" in at.error[0].value


def test_admin_disables_and_resets(app_db):
    at = run_page("views/admin_users.py", user="demo.admin")
    viewer_id = user_row(app_db, "demo.viewer").id
    at.selectbox(key="users_chosen").select(viewer_id).run()
    at.button(key="users_toggle").click().run()
    assert user_row(app_db, "demo.viewer").disabled
    at.selectbox(key="users_chosen").select(viewer_id).run()
    reset_input = next(t for t in at.text_input if t.label == "New password")
    reset_input.input("reset password 1")
    next(b for b in at.button if b.label == "Reset password").click().run()
    assert verify_password(user_row(app_db, "demo.viewer").password_hash, "reset password 1")


def test_admin_removes_sample_data(app_db):
    at = run_page("views/admin_users.py", user="demo.admin")
    assert at.button(key="users_remove_sample").disabled
    at.checkbox(key="users_confirm_sample").check().run()
    at.button(key="users_remove_sample").click().run()
    assert not at.exception
    with Session(app_db) as s:
        assert not s.exec(select(ActionItem).where(ActionItem.is_sample)).all()


def test_admin_downloads_a_backup_built_when_pressed(app_db, monkeypatch):
    """The button is there for an administrator; what it builds is a SQLite copy of the whole
    store, and the download is in the audit trail (the guard itself: tests/unit/test_downloads.py)."""
    from core.db import new_session
    from ui.backup import build_backup

    at = run_page("views/admin_users.py", user="demo.admin")
    assert [b for b in at.get("download_button") if b.proto.label == "Download a backup of the database"]
    with new_session(app_db) as s:
        admin = s.exec(select(User).where(User.username == "demo.admin")).one()
        monkeypatch.setattr("ui.backup.get_engine", lambda: app_db)  # the page's engine reads this store
        data = build_backup(s, admin, now=None)
        events = s.exec(select(AuditEvent).where(AuditEvent.action == "download_backup")).all()
    assert data.startswith(b"SQLite format 3") and [e.username for e in events] == ["demo.admin"]


def test_audit_page_filters_and_exports(app_db, demo_passwords):
    sign_in_form(run_page(user=None), "demo.viewer", "wrong-password")
    at = run_page("views/audit.py", user="demo.secretariat")
    assert not at.exception
    viewer_id = user_row(app_db, "demo.viewer").id
    at.selectbox(key="audit_user").select(viewer_id).run()
    assert set(at.dataframe[0].value["Action code"]) == {"failed_sign_in"}  # what the account did
    assert set(at.dataframe[0].value["Action"]) == {"Sign-in failed"}
    at.selectbox(key="audit_user").select(None)
    at.selectbox(key="audit_type").select("user")
    at.number_input(key="audit_object_id").set_value(viewer_id).run()
    # what happened to the account: its demo password was issued by the system, then a failure
    assert set(at.dataframe[0].value["Action code"]) == {"failed_sign_in", "reset_password"}
    # the export is built (and recorded) only when the button is pressed: see test_downloads.py
    assert at.get("download_button")[0].proto.label == "Download the audit trail (.xlsx)"
    with Session(app_db) as s:
        assert not s.exec(select(AuditEvent).where(AuditEvent.action == "export")).all()


def test_audit_page_in_chinese_names_actions_in_words(app_db, demo_passwords):
    sign_in_form(run_page(user=None), "demo.viewer", "wrong-password")
    at = run_page("views/audit.py", query={"lang": "zh"}, user="demo.secretariat")
    assert not at.exception
    table = at.dataframe[0].value
    row = table[table["操作代码"] == "failed_sign_in"].iloc[0]  # the stored code stays, for IT
    assert row["操作"] == "登录失败"
    assert "登录失败" in at.selectbox(key="audit_action").options
    assert "用户" in at.selectbox(key="audit_type").options
    at.selectbox(key="audit_action").select("failed_sign_in").run()
    assert set(at.dataframe[0].value["操作代码"]) == {"failed_sign_in"}


def test_change_own_password_page(app_db, demo_passwords):
    at = sign_in_form(run_page(user=None), "demo.focal", demo_passwords["demo.focal"])
    at.switch_page("views/account.py")
    at.run()
    fields = at.text_input
    fields[0].input(demo_passwords["demo.focal"])
    fields[1].input("brand new password")
    fields[2].input("brand new password")
    next(b for b in at.button if b.label == "Change password").click().run()
    assert not at.exception and at.success, [e.value for e in at.error]
    assert verify_password(user_row(app_db, "demo.focal").password_hash, "brand new password")
    at.run()
    assert at.title[0].value == "My account"  # this browser stays signed in


def test_admin_sees_and_lifts_sign_in_locks(app_db):
    from datetime import datetime, timedelta, timezone

    from models import SignInThrottle

    later = datetime.now(timezone.utc) + timedelta(minutes=10)
    with Session(app_db) as s:
        focal = s.exec(select(User).where(User.username == "demo.focal")).one()
        focal.locked_until = later
        s.add(focal)
        s.add(SignInThrottle(address="10.20.30.40", failures=14, first_failure_at=later, last_failure_at=later,
                             blocked_until=later))
        s.commit()
    at = run_page("views/admin_users.py", user="demo.admin")
    assert not at.exception
    locks = next(d for d in at.dataframe if "Who" in d.value.columns).value
    assert set(locks["Who"]) == {"demo.focal", "10.20.30.40"}
    for _ in range(2):
        at.selectbox(key="locks_pick").set_value(0).run()
        at.button(key="locks_lift").click().run()
        assert not at.exception
    assert user_row(app_db, "demo.focal").locked_until is None
    with Session(app_db) as s:
        assert s.get(SignInThrottle, "10.20.30.40") is None
        assert {"unlock_account", "lift_address_wait"} <= {e.action for e in s.exec(select(AuditEvent)).all()}
    assert any("No account is locked" in c.value for c in at.caption)
