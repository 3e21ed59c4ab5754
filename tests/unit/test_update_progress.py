"""The progress update: rules, refusals, history, and no lost update on either store."""
from datetime import date, datetime, timezone

import pytest
from sqlmodel import Session, select

from models import ActionItem, AuditEvent, CommitmentArea, ProgressUpdate, Role, User
from services.errors import PermissionDenied, StaleVersion, ValidationFailed
from services.items import update_progress
from services.seed import ensure_system_user, seed_facts
from tests.conftest import make_user

NOW = datetime(2026, 3, 1, 10, 0, tzinfo=timezone.utc)


def add_item(session: Session, lead: str = "MDEC", **kw) -> ActionItem:
    from models import Organisation
    org = session.exec(select(Organisation).where(Organisation.acronym == lead)).one()
    area = session.exec(select(CommitmentArea)).first()
    values = dict(area_id=area.id, title="Run a joint AI workshop", lead_org_id=org.id,
                  start_date=date(2026, 1, 1), due_date=date(2026, 12, 31))
    values.update(kw)
    item = ActionItem(**values)
    session.add(item)
    session.commit()
    return item


def test_update_writes_item_history_and_audit(seeded, users):
    item = add_item(seeded)
    up = update_progress(session=seeded, actor=users["focal_point"], item_id=item.id,
                         expected_version=1, status="in_progress", progress=30,
                         note="Venue booked", evidence_url="https://example.gov.my/a", now=NOW)
    seeded.refresh(item)
    assert (item.status, item.progress, item.version) == ("in_progress", 30, 2)
    assert item.last_update_at == NOW
    assert (up.status_before, up.progress_before, up.status_after, up.progress_after) == ("not_started", 0, "in_progress", 30)
    assert up.author_id == users["focal_point"].id and up.note == "Venue booked"
    event = seeded.exec(select(AuditEvent).where(AuditEvent.action == "update_progress")).one()
    assert event.object_id == item.id and '"progress": 30' in event.after


@pytest.mark.parametrize("status,progress,note,message", [
    ("completed", 90, "x", "progress 100%"),
    ("in_progress", 100, "x", "Completed"),
    ("in_progress", 101, "x", "between 0 and 100"),
    ("on_hold", 20, "", "on hold or cancelled"),
    ("cancelled", 0, None, "on hold or cancelled"),
    ("not_started", 0, "", "Nothing changed"),
])
def test_bad_updates_are_refused_and_change_nothing(seeded, users, status, progress, note, message):
    item = add_item(seeded)
    with pytest.raises(ValidationFailed, match=message):
        update_progress(session=seeded, actor=users["secretariat"], item_id=item.id,
                        expected_version=1, status=status, progress=progress, note=note, now=NOW)
    seeded.rollback()
    seeded.refresh(item)
    assert (item.status, item.progress, item.version) == ("not_started", 0, 1)
    assert seeded.exec(select(ProgressUpdate)).all() == []


def test_red_item_needs_a_note(seeded, users):
    item = add_item(seeded, start_date=date(2025, 1, 1), due_date=date(2026, 1, 31))  # past due
    with pytest.raises(ValidationFailed, match="rated Red"):
        update_progress(session=seeded, actor=users["admin"], item_id=item.id, expected_version=1,
                        status="in_progress", progress=40, now=NOW)
    update_progress(session=seeded, actor=users["admin"], item_id=item.id, expected_version=1,
                    status="in_progress", progress=40, note="Recovery plan agreed", now=NOW)


def test_bad_evidence_link_is_refused(seeded, users):
    item = add_item(seeded)
    with pytest.raises(ValidationFailed, match="https://"):
        update_progress(session=seeded, actor=users["admin"], item_id=item.id, expected_version=1,
                        status="in_progress", progress=10, evidence_url="javascript:alert(1)", now=NOW)


@pytest.mark.parametrize("role,lead,allowed", [
    ("viewer", "MDEC", False),
    ("focal_point", "MDEC", True),
    ("focal_point", "KD", False),
    ("secretariat", "KD", True),
    ("admin", "ZJU", True),
])
def test_who_may_update(seeded, users, role, lead, allowed):
    item = add_item(seeded, lead=lead)
    call = lambda: update_progress(session=seeded, actor=users[role], item_id=item.id,  # noqa: E731
                                   expected_version=1, status="in_progress", progress=20, now=NOW)
    if allowed:
        call()
    else:
        with pytest.raises(PermissionDenied):
            call()


@pytest.mark.store
def test_two_sessions_same_item_second_is_refused(store_engine):
    with Session(store_engine, expire_on_commit=False) as s:
        system = ensure_system_user(session=s)
        s.commit()
        seed_facts(session=s, actor=system)
        alice = make_user(s, "alice", Role.SECRETARIAT)
        bob = make_user(s, "bob", Role.SECRETARIAT)
        item_id = add_item(s).id
    with Session(store_engine, expire_on_commit=False) as first, Session(store_engine, expire_on_commit=False) as second:
        a, b = first.get(User, alice.id), second.get(User, bob.id)
        v1 = first.get(ActionItem, item_id).version
        v2 = second.get(ActionItem, item_id).version  # both opened version 1
        update_progress(session=first, actor=a, item_id=item_id, expected_version=v1,
                        status="in_progress", progress=40, note="Alice's update", now=NOW)
        with pytest.raises(StaleVersion) as refused:
            update_progress(session=second, actor=b, item_id=item_id, expected_version=v2,
                            status="in_progress", progress=60, note="Bob's update", now=NOW)
    assert refused.value.changed_by == "Alice"
    assert refused.value.current["progress"] == 40 and refused.value.current["note"] == "Alice's update"
    with Session(store_engine) as s:
        item = s.get(ActionItem, item_id)
        history = s.exec(select(ProgressUpdate).where(ProgressUpdate.item_id == item_id)).all()
        assert (item.progress, item.version) == (40, 2)
        assert [h.note for h in history] == ["Alice's update"]


@pytest.mark.store
def test_concurrent_flush_is_caught_by_the_version_column(store_engine):
    """Both pass the early check; the database-level version check refuses the second."""
    with Session(store_engine, expire_on_commit=False) as s:
        system = ensure_system_user(session=s)
        s.commit()
        seed_facts(session=s, actor=system)
        admin = make_user(s, "root", Role.ADMIN)
        item_id = add_item(s).id
    with Session(store_engine, expire_on_commit=False) as first, Session(store_engine, expire_on_commit=False) as second:
        second.get(ActionItem, item_id)  # loaded at version 1, before the first write
        update_progress(session=first, actor=first.get(User, admin.id), item_id=item_id,
                        expected_version=1, status="in_progress", progress=40, note="first", now=NOW)
        with pytest.raises(StaleVersion):
            update_progress(session=second, actor=second.get(User, admin.id), item_id=item_id,
                            expected_version=1, status="in_progress", progress=70, note="second", now=NOW)
    with Session(store_engine) as s:
        assert s.get(ActionItem, item_id).progress == 40
        assert len(s.exec(select(ProgressUpdate)).all()) == 1
