"""The meetings domain: joint bodies, the register, the one decision writer, items created at a
meeting, and the one definition of "what changed since"."""
from datetime import date, datetime, timezone

import pytest
from sqlmodel import select

from core.settings import get_settings
from models import ActionItem, Agreement, AuditEvent, BodyMember, CommitmentArea, Decision, JointBody, Meeting
from services.errors import NotFound, PermissionDenied, ValidationFailed
from services.items.progress import update_progress
from services.meetings.bodies import body_agreements, body_members, find_body, list_bodies, save_body
from services.meetings.changes import GROUPS, what_changed
from services.meetings.register import (
    DECISION_LIMIT, changes_for_body, create_meeting_item, last_meeting, list_meetings, meeting_record, next_meeting,
    record_decision, save_meeting,
)
from tests.unit.item_factories import add_item, org_id

JWG = "Joint Working Group on the Digital Economy"
TODAY = date(2026, 6, 1)


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=timezone.utc)


def jwg(session) -> JointBody:
    return session.exec(select(JointBody).where(JointBody.name_en == JWG)).one()


def de_area(session) -> CommitmentArea:
    return session.exec(select(CommitmentArea).join(Agreement).where(Agreement.code == "MY-CN-DE-2025")
                        .order_by(CommitmentArea.position)).first()


def meeting(session, actor, held_on, body_id=None):
    return save_meeting(session=session, actor=actor, data={
        "body_id": body_id or jwg(session).id, "held_on": held_on, "venue": "Putrajaya",
        "attendees_my": "KD officials", "attendees_counterpart": "NDA officials", "summary": "Agreed the work plan."})


def test_the_source_documents_working_group_is_a_body_over_its_agreement(seeded):
    body = jwg(seeded)
    assert [b.name_en for b in list_bodies(session=seeded)] == [JWG]
    assert body.name_ms == "Kumpulan Kerja Bersama mengenai Ekonomi Digital" and body.name_zh == "数字经济联合工作组"
    assert [a.code for a in body_agreements(session=seeded, body_id=body.id)] == ["MY-CN-DE-2025"]
    assert len(body_agreements(session=seeded, body_id=None)) == 3  # no body: every live agreement
    assert find_body(session=seeded, name="kumpulan kerja bersama mengenai ekonomi digital").id == body.id


def test_a_body_saved_with_members_and_no_agreement_follows_nothing(seeded, users):
    sec = users["secretariat"]
    body = save_body(session=seeded, actor=sec, data={
        "name_en": "ASEAN digital senior officials", "cadence_months": 6, "members": [
            {"side": "my", "name": "Aisyah Rahman", "organisation": "KD", "role": "Co-chair"},
            {"side": "counterpart", "name": "Li Wei", "organisation": "NDA", "role": "Co-chair"}]})
    assert body_agreements(session=seeded, body_id=body.id) == []  # the screens say so; not everything
    assert [m.name for m in body_members(session=seeded, body_id=body.id)["counterpart"]] == ["Li Wei"]
    with pytest.raises(ValidationFailed, match="already exists"):
        save_body(session=seeded, actor=sec, data={"name_en": JWG})
    with pytest.raises(ValidationFailed, match="id 999"):
        save_body(session=seeded, actor=sec, data={"name_en": "Another body", "agreement_ids": [999]})
    with pytest.raises(ValidationFailed):
        save_body(session=seeded, actor=sec, data={"name_en": "Third body", "members": [{"side": "both", "name": "X Y"}]})
    seeded.rollback()
    assert len(seeded.exec(select(BodyMember)).all()) == 2
    with pytest.raises(PermissionDenied):
        save_body(session=seeded, actor=users["focal_point"], data={"name_en": "Mine"})


def test_a_bad_member_row_is_named_and_nothing_is_written(seeded, users):
    sec = users["secretariat"]
    rows = [{"side": "my", "name": "Aisyah Rahman", "organisation": "KD", "role": "Co-chair"},
            {"side": "my", "name": None, "organisation": None, "role": None},  # an empty row: skipped
            {"side": "counterpart", "name": "L", "organisation": "NDA", "role": None},
            {"side": "both", "name": "Chen Jing", "organisation": "NDA", "role": None},
            {"side": "my", "name": "Farid", "organisation": "X" * 301, "role": None},
            {"name": "Wang Fang"}]
    with pytest.raises(ValidationFailed) as refused:
        save_body(session=seeded, actor=sec, data={"name_en": "x", "members": rows})
    problems = [str(p) for p in refused.value.problems]
    assert problems[0].startswith("Name (English): ")  # the body's own fields first, then each member by row
    assert problems[1] == "Members, row 3: Name: String should have at least 2 characters."
    assert problems[2] == "Members, row 4: Side: choose Malaysia or Counterpart."
    assert problems[3].startswith("Members, row 5: ") and "300" in problems[3]
    assert problems[4] == "Members, row 6: Side: choose Malaysia or Counterpart."
    assert len(problems) == 5
    assert refused.value.problems[2].text("ms") == "Ahli, baris 4: Pihak: pilih Malaysia atau Pihak rakan kerjasama."
    seeded.rollback()
    assert seeded.exec(select(JointBody).where(JointBody.name_en == "x")).all() == []
    assert seeded.exec(select(BodyMember)).all() == []
    body = save_body(session=seeded, actor=sec, data={"name_en": "ASEAN digital senior officials",
                                                      "members": [rows[0], rows[1], {**rows[2], "name": " Li Wei "}]})
    saved = body_members(session=seeded, body_id=body.id)
    assert [(m.name, m.organisation, m.role) for m in saved["my"]] == [("Aisyah Rahman", "KD", "Co-chair")]
    assert [(m.name, m.organisation, m.role) for m in saved["counterpart"]] == [("Li Wei", "NDA", None)]


def test_last_meeting_is_strictly_before_the_day_and_next_is_the_first_not_held(seeded, users):
    sec = users["secretariat"]
    first, second = meeting(seeded, sec, date(2026, 1, 10)), meeting(seeded, sec, date(2026, 4, 10))
    planned = meeting(seeded, sec, date(2026, 7, 1))
    body_id = jwg(seeded).id
    assert [m.id for m in list_meetings(session=seeded, body_id=body_id)] == [planned.id, second.id, first.id]
    assert last_meeting(session=seeded, body_id=body_id, before=date(2026, 4, 10)).id == first.id  # the day itself: not "last"
    assert last_meeting(session=seeded, body_id=body_id, before=date(2026, 4, 11)).id == second.id
    assert next_meeting(session=seeded, body_id=body_id, today=TODAY).id == planned.id
    assert meeting_record(session=seeded, meeting_id=second.id, today=TODAY).previous.id == first.id


def test_a_meeting_needs_an_existing_body(seeded, users):
    with pytest.raises(NotFound):
        save_meeting(session=seeded, actor=users["secretariat"], data={"body_id": 999, "held_on": date(2026, 1, 1)})
    with pytest.raises(ValidationFailed, match="Date: "):
        save_meeting(session=seeded, actor=users["secretariat"], data={"body_id": jwg(seeded).id, "held_on": "someday"})


def test_one_decision_writer_one_limit_one_audit_action(seeded, users):
    sec = users["secretariat"]
    m = meeting(seeded, sec, date(2026, 1, 10))
    d = record_decision(session=seeded, actor=sec, meeting_id=m.id, text="x" * DECISION_LIMIT)
    with pytest.raises(ValidationFailed, match=f"{DECISION_LIMIT + 1} characters"):
        record_decision(session=seeded, actor=sec, meeting_id=m.id, text="x" * (DECISION_LIMIT + 1))
    with pytest.raises(ValidationFailed, match="Write the decision"):
        record_decision(session=seeded, actor=sec, meeting_id=m.id, text="  ")
    events = seeded.exec(select(AuditEvent).where(AuditEvent.action == "record_decision")).all()
    assert [(e.object_type, e.object_id) for e in events] == [("decision", d.id)]
    with pytest.raises(PermissionDenied):
        record_decision(session=seeded, actor=users["focal_point"], meeting_id=m.id, text="Agreed")


def test_a_decision_creates_an_item_through_set_up_validation(seeded, users):
    sec = users["secretariat"]
    m = meeting(seeded, sec, date(2026, 1, 10))
    area = de_area(seeded)
    new = {"area_id": area.id, "title": "Draft the terms of reference", "lead_org_id": org_id(seeded, "MDEC"),
           "due_date": date(2026, 12, 31), "owner_name": "Aisyah"}
    d = record_decision(session=seeded, actor=sec, meeting_id=m.id, text="Draft the terms", new_item=new)
    item = seeded.get(ActionItem, d.item_id)
    assert (item.meeting_id, item.start_date, item.lead_org_id, item.category) == (
        m.id, date(2026, 1, 10), org_id(seeded, "MDEC"), area.category)
    record = meeting_record(session=seeded, meeting_id=m.id, today=TODAY)
    assert [i.id for i in record.new_items] == [item.id] and record.decisions[0][1].owner == "Aisyah"


@pytest.mark.parametrize("change,message", [
    ({"due_date": date(2026, 1, 9)}, "before the meeting"),
    ({"lead_org_id": None}, "lead organisation"),
    ({"area_id": 999}, "commitment area"),
    ({"title": "x"}, "Title"),
    ({"owner_email": "not an address"}, "Owner e-mail"),
])
def test_a_bad_item_at_a_meeting_writes_nothing(seeded, users, change, message):
    sec = users["secretariat"]
    m = meeting(seeded, sec, date(2026, 1, 10))
    data = {"area_id": de_area(seeded).id, "title": "Do it", "lead_org_id": org_id(seeded, "KD"), **change}
    with pytest.raises(ValidationFailed, match=message):
        record_decision(session=seeded, actor=sec, meeting_id=m.id, text="Do it", new_item=data)
    with pytest.raises(ValidationFailed, match=message):
        create_meeting_item(session=seeded, actor=sec, meeting_id=m.id, data=data)
    seeded.rollback()
    assert seeded.exec(select(Decision)).all() == [] and seeded.exec(select(ActionItem)).all() == []


def _world(seeded, users):
    """Items of the working group's agreement, created 1 January, updated 20 March."""
    sec, area = users["secretariat"], de_area(seeded)
    made = dict(area_id=area.id, created_at=at(date(2026, 1, 1)), start_date=date(2026, 1, 1), due_date=date(2026, 12, 31))
    items = {n: add_item(seeded, title=n, **made) for n in ("Improved", "Completed", "Quiet")}
    items["Turns red"] = add_item(seeded, title="Turns red", **{**made, "due_date": date(2026, 5, 1)})
    for name, item in items.items():
        update_progress(session=seeded, actor=sec, item_id=item.id, expected_version=1, status="in_progress",
                        progress=80 if name == "Turns red" else 30, note="before", now=at(date(2026, 3, 20)))
    return items


def names(changes) -> dict:
    return {g: [c.item.title for c in changes.groups[g]] for g in GROUPS}


def test_what_changed_since_the_start_of_the_meeting_day(seeded, users):
    sec = users["secretariat"]
    items = _world(seeded, users)
    day = date(2026, 4, 1)
    update_progress(session=seeded, actor=sec, item_id=items["Improved"].id, expected_version=2, status="in_progress",
                    progress=60, now=at(day, 8))  # on the day of the meeting: counts
    update_progress(session=seeded, actor=sec, item_id=items["Completed"].id, expected_version=2, status="completed",
                    progress=100, now=at(date(2026, 5, 2)))
    add_item(seeded, title="Made at the meeting", area_id=de_area(seeded).id, created_at=at(day, 11))
    # 15:00 UTC is 23:00 on 31 March in Kuala Lumpur: the evening before the meeting's (local) day
    add_item(seeded, title="Made the day before", area_id=de_area(seeded).id, created_at=at(date(2026, 3, 31), 15))
    c = what_changed(session=seeded, since=day, today=TODAY, agreement_ids=[de_area(seeded).agreement_id])
    assert names(c) == {"new": ["Made at the meeting"], "turned_red": ["Turns red"], "completed": ["Completed"],
                        "improved": ["Improved"], "no_update": ["Turns red", "Quiet", "Made the day before"]}
    moved = {x.item.title: (x.before.progress, x.item.progress) for x in c.groups["improved"]}
    assert moved == {"Improved": (30, 60)}
    assert what_changed(session=seeded, since=date(2026, 4, 2), today=TODAY).ids()["improved"] == []


def test_since_counts_from_the_start_of_the_local_day(seeded, users, monkeypatch):
    """A meeting on 1 April in Kuala Lumpur starts at 16:00 UTC on 31 March: an update at 23:30 UTC
    that evening is made on the meeting's day; one at 15:30 UTC (23:30 in Kuala Lumpur) is not."""
    sec = users["secretariat"]
    items = _world(seeded, users)
    day = date(2026, 4, 1)
    update_progress(session=seeded, actor=sec, item_id=items["Improved"].id, expected_version=2, status="in_progress",
                    progress=60, now=datetime(2026, 3, 31, 23, 30, tzinfo=timezone.utc))
    update_progress(session=seeded, actor=sec, item_id=items["Quiet"].id, expected_version=2, status="in_progress",
                    progress=45, now=datetime(2026, 3, 31, 15, 30, tzinfo=timezone.utc))
    meeting(seeded, sec, day)
    scope = [de_area(seeded).agreement_id]
    c = changes_for_body(session=seeded, body_id=jwg(seeded).id, today=TODAY)
    assert c.since == day and c.cut == datetime(2026, 3, 31, 16, tzinfo=timezone.utc)
    assert c.ids() == what_changed(session=seeded, since=day, today=TODAY, agreement_ids=scope).ids()
    moved = {x.item.title: (x.before.progress, x.item.progress) for x in c.groups["improved"]}
    assert moved == {"Improved": (30, 60)}
    assert "Quiet" in names(c)["no_update"] and "Improved" not in names(c)["no_update"]
    before = {x.item.title: x.before.progress for x in c.groups["no_update"]}
    assert before["Quiet"] == 45  # the evening before: the state the meeting starts from

    monkeypatch.setenv("TIMEZONE", "UTC")  # the setting decides where the day starts
    get_settings.cache_clear()
    try:
        utc = what_changed(session=seeded, since=day, today=TODAY, agreement_ids=scope)
    finally:
        get_settings.cache_clear()
    assert names(utc)["improved"] == [] and "Improved" in names(utc)["no_update"]


def test_the_body_scope_and_the_default_since(seeded, users):
    sec = users["secretariat"]
    items = _world(seeded, users)
    ai_area = seeded.exec(select(CommitmentArea).join(Agreement).where(Agreement.code == "MY-CN-AI-2025")).first()
    elsewhere = add_item(seeded, title="Elsewhere", area_id=ai_area.id, created_at=at(date(2026, 1, 1)))
    meeting(seeded, sec, date(2026, 4, 1))
    c = changes_for_body(session=seeded, body_id=jwg(seeded).id, today=TODAY)
    assert c.since == date(2026, 4, 1) and not c.from_snapshot
    assert elsewhere.id not in c.ids()["no_update"] and items["Quiet"].id in c.ids()["no_update"]
    assert elsewhere.id in changes_for_body(session=seeded, body_id=None, today=TODAY, since=date(2026, 4, 1)).ids()["no_update"]


def test_titles_follow_the_language(seeded, users):
    sec = users["secretariat"]
    items = _world(seeded, users)
    item = items["Improved"]
    item.title_ms = "Bertambah baik"
    seeded.add(item)
    seeded.commit()
    update_progress(session=seeded, actor=sec, item_id=item.id, expected_version=item.version, status="in_progress",
                    progress=70, now=at(date(2026, 5, 1)))
    assert "Bertambah baik" in names(what_changed(session=seeded, since=date(2026, 4, 1), today=TODAY, lang="ms"))["improved"]
    assert "‹EN› Improved" in names(what_changed(session=seeded, since=date(2026, 4, 1), today=TODAY, lang="zh"))["improved"]
    assert seeded.exec(select(Meeting)).all() == []
