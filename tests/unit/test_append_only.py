"""The progress history and the audit trail refuse UPDATE and DELETE in the database itself
(migration 0003_i14, core/append_only.py), tested with raw SQL on SQLite and PostgreSQL:
no ORM guard is involved. Removing the sample data still deletes sample items' history."""
from datetime import datetime, timezone

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError
from sqlmodel import Session, select

from core import append_only
from models import ActionItem, AuditEvent, ProgressUpdate, User
from services.audit.trail import record_event
from services.seeding.sample import remove_sample, seed_sample
from tests.conftest import TODAY
from tests.unit.scenario import build_scenario

pytestmark = pytest.mark.store
NOW = datetime(2026, 11, 26, 9, 0, tzinfo=timezone.utc)
REFUSED = [
    "UPDATE auditevent SET detail = 'rewritten'",
    "UPDATE auditevent SET action = 'nothing' WHERE id = (SELECT MIN(id) FROM auditevent)",
    "DELETE FROM auditevent",
    "DELETE FROM auditevent WHERE id = (SELECT MAX(id) FROM auditevent)",
    "UPDATE progressupdate SET progress_after = 100",
    "UPDATE progressupdate SET note = 'nothing happened'",
    "DELETE FROM progressupdate",
]


@pytest.fixture
def world(store_engine):
    with Session(store_engine, expire_on_commit=False) as session:
        sc = build_scenario(session)
        record_event(session=session, actor=sc.users["admin"], action="sign_in", detail="original")
        session.commit()
    store_engine.admin_id = sc.users["admin"].id
    return store_engine


def _counts(engine) -> tuple[int, int, str]:
    with engine.connect() as conn:
        return (conn.execute(text("SELECT COUNT(*) FROM auditevent")).scalar_one(),
                conn.execute(text("SELECT COUNT(*) FROM progressupdate")).scalar_one(),
                conn.execute(text("SELECT string_agg(detail, ',') FROM auditevent")
                             if engine.dialect.name == "postgresql" else
                             text("SELECT group_concat(detail, ',') FROM auditevent")).scalar_one())


def test_the_triggers_are_there_at_head(world):
    with world.connect() as conn:
        names = append_only.installed(conn)
    expected = ({"progressupdate_no_change", "progressupdate_no_truncate", "auditevent_no_change", "auditevent_no_truncate"}
                if world.dialect.name == "postgresql" else
                {"progressupdate_no_update", "progressupdate_no_delete", "auditevent_no_update", "auditevent_no_delete"})
    assert names == expected


@pytest.mark.parametrize("sql", REFUSED)
def test_raw_sql_cannot_rewrite_the_record(world, sql):
    before = _counts(world)
    with pytest.raises(DatabaseError, match="append-only"):
        with world.begin() as conn:
            conn.execute(text(sql))
    assert _counts(world) == before


def test_emptying_the_trail_at_once_is_refused(world):
    """PostgreSQL's TRUNCATE skips row triggers, so it has its own; SQLite has only DELETE."""
    sql = "TRUNCATE auditevent, progressupdate CASCADE" if world.dialect.name == "postgresql" else "DELETE FROM auditevent"
    before = _counts(world)
    with pytest.raises(DatabaseError, match="append-only"):
        with world.begin() as conn:
            conn.execute(text(sql))
    assert _counts(world) == before


def test_appending_still_works(world):
    before = _counts(world)
    with Session(world) as s:
        record_event(session=s, actor=None, action="sign_in", detail="appended")
        s.commit()
    assert _counts(world)[0] == before[0] + 1


def test_removing_the_sample_data_deletes_only_sample_history(world):
    with Session(world, expire_on_commit=False) as s:
        admin = s.get(User, world.admin_id)
        seed_sample(session=s, actor=admin, today=TODAY)
        real = s.exec(select(ProgressUpdate.id).join(ActionItem).where(ActionItem.is_sample == False)).all()  # noqa: E712
        sample = s.exec(select(ProgressUpdate.id).join(ActionItem).where(ActionItem.is_sample == True)).all()  # noqa: E712
        assert real and sample
        events = len(s.exec(select(AuditEvent.id)).all())
        remove_sample(session=s, actor=admin)
    with Session(world) as s:
        left = set(s.exec(select(ProgressUpdate.id)).all())
        assert left == set(real)
        assert len(s.exec(select(AuditEvent.id)).all()) == events + 1  # the removal is recorded
    with pytest.raises(DatabaseError, match="append-only"):  # and real history is still protected
        with world.begin() as conn:
            conn.execute(text("DELETE FROM progressupdate WHERE id = :i"), {"i": real[0]})
