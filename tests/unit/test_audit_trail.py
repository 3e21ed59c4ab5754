"""Account administration, demo passwords and the audit trail (filters, export, immutability)."""
import io
from datetime import date, datetime, timedelta, timezone

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from models import AuditEvent, User
from services.audit.trail import AuditFilter, list_events, record_event
from services.audit.export import HEADERS, export_events_xlsx
from services.accounts.auth import create_session_token, sign_in, validate_session_token
from services.errors import ServiceError, ValidationFailed
from services.seeding.sample import issue_demo_passwords, remove_sample, seed_sample
from services.accounts.users import change_user_role, create_user, list_users, reset_password, set_user_disabled
from tests.conftest import TODAY

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def admin(seeded, system_user, fast_hasher):
    return create_user(session=seeded, actor=system_user, username="Root.Admin", role="admin",
                       organisation="KD", password="admin password 1")


def test_create_user_validates_and_audits(seeded, admin):
    assert admin.username == "root.admin" and admin.password_hash.startswith("$argon2")
    with pytest.raises(ValidationFailed, match="taken"):
        create_user(session=seeded, actor=admin, username="ROOT.admin", role="viewer")
    for bad in dict(username="x"), dict(username="a" * 65), dict(username="名字"), dict(role="boss"), \
            dict(organisation="NOPE"), dict(email="not-an-email"), dict(password="short"), \
            dict(display_name="x" * 201):
        args = dict(username="someone", role="viewer", organisation="KD") | bad
        with pytest.raises(ValidationFailed):
            create_user(session=seeded, actor=admin, **args)
    event = seeded.exec(select(AuditEvent).where(AuditEvent.action == "create_user")).first()
    assert '"role": "admin"' in event.after and "password" not in event.after


def test_disable_keeps_history_and_signs_out(seeded, admin):
    bob = create_user(session=seeded, actor=admin, username="bob", role="viewer", password="bob password")
    token = create_session_token(session=seeded, user=bob, now=NOW)
    set_user_disabled(session=seeded, actor=admin, user_id=bob.id, disabled=True, now=NOW)
    assert validate_session_token(session=seeded, token=token, now=NOW) is None
    assert seeded.get(User, bob.id) is not None  # never deleted
    set_user_disabled(session=seeded, actor=admin, user_id=bob.id, disabled=False, now=NOW)
    assert sign_in(session=seeded, username="bob", password="bob password", now=NOW).id == bob.id


def test_last_admin_cannot_be_disabled_or_demoted(seeded, admin):
    with pytest.raises(ValidationFailed):
        set_user_disabled(session=seeded, actor=admin, user_id=admin.id, disabled=True, now=NOW)
    with pytest.raises(ValidationFailed, match="last enabled administrator"):
        change_user_role(session=seeded, actor=admin, user_id=admin.id, role="viewer")
    create_user(session=seeded, actor=admin, username="admin2", role="admin", password="second admin pw")
    change_user_role(session=seeded, actor=admin, user_id=admin.id, role="secretariat", organisation="MDEC")
    assert seeded.get(User, admin.id).role == "secretariat"


def test_reset_password_unlocks(seeded, admin):
    bob = create_user(session=seeded, actor=admin, username="bob", role="viewer", password="bob password")
    bob.locked_until = NOW + timedelta(minutes=10)
    seeded.add(bob)
    seeded.commit()
    reset_password(session=seeded, actor=admin, user_id=bob.id, new_password="fresh password", now=NOW)
    assert sign_in(session=seeded, username="bob", password="fresh password", now=NOW).id == bob.id


def test_demo_passwords_are_random_and_stop_after_sample_removal(seeded, system_user, fast_hasher):
    seed_sample(session=seeded, actor=system_user, today=TODAY)
    first = issue_demo_passwords(session=seeded, actor=system_user, now=NOW)
    second = issue_demo_passwords(session=seeded, actor=system_user, now=NOW)
    assert set(first) == {"demo.viewer", "demo.focal", "demo.secretariat", "demo.admin"}
    assert all(len(p) >= 16 for p in first.values()) and not set(first.values()) & set(second.values())
    for username, password in second.items():
        assert sign_in(session=seeded, username=username, password=password, now=NOW).username == username
    admin = seeded.exec(select(User).where(User.username == "demo.admin")).one()
    remove_sample(session=seeded, actor=admin)
    assert issue_demo_passwords(session=seeded, actor=system_user, now=NOW) == {}


def test_production_seed_creates_no_accounts_that_can_sign_in(seeded):
    assert seeded.exec(select(User).where(User.password_hash.is_not(None))).all() == []
    assert seeded.exec(select(User).where(User.disabled == False)).all() == []  # noqa: E712


def test_audit_filters(seeded, admin):
    bob = create_user(session=seeded, actor=admin, username="bob", role="viewer")
    for days_ago, action, obj in [(0, "update_progress", 7), (3, "update_progress", 8), (40, "import", None)]:
        record_event(session=seeded, actor=bob, action=action, object_type="item" if obj else None, object_id=obj)
        seeded.flush()
        ev = seeded.exec(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        seeded.execute(AuditEvent.__table__.update().where(AuditEvent.id == ev.id)
                       .values(ts=NOW - timedelta(days=days_ago)))
    seeded.commit()

    def count(**kw):
        return len(list_events(session=seeded, actor=admin, filters=AuditFilter(**kw)))

    assert count(user_id=bob.id) == 3
    assert count(user_id=bob.id, object_type="item") == 2
    assert count(object_type="item", object_id=8) == 1
    assert count(user_id=bob.id, start=date(2026, 11, 20), end=date(2026, 11, 26)) == 2
    assert count(user_id=bob.id, start=date(2026, 11, 26), end=date(2026, 11, 26)) == 1
    assert count(action="import") == 1


def test_audit_events_cannot_be_edited_or_deleted(seeded, admin):
    event = seeded.exec(select(AuditEvent)).first()
    event.action = "tampered"
    seeded.add(event)
    with pytest.raises(ServiceError, match="cannot be edited"):
        seeded.commit()
    seeded.rollback()
    with pytest.raises(ServiceError):
        seeded.delete(seeded.exec(select(AuditEvent)).first())
        seeded.commit()


def test_export_is_a_real_workbook_and_is_audited(seeded, admin):
    record_event(session=seeded, actor=admin, action="edit", object_type="item", object_id=1,
                 before={"title": "=HYPERLINK(\"http://evil\")"}, detail="=1+1")
    seeded.commit()
    data = export_events_xlsx(session=seeded, actor=admin, filters=AuditFilter(), now=NOW)
    ws = load_workbook(io.BytesIO(data)).active
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    edit = next(r for r in rows if r[3] == "edit")
    assert edit[2] == "edit"  # a code with no label shows as itself, not blank
    assert edit[8] == "=1+1" and "HYPERLINK" in edit[6]
    cell = next(c for c in ws["I"] if c.value == "=1+1")
    assert cell.data_type == "s"  # text, not a formula
    assert seeded.exec(select(AuditEvent).where(AuditEvent.action == "export")).one().object_type == "audit"


def test_list_users_hides_the_system_account(seeded, admin):
    assert "system" not in {r.username for r in list_users(session=seeded, actor=admin)}
