"""Meeting mode services: bodies, the agenda, and the writes made during a meeting."""
from datetime import date

import pytest
from sqlmodel import Session, select

from models import ActionItem, AuditEvent, Decision, Meeting
from services.errors import PermissionDenied, ValidationFailed
from services.meetings.mode import (
    ALL_AGREEMENTS, body_agreements, build_agenda, create_meeting_item, ensure_meeting, last_meeting, list_bodies,
    meeting_record, record_decision,
)
from services.seeding.sample import JWG_BODY
from tests.unit.scenario import TODAY, build_scenario


@pytest.fixture
def world(store_engine):
    """On SQLite and, with TEST_DATABASE_URL, on PostgreSQL."""
    with Session(store_engine, expire_on_commit=False) as session:
        yield session, build_scenario(session)


def test_bodies_come_from_working_group_areas_and_meetings(world):
    session, w = world
    session.add(Meeting(body="ASEAN digital senior officials", held_on=date(2026, 9, 1)))
    session.commit()
    assert list_bodies(session=session) == ["ASEAN digital senior officials", JWG_BODY, ALL_AGREEMENTS]
    assert [a.code for a in body_agreements(session=session, body=JWG_BODY)] == ["MY-CN-DE-2025"]
    # a body with nothing recorded yet follows every agreement
    assert len(body_agreements(session=session, body="ASEAN digital senior officials")) == 3


def test_agenda_is_each_agreement_then_its_red_overdue_and_stale_items(world):
    session, w = world
    agenda = build_agenda(session=session, body=ALL_AGREEMENTS, today=TODAY)
    shape = [(p.kind, p.code, p.item.id if p.item else None) for p in agenda]
    assert shape == [
        ("agreement", "MY-CN-AI-2025", None), ("item", "MY-CN-AI-2025", w.b),
        ("agreement", "MY-CN-DE-2025", None), ("item", "MY-CN-DE-2025", w.a),  # C is neither late nor stale
        ("agreement", "MY-CN-LOI-ZJU-2025", None),
    ]
    assert agenda[1].reasons == ["Overdue", "Red", "Out of date"]
    assert agenda[3].reasons == ["Red", "Out of date"]
    assert agenda[2].kpis.items == 2 and agenda[2].status_counts == {"in_progress": 1, "not_started": 1}


@pytest.mark.parametrize("role", ["viewer", "focal_point"])
def test_only_secretariat_and_admin_record_decisions(world, role):
    session, w = world
    meeting = ensure_meeting(session=session, actor=w.users["admin"], body=JWG_BODY, held_on=TODAY)
    with pytest.raises(PermissionDenied):
        record_decision(session=session, actor=w.users[role], meeting_id=meeting.id, text="Agreed")
    with pytest.raises(PermissionDenied):
        ensure_meeting(session=session, actor=w.users[role], body=JWG_BODY, held_on=TODAY)


def test_a_decision_lands_in_the_meeting_record_with_an_audit_event(world):
    session, w = world
    sec = w.users["secretariat"]
    meeting = ensure_meeting(session=session, actor=sec, body=JWG_BODY, held_on=TODAY)
    assert ensure_meeting(session=session, actor=sec, body=JWG_BODY, held_on=TODAY).id == meeting.id
    decision = record_decision(session=session, actor=sec, meeting_id=meeting.id, text="  Escalate to the minister ",
                               item_id=w.b)
    decisions, _ = meeting_record(session=session, meeting_id=meeting.id)
    assert [(d.text, d.item_id) for d in decisions] == [("Escalate to the minister", w.b)]
    actions = session.exec(select(AuditEvent.action).where(AuditEvent.user_id == sec.id)).all()
    assert {"create_meeting", "record_decision"} <= set(actions)
    assert session.get(Decision, decision.id).meeting_id == meeting.id
    assert last_meeting(session=session, body=JWG_BODY, before=date(2026, 11, 27)).id == meeting.id
    assert last_meeting(session=session, body=JWG_BODY, before=TODAY) is None


@pytest.mark.parametrize("text", ["", "   ", "x" * 5001])  # the limit is Decision.text's
def test_a_decision_needs_text(world, text):
    session, w = world
    meeting = ensure_meeting(session=session, actor=w.users["secretariat"], body=JWG_BODY, held_on=TODAY)
    with pytest.raises(ValidationFailed):
        record_decision(session=session, actor=w.users["secretariat"], meeting_id=meeting.id, text=text)


def test_a_new_action_item_carries_the_meeting(world):
    session, w = world
    sec = w.users["secretariat"]
    meeting = ensure_meeting(session=session, actor=sec, body=JWG_BODY, held_on=TODAY)
    area_id = session.get(ActionItem, w.a).area_id
    item = create_meeting_item(session=session, actor=sec, meeting_id=meeting.id, area_id=area_id,
                               title="Draft the data-sharing annex", due_date=date(2027, 3, 31), owner_name="Aina")
    _, items = meeting_record(session=session, meeting_id=meeting.id)
    assert [i.id for i in items] == [item.id]
    assert (item.start_date, item.status, item.progress, item.category) == (TODAY, "not_started", 0, "policy_regulation")
    with pytest.raises(PermissionDenied):
        create_meeting_item(session=session, actor=w.users["viewer"], meeting_id=meeting.id, area_id=area_id, title="x")
    with pytest.raises(ValidationFailed):
        create_meeting_item(session=session, actor=sec, meeting_id=meeting.id, area_id=area_id, title="y",
                            start_date=date(2027, 1, 2), due_date=date(2027, 1, 1))
