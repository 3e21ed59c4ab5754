"""Meeting mode's agenda: a body's agreements, then the items that need discussion."""

import pytest
from sqlmodel import Session, select

from models import JointBody
from services.meetings.bodies import save_body
from services.meetings.mode import build_agenda
from services.seeding.sample import JWG_BODY
from tests.unit.scenario import TODAY, build_scenario


@pytest.fixture
def world(store_engine):
    """On SQLite and, with TEST_DATABASE_URL, on PostgreSQL."""
    with Session(store_engine, expire_on_commit=False) as session:
        yield session, build_scenario(session)


def test_the_agenda_of_a_body_is_its_agreements_and_a_body_without_any_has_none(world):
    session, w = world
    jwg = session.exec(select(JointBody).where(JointBody.name_en == JWG_BODY)).one()
    assert [p.code for p in build_agenda(session=session, body_id=jwg.id, today=TODAY) if p.kind == "agreement"] == [
        "MY-CN-DE-2025"]
    empty = save_body(session=session, actor=w.users["secretariat"], data={"name_en": "ASEAN digital senior officials"})
    assert build_agenda(session=session, body_id=empty.id, today=TODAY) == []  # not silently every agreement


def test_agenda_is_each_agreement_then_its_red_overdue_and_stale_items(world):
    session, w = world
    agenda = build_agenda(session=session, body_id=None, today=TODAY)
    shape = [(p.kind, p.code, p.item.id if p.item else None) for p in agenda]
    assert shape == [
        ("agreement", "MY-CN-AI-2025", None), ("item", "MY-CN-AI-2025", w.b),
        ("agreement", "MY-CN-DE-2025", None), ("item", "MY-CN-DE-2025", w.a),  # C is neither late nor stale
        ("agreement", "MY-CN-LOI-ZJU-2025", None),
    ]
    assert agenda[1].reasons == ["Overdue", "Red", "Out of date"]
    assert agenda[3].reasons == ["Red", "Out of date"]
    assert agenda[2].kpis.items == 2 and agenda[2].status_counts == {"in_progress": 1, "not_started": 1}
