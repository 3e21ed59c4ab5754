"""Meetings register, decisions that create linked items, and "what changed since"."""
from datetime import date, datetime, timezone

import pytest
from sqlmodel import select

from models import ActionItem, CommitmentArea, Decision
from services.errors import PermissionDenied, ValidationFailed
from services.items.progress import update_progress
from services.meetings.register import (
    add_decision, get_meeting_detail, last_meeting_date, list_bodies, list_meetings, save_meeting,
    what_changed_since,
)
from tests.unit.item_factories import add_item

JWG = "Joint Working Group on the Digital Economy"
TODAY = date(2026, 6, 1)


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, tzinfo=timezone.utc)


def meeting(session, actor, held_on, body=JWG):
    return save_meeting(session=session, actor=actor, data={
        "body": body, "held_on": held_on, "venue": "Putrajaya", "attendees_my": "KD officials",
        "attendees_counterpart": "NDA officials", "summary": "Agreed the work plan."})


def test_register_lists_meetings_newest_first_by_body(seeded, users):
    sec = users["secretariat"]
    first, second = meeting(seeded, sec, date(2026, 1, 10)), meeting(seeded, sec, date(2026, 4, 10))
    meeting(seeded, sec, date(2026, 2, 1), body="AI working group")
    assert list_bodies(session=seeded) == ["AI working group", JWG]
    assert [m.id for m in list_meetings(session=seeded, body=JWG)] == [second.id, first.id]
    assert last_meeting_date(session=seeded, body=JWG, today=TODAY) == date(2026, 4, 10)
    assert last_meeting_date(session=seeded, body=JWG, today=date(2026, 3, 1)) == date(2026, 1, 10)
    assert get_meeting_detail(session=seeded, meeting_id=second.id, today=TODAY).previous.id == first.id


@pytest.mark.parametrize("change,message", [
    ({"body": ""}, "Body"), ({"held_on": "someday"}, "Held on"), ({"venue": "v" * 301}, "Venue"),
])
def test_meeting_validation(seeded, users, change, message):
    data = {"body": JWG, "held_on": date(2026, 1, 10), **change}
    with pytest.raises(ValidationFailed, match=message):
        save_meeting(session=seeded, actor=users["secretariat"], data=data)


def test_focal_points_cannot_record_meetings(seeded, users):
    with pytest.raises(PermissionDenied):
        meeting(seeded, users["focal_point"], date(2026, 1, 10))


def test_a_decision_creates_a_linked_item_shown_with_its_status_now(seeded, users):
    sec = users["secretariat"]
    m = meeting(seeded, sec, date(2026, 1, 10))
    area = seeded.exec(select(CommitmentArea)).first()
    d = add_decision(session=seeded, actor=sec, meeting_id=m.id, text="Draft the terms of reference",
                     new_item={"area_id": area.id, "title": "Draft the terms of reference",
                               "start_date": date(2026, 1, 10), "due_date": date(2026, 12, 31)})
    item = seeded.get(ActionItem, d.item_id)
    assert item.meeting_id == m.id
    update_progress(session=seeded, actor=sec, item_id=item.id, expected_version=1, status="in_progress",
                    progress=50, now=at(date(2026, 3, 1)))
    detail = get_meeting_detail(session=seeded, meeting_id=m.id, today=TODAY)
    [(decision, now)] = detail.decisions
    assert decision.text == "Draft the terms of reference" and (now.status, now.progress) == ("in_progress", 50)


def test_a_decision_with_a_bad_item_writes_nothing(seeded, users):
    sec = users["secretariat"]
    m = meeting(seeded, sec, date(2026, 1, 10))
    with pytest.raises(ValidationFailed):
        add_decision(session=seeded, actor=sec, meeting_id=m.id, text="Do it", new_item={"area_id": 999, "title": "Do it"})
    seeded.rollback()
    assert seeded.exec(select(Decision)).all() == [] and seeded.exec(select(ActionItem)).all() == []
    with pytest.raises(ValidationFailed, match="Write the decision"):
        add_decision(session=seeded, actor=sec, meeting_id=m.id, text="  ")


def test_what_changed_since(seeded, users):
    sec = users["secretariat"]
    since = date(2026, 4, 1)
    created = dict(created_at=at(date(2026, 1, 1)), start_date=date(2026, 1, 1), due_date=date(2026, 12, 31))
    improved = add_item(seeded, title="Improved", **created)
    completed = add_item(seeded, title="Completed", **created)
    quiet = add_item(seeded, title="Quiet", **created)
    red = add_item(seeded, title="Turns red", created_at=at(date(2026, 1, 1)), start_date=date(2026, 1, 1),
                   due_date=date(2026, 5, 1))
    new = add_item(seeded, title="Created later", created_at=at(date(2026, 5, 1)))
    for item, progress in ((improved, 30), (completed, 30), (quiet, 30), (red, 80)):  # red: on track then
        update_progress(session=seeded, actor=sec, item_id=item.id, expected_version=1, status="in_progress",
                        progress=progress, note="before", now=at(date(2026, 3, 20)))
    update_progress(session=seeded, actor=sec, item_id=improved.id, expected_version=2, status="in_progress",
                    progress=60, now=at(date(2026, 5, 1)))
    update_progress(session=seeded, actor=sec, item_id=completed.id, expected_version=2, status="completed",
                    progress=100, now=at(date(2026, 5, 2)))
    c = what_changed_since(session=seeded, since=since, today=TODAY)
    names = {k: [i.title for i in getattr(c, k)] for k in ("turned_red", "improved", "completed", "no_update")}
    assert names == {"turned_red": ["Turns red"], "improved": ["Improved"], "completed": ["Completed"],
                     "no_update": ["Turns red", "Quiet"]}
    assert new.id not in [i.id for k in ("turned_red", "improved", "completed", "no_update") for i in getattr(c, k)]


def test_a_body_works_on_the_agreements_of_its_decisions(seeded, users):
    from models import Agreement
    from services.meetings.register import body_agreement_ids

    sec = users["secretariat"]
    m = meeting(seeded, sec, date(2026, 1, 10))
    assert body_agreement_ids(session=seeded, body=JWG) is None  # no decision yet: every agreement
    item = add_item(seeded, created_at=at(date(2025, 12, 1)))
    add_decision(session=seeded, actor=sec, meeting_id=m.id, text="Do it", item_id=item.id)
    area = seeded.get(CommitmentArea, item.area_id)
    assert body_agreement_ids(session=seeded, body=JWG) == [area.agreement_id]
    other = seeded.exec(select(Agreement.id).where(Agreement.id != area.agreement_id)).first()
    elsewhere = add_item(seeded, title="Elsewhere", created_at=at(date(2025, 12, 1)), area_id=seeded.exec(
        select(CommitmentArea.id).where(CommitmentArea.agreement_id == other)).first())
    changes = what_changed_since(session=seeded, since=date(2026, 1, 1), today=TODAY,
                                 agreement_ids=body_agreement_ids(session=seeded, body=JWG))
    assert elsewhere.id not in [i.id for i in changes.no_update] and item.id in [i.id for i in changes.no_update]


def test_meeting_record_and_changes_name_items_in_the_language(seeded, users):
    """Titles in the reader's language; an item with no Chinese title is marked ‹EN›."""
    sec = users["secretariat"]
    m = meeting(seeded, sec, date(2026, 1, 10))
    area = seeded.exec(select(CommitmentArea)).first()
    d = add_decision(session=seeded, actor=sec, meeting_id=m.id, text="Set up the working group",
                     new_item={"area_id": area.id, "title": "Set up the working group",
                               "start_date": date(2026, 1, 10), "due_date": date(2026, 12, 31)})
    item = seeded.get(ActionItem, d.item_id)
    item.title_ms = "Tubuhkan kumpulan kerja"
    item.created_at = at(date(2026, 1, 10))  # made at the meeting, so it counts in "what changed"
    seeded.add(item)
    seeded.commit()
    update_progress(session=seeded, actor=sec, item_id=item.id, expected_version=item.version,
                    status="in_progress", progress=40, now=at(date(2026, 3, 1)))
    [(_, ms_line)] = get_meeting_detail(session=seeded, meeting_id=m.id, today=TODAY, lang="ms").decisions
    [(_, zh_line)] = get_meeting_detail(session=seeded, meeting_id=m.id, today=TODAY, lang="zh").decisions
    assert ms_line.title == "Tubuhkan kumpulan kerja"
    assert zh_line.title == "‹EN› Set up the working group"
    changes = what_changed_since(session=seeded, since=date(2026, 2, 1), today=TODAY, lang="ms")
    assert "Tubuhkan kumpulan kerja" in [line.title for line in changes.improved]
