"""Property: whatever sequence of single updates, bulk edits and stale saves users make, each
item's status and progress equal its last ProgressUpdate, history only grows, and no
ProgressUpdate row ever changes."""
from datetime import date, datetime, timedelta, timezone

from functools import lru_cache

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, SQLModel, select

from core.db import make_engine
from models import ActionItem, ProgressUpdate, Role, User
from services.items.bulk import BulkEdit, bulk_update
from services.errors import ServiceError, StaleVersion
from services.items.progress import update_progress
from services.seeding.facts import ensure_system_user, seed_facts
from tests.conftest import make_user
from tests.unit.item_factories import add_item

STATUSES = ["not_started", "in_progress", "completed", "on_hold", "cancelled"]
START = datetime(2026, 2, 1, 9, tzinfo=timezone.utc)
N_ITEMS = 3

# Mostly plausible input (so many operations save), with invalid and stale ones mixed in.
status = st.sampled_from(STATUSES + ["in_progress"] * 4)
progress = st.one_of(st.sampled_from([0, 20, 40, 60, 80, 100]), st.integers(-5, 105))
often = st.sampled_from([True, True, True, False])
rarely = st.sampled_from([False, False, False, True])
single = st.tuples(st.just("update"), st.integers(0, N_ITEMS - 1), status, progress, often, rarely)
row = st.tuples(st.integers(0, N_ITEMS - 1), st.one_of(st.none(), status), st.one_of(st.none(), progress),
                st.one_of(st.none(), st.sampled_from(["Siti", "Farid"])))
bulk = st.tuples(st.just("bulk"), st.lists(row, min_size=1, max_size=4), often, rarely)


def snapshot(session: Session) -> dict[int, tuple]:
    rows = session.exec(select(ProgressUpdate)).all()
    return {u.id: (u.item_id, u.ts, u.author_id, u.status_before, u.status_after, u.progress_before,
                   u.progress_after, u.changes, u.note, u.evidence_url, u.source) for u in rows}


def check_invariants(session: Session, ids: list[int], before: dict[int, tuple]) -> dict[int, tuple]:
    session.expire_all()
    after = snapshot(session)
    assert all(after.get(k) == v for k, v in before.items()), "a history row changed or vanished"
    for item_id in ids:
        item = session.get(ActionItem, item_id)
        last = session.exec(select(ProgressUpdate).where(ProgressUpdate.item_id == item_id)
                            .order_by(ProgressUpdate.ts.desc(), ProgressUpdate.id.desc())).first()
        expected = (last.status_after, last.progress_after) if last else ("not_started", 0)
        assert (item.status, item.progress) == expected
    return after


def version_for(item: ActionItem, stale: bool) -> int:
    return item.version - 1 if stale and item.version > 1 else item.version + (7 if stale else 0)


def apply(session: Session, actor: User, ids: list[int], op: tuple, now: datetime) -> bool:
    """Run one operation as a user would; True when something was saved."""
    try:
        if op[0] == "update":
            _, idx, status, progress, note, stale = op
            item = session.get(ActionItem, ids[idx])
            update_progress(session=session, actor=actor, item_id=item.id, expected_version=version_for(item, stale),
                            status=status, progress=progress, note="why" if note else None, now=now,
                            confirm_open_milestones=True)
            return True
        else:
            _, rows, note, stale = op
            edits = []
            for idx, status, progress, owner in rows:
                item = session.get(ActionItem, ids[idx])
                changes = {k: v for k, v in (("status", status), ("progress", progress), ("owner_name", owner)) if v is not None}
                edits.append(BulkEdit(item.id, version_for(item, stale), changes))
            return bool(bulk_update(session=session, actor=actor, edits=edits, note="batch" if note else "", now=now).saved)
    except (StaleVersion, ServiceError):
        session.rollback()
        return False


@lru_cache(maxsize=1)
def seeded_engine():
    """One seeded store for all examples: each example works on fresh items of its own, and
    rows from earlier examples only add to what "no row ever changes" is checked against."""
    engine = make_engine("sqlite://")
    SQLModel.metadata.create_all(engine)
    with Session(engine, expire_on_commit=False) as session:
        seed_facts(session=session, actor=ensure_system_user(session=session))
        make_user(session, "sec", Role.SECRETARIAT)
    return engine


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=st.lists(st.one_of(single, bulk), min_size=1, max_size=12))
def test_history_invariants_hold_after_every_operation(ops):
    with Session(seeded_engine(), expire_on_commit=False) as session:
        actor = session.exec(select(User).where(User.username == "sec")).one()
        ids = [add_item(session, title=f"Item {n}", start_date=date(2026, 1, 1),
                        due_date=date(2027, 1, 1)).id for n in range(N_ITEMS)]
        seen = check_invariants(session, ids, {})
        saved = 0
        for n, op in enumerate(ops):
            saved += apply(session, actor, ids, op, START + timedelta(minutes=n))
            seen = check_invariants(session, ids, seen)
        event(f"operations saved: {min(saved, 3)}{'+' if saved >= 3 else ''}")
