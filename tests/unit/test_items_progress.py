"""The progress update: rules, refusals, history, and no lost update on either store."""
from datetime import date, datetime, timezone

import pytest
from sqlmodel import Session, select

from models import ActionItem, AuditEvent, CommitmentArea, ProgressUpdate, Role, User
from services.errors import PermissionDenied, StaleVersion, ValidationFailed
from services.items.progress import update_progress
from services.seeding.facts import ensure_system_user, seed_facts
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


@pytest.fixture
def store_item(store_engine):
    """A seeded store with two secretariat users and one item: (engine, alice, bob, item_id)."""
    with Session(store_engine, expire_on_commit=False) as s:
        system = ensure_system_user(session=s)
        s.commit()
        seed_facts(session=s, actor=system)
        alice = make_user(s, "alice", Role.SECRETARIAT)
        bob = make_user(s, "bob", Role.SECRETARIAT)
        return store_engine, alice.id, bob.id, add_item(s).id


def _history_notes(engine, item_id):
    with Session(engine) as s:
        item = s.get(ActionItem, item_id)
        notes = s.exec(select(ProgressUpdate.note).where(ProgressUpdate.item_id == item_id)).all()
        return item.progress, item.version, notes


@pytest.mark.store
def test_save_based_on_an_old_version_is_refused(store_item):
    """Bob opened the form at version 1; Alice saved meanwhile; Bob's save is refused."""
    engine, alice, bob, item_id = store_item
    with Session(engine, expire_on_commit=False) as first:
        update_progress(session=first, actor=first.get(User, alice), item_id=item_id, expected_version=1,
                        status="in_progress", progress=40, note="Alice's update", now=NOW)
    with Session(engine, expire_on_commit=False) as second:  # a later rerun: fresh load
        with pytest.raises(StaleVersion) as refused:
            update_progress(session=second, actor=second.get(User, bob), item_id=item_id,
                            expected_version=1, status="in_progress", progress=60,
                            note="Bob's update", now=NOW)
    assert refused.value.changed_by == "Alice"
    assert refused.value.current["progress"] == 40 and refused.value.current["note"] == "Alice's update"
    assert _history_notes(engine, item_id) == (40, 2, ["Alice's update"])


@pytest.mark.store
def test_concurrent_flush_is_caught_by_the_version_column(store_item):
    """Both pass the early check (same loaded version); the database refuses the second."""
    engine, alice, bob, item_id = store_item
    with Session(engine, expire_on_commit=False) as first, Session(engine, expire_on_commit=False) as second:
        second.get(ActionItem, item_id)  # loaded at version 1, before the first write
        update_progress(session=first, actor=first.get(User, alice), item_id=item_id,
                        expected_version=1, status="in_progress", progress=40, note="first", now=NOW)
        with pytest.raises(StaleVersion) as refused:
            update_progress(session=second, actor=second.get(User, bob), item_id=item_id,
                            expected_version=1, status="in_progress", progress=70, note="second", now=NOW)
    assert refused.value.changed_by == "Alice"
    assert _history_notes(engine, item_id) == (40, 2, ["first"])
