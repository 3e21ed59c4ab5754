"""Bulk update: every row checked first, all-or-nothing, one ProgressUpdate per changed item,
owner and due-date edits audited with a version bump, and no lost update on either store."""
import json
from datetime import date, timedelta

import pytest
from sqlmodel import Session, select

from models import ActionItem, AuditEvent, Milestone, ProgressUpdate, Role, User
from services.items.bulk import BulkEdit, bulk_update
from services.errors import PermissionDenied
from services.seeding.facts import ensure_system_user, seed_facts
from tests.conftest import make_user
from tests.unit.item_factories import NOW, add_item, history


def unchanged(session, item, status="not_started", progress=0, version=1):
    session.expire_all()
    fresh = session.get(ActionItem, item.id)
    return (fresh.status, fresh.progress, fresh.version) == (status, progress, version) and not history(session, item.id)


def test_a_valid_batch_writes_one_update_per_changed_item(seeded, users):
    a, b, c = add_item(seeded), add_item(seeded, title="Second"), add_item(seeded, title="Untouched")
    result = bulk_update(session=seeded, actor=users["secretariat"], note="Quarterly review", now=NOW, edits=[
        BulkEdit(a.id, 1, {"progress": 30}),
        BulkEdit(b.id, 1, {"owner_name": "Siti", "due_date": "2026-11-30"}),
        BulkEdit(c.id, 1, {"progress": 0, "status": "not_started"}),  # no real change: skipped
    ])
    assert result.ok and result.saved == [a.id, b.id]
    seeded.expire_all()
    fa, fb = seeded.get(ActionItem, a.id), seeded.get(ActionItem, b.id)
    assert (fa.status, fa.progress, fa.version) == ("in_progress", 30, 2)  # progress > 0 starts the item
    assert (fb.owner_name, fb.due_date, fb.version) == ("Siti", date(2026, 11, 30), 2)
    ua, ub = history(seeded, a.id), history(seeded, b.id)
    assert [(u.source, u.note, u.progress_after) for u in ua] == [("bulk", "Quarterly review", 30)]
    assert json.loads(ub[0].changes) == {"owner_name": [None, "Siti"], "due_date": ["2026-12-31", "2026-11-30"]}
    assert (ub[0].status_after, ub[0].progress_after) == ("not_started", 0)  # still equals the item
    assert history(seeded, c.id) == []
    events = seeded.exec(select(AuditEvent).where(AuditEvent.action == "update_progress", AuditEvent.object_id == b.id)).all()
    assert len(events) == 1 and "Siti" in events[0].after


def test_progress_100_completes_and_lowering_reopens(seeded, users):
    item = add_item(seeded, status="in_progress", progress=90)
    bulk_update(session=seeded, actor=users["admin"], note="done", now=NOW, edits=[BulkEdit(item.id, 1, {"progress": 100})])
    assert (seeded.get(ActionItem, item.id).status, seeded.get(ActionItem, item.id).progress) == ("completed", 100)
    bulk_update(session=seeded, actor=users["admin"], note="reopened", now=NOW, edits=[BulkEdit(item.id, 2, {"progress": 80})])
    assert seeded.get(ActionItem, item.id).status == "in_progress"


BAD_ROWS = [
    ({"progress": 101}, "between 0 and 100"),
    ({"progress": -5}, "between 0 and 100"),
    ({"progress": "lots"}, "whole number"),
    ({"progress": 12.5}, "whole number"),
    ({"status": "finished"}, "Unknown status"),
    ({"status": "completed", "progress": 50}, "progress 100%"),
    ({"status": "in_progress", "progress": 100}, "Completed"),
    ({"status": "on_hold", "progress": 100}, "Completed"),
    ({"due_date": "2026-02-30"}, "not a valid date"),
    ({"due_date": "2025-12-01"}, "before the start date"),
    ({"owner_name": "x" * 201}, "too long"),
    ({"title": "New title"}, "cannot be edited here"),
]


@pytest.mark.parametrize("changes,message", BAD_ROWS)
def test_a_bad_row_blocks_the_whole_batch(seeded, users, changes, message):
    good, bad = add_item(seeded), add_item(seeded, title="Bad row")
    result = bulk_update(session=seeded, actor=users["secretariat"], note="batch", now=NOW, edits=[
        BulkEdit(good.id, 1, {"progress": 20}), BulkEdit(bad.id, 1, changes)])
    assert not result.ok and result.saved == []
    assert [p.item_id for p in result.problems] == [bad.id]
    assert message in " ".join(map(str, result.problems[0].problems))
    assert unchanged(seeded, good) and unchanged(seeded, bad)


@pytest.mark.parametrize("note,item_kw,message", [
    ("", {}, "one note for the batch"),
    ("   ", {}, "one note for the batch"),
    ("x" * 4001, {}, "too long"),
])
def test_the_batch_note_is_required(seeded, users, note, item_kw, message):
    item = add_item(seeded, **item_kw)
    result = bulk_update(session=seeded, actor=users["admin"], note=note, now=NOW, edits=[BulkEdit(item.id, 1, {"progress": 10})])
    assert message in " ".join(str(p) for rp in result.problems for p in rp.problems)
    assert unchanged(seeded, item)


def test_rows_report_permission_stale_and_archived_problems(seeded, users):
    theirs = add_item(seeded, "KD", title="KD item")
    stale = add_item(seeded, "MDEC", title="Stale item")
    archived = add_item(seeded, "MDEC", title="Archived item", archived=True)
    focal = users["focal_point"]
    bulk_update(session=seeded, actor=users["secretariat"], note="first", now=NOW, edits=[BulkEdit(stale.id, 1, {"progress": 10})])
    result = bulk_update(session=seeded, actor=focal, note="mine", now=NOW, edits=[
        BulkEdit(theirs.id, 1, {"progress": 10}), BulkEdit(stale.id, 1, {"progress": 50}),
        BulkEdit(archived.id, 1, {"progress": 10}), BulkEdit(stale.id + 1000, 1, {"progress": 10})])
    problems = {p.item_id: " ".join(map(str, p.problems)) for p in result.problems}
    assert "not led or supported" in problems[theirs.id]
    assert "Sec1" in problems[stale.id] and "after you opened it" in problems[stale.id]
    assert "archived" in problems[archived.id]
    assert "No action item" in problems[stale.id + 1000]
    assert seeded.get(ActionItem, stale.id).progress == 10


def test_focal_points_may_change_owner_but_not_due_date(seeded, users):
    item = add_item(seeded, "MDEC")
    focal = users["focal_point"]
    refused = bulk_update(session=seeded, actor=focal, note="n", now=NOW, edits=[BulkEdit(item.id, 1, {"due_date": "2026-10-01"})])
    assert "Only the secretariat" in refused.problems[0].problems[0]
    assert bulk_update(session=seeded, actor=focal, note="n", now=NOW, edits=[BulkEdit(item.id, 1, {"owner_name": "Aminah"})]).ok


def test_viewers_cannot_bulk_update(seeded, users):
    item = add_item(seeded)
    with pytest.raises(PermissionDenied):
        bulk_update(session=seeded, actor=users["viewer"], note="n", now=NOW, edits=[BulkEdit(item.id, 1, {"progress": 5})])


def test_completing_with_open_milestones_needs_confirmation(seeded, users):
    item = add_item(seeded, status="in_progress", progress=60)
    seeded.add(Milestone(item_id=item.id, title="Report filed"))
    seeded.commit()
    edit = [BulkEdit(item.id, 1, {"progress": 100})]
    refused = bulk_update(session=seeded, actor=users["admin"], note="n", now=NOW, edits=edit)
    assert "Report filed" in refused.problems[0].problems[0]
    assert bulk_update(session=seeded, actor=users["admin"], note="n", now=NOW, edits=edit, confirm_open_milestones=True).ok


def test_a_new_due_date_is_what_the_red_rule_sees(seeded, users):
    """Moving an overdue item's due date into the future clears Red within the same row."""
    item = add_item(seeded, start_date=date(2025, 1, 1), due_date=date(2026, 1, 31), status="in_progress", progress=50)
    edits = [BulkEdit(item.id, 1, {"due_date": (NOW.date() + timedelta(days=300)).isoformat(), "progress": 55})]
    assert bulk_update(session=seeded, actor=users["admin"], note="re-planned", now=NOW, edits=edits).ok


@pytest.mark.store
def test_two_sessions_bulk_edit_the_same_item_second_is_refused(store_engine):
    with Session(store_engine, expire_on_commit=False) as s:
        system = ensure_system_user(session=s)
        s.commit()
        seed_facts(session=s, actor=system)
        alice, bob = make_user(s, "alice", Role.SECRETARIAT), make_user(s, "bob", Role.SECRETARIAT)
        shared, other = add_item(s).id, add_item(s, title="Other").id
    with Session(store_engine, expire_on_commit=False) as first, Session(store_engine, expire_on_commit=False) as second:
        v = second.get(ActionItem, shared).version  # Bob's table shows version 1
        ok = bulk_update(session=first, actor=first.get(User, alice.id), note="Alice's batch", now=NOW,
                         edits=[BulkEdit(shared, 1, {"progress": 40})])
        refused = bulk_update(session=second, actor=second.get(User, bob.id), note="Bob's batch", now=NOW,
                              edits=[BulkEdit(other, 1, {"progress": 10}), BulkEdit(shared, v, {"progress": 60})])
    assert ok.ok and not refused.ok
    assert [p.item_id for p in refused.problems] == [shared]
    assert "Alice" in refused.problems[0].problems[0]
    with Session(store_engine) as s:
        assert (s.get(ActionItem, shared).progress, s.get(ActionItem, other).progress) == (40, 0)
        assert [u.note for u in s.exec(select(ProgressUpdate)).all()] == ["Alice's batch"]


@pytest.mark.store
def test_a_bulk_edit_racing_another_commit_is_caught_by_the_version_column(store_engine):
    """The second batch's early check passes (its session still holds version 1); the
    database-level version check refuses it at commit and nothing of the batch is written."""
    with Session(store_engine, expire_on_commit=False) as s:
        system = ensure_system_user(session=s)
        s.commit()
        seed_facts(session=s, actor=system)
        admin = make_user(s, "root", Role.ADMIN)
        shared, other = add_item(s).id, add_item(s, title="Other").id
    with Session(store_engine, expire_on_commit=False) as first, Session(store_engine, expire_on_commit=False) as second:
        second.get(ActionItem, shared)  # loaded at version 1, before the first write
        bulk_update(session=first, actor=first.get(User, admin.id), note="first", now=NOW,
                    edits=[BulkEdit(shared, 1, {"progress": 40})])
        refused = bulk_update(session=second, actor=second.get(User, admin.id), note="second", now=NOW,
                              edits=[BulkEdit(other, 1, {"progress": 10}), BulkEdit(shared, 1, {"progress": 70})])
    assert not refused.ok and [p.item_id for p in refused.problems] == [shared]
    assert "Root" in refused.problems[0].problems[0]
    with Session(store_engine) as s:
        assert (s.get(ActionItem, shared).progress, s.get(ActionItem, other).progress) == (40, 0)
        assert [u.note for u in s.exec(select(ProgressUpdate)).all()] == ["first"]


@pytest.mark.parametrize("role,disabled,expected", [
    ("viewer", False, False), ("focal_point", False, True), ("secretariat", False, True),
    ("admin", False, True), ("admin", True, False),
])
def test_who_is_offered_the_bulk_editor(role, disabled, expected):
    from services.permissions import can_update_some_items

    assert can_update_some_items(User(username="u", display_name="U", role=role, disabled=disabled)) is expected
    assert can_update_some_items(None) is False
