"""The Overview's SQL aggregations, filters and as-of-date history, on SQLite and PostgreSQL."""
from datetime import date

import pytest
from sqlmodel import Session

from services.overview import filtered
from services.meetings.changes import what_changed
from services.overview.filtered import Filters
from services.items.progress import update_progress
from services.overview.figures import compute_kpis, kpis_as_of, overview_data
from tests.unit.scenario import TODAY, at, build_scenario

pytestmark = pytest.mark.store


@pytest.fixture
def world(store_engine):
    with Session(store_engine, expire_on_commit=False) as session:
        yield session, build_scenario(session)


def progress_of(states):
    return {s.id: (s.status, s.progress) for s in states}


def test_state_as_of_a_date_is_the_last_update_on_or_before_it(world):
    session, w = world
    now = progress_of(filtered.current_states(session=session, filters=Filters()))
    assert now == {w.a: ("in_progress", 60), w.b: ("in_progress", 10), w.c: ("not_started", 0)}
    may = progress_of(filtered.states_as_of(session=session, filters=Filters(), when=date(2026, 5, 1)))
    assert may == {w.a: ("in_progress", 20), w.b: ("in_progress", 10)}  # C did not exist yet
    on_the_day = progress_of(filtered.states_as_of(session=session, filters=Filters(), when=date(2026, 2, 10)))
    assert on_the_day == {w.a: ("in_progress", 20), w.b: ("not_started", 0)}


def test_kpis_now_and_as_of(world):
    session, _ = world
    now = compute_kpis(session=session, today=TODAY)
    assert (now.items, now.overdue, round(now.percent_complete, 1), now.agreements_in_force) == (3, 1, 23.3, 3)
    then = kpis_as_of(session=session, when=date(2026, 5, 1))
    assert (then.items, then.overdue, then.percent_complete) == (2, 0, 15.0)


def test_monthly_progress_accumulates_the_history_and_ends_at_today(world):
    session, _ = world
    months = filtered.monthly_progress(session=session, filters=Filters())
    assert [(m, round(v, 1)) for m, v in months] == [
        ("2026-01", 0.0), ("2026-02", 10.0), ("2026-03", 15.0), ("2026-10", 35.0), ("2026-11", 23.3)]
    assert months[-1][1] == pytest.approx(compute_kpis(session=session, today=TODAY).percent_complete)
    ranged = filtered.monthly_progress(session=session, filters=Filters(date_from=date(2026, 3, 1), date_to=date(2026, 10, 31)))
    assert [m for m, _ in ranged] == ["2026-03", "2026-10"]


def test_update_activity_counts_by_lead_organisation_and_month(world):
    session, _ = world
    rows = sorted(filtered.update_activity(session=session, filters=Filters(), today=TODAY))
    assert rows == [("KD", "2026-02", 1), ("KD", "2026-10", 1), ("MDEC", "2026-03", 1)]


def test_status_by_agreement_groups_in_sql(world):
    session, _ = world
    rows = sorted(filtered.status_by_agreement(session=session, filters=Filters()))
    assert rows == [("MY-CN-AI-2025", "in_progress", 1), ("MY-CN-DE-2025", "in_progress", 1),
                    ("MY-CN-DE-2025", "not_started", 1)]


@pytest.mark.parametrize("filters,expected", [
    (Filters(), {"a", "b", "c"}),
    (Filters(agreements=("MY-CN-AI-2025",)), {"b"}),
    (Filters(orgs=("KD",)), {"a", "b", "c"}),  # B is supported by KD
    (Filters(orgs=("MDEC",)), {"b"}),
    (Filters(categories=("technical_exchange",)), {"b"}),
    (Filters(date_to=date(2026, 11, 15)), {"a", "b"}),  # C starts in December
    (Filters(date_from=date(2026, 7, 1)), {"a", "c"}),  # B was due in June
])
def test_filters(world, filters, expected):
    session, w = world
    ids = {s.id for s in filtered.current_states(session=session, filters=filters)}
    assert ids == {getattr(w, name) for name in expected}


def test_data_version_moves_with_every_write(world):
    session, w = world
    before = filtered.data_version(session=session)
    item = session.get(__import__("models").ActionItem, w.c)
    update_progress(session=session, actor=w.users["secretariat"], item_id=w.c, expected_version=item.version,
                    status="in_progress", progress=5, note="Started early", now=at(2026, 11, 20))
    assert filtered.data_version(session=session) != before


def test_overview_data_puts_overdue_first_and_counts_stale(world):
    session, w = world
    data = overview_data(session=session, filters=Filters(), today=TODAY)
    assert [i.id for i in data.gantt][0] == w.b
    assert [i.id for i in data.overdue] == [w.b] and data.overdue_total == 1
    assert {i.id for i in data.stale} == {w.a, w.b} and data.stale_total == 2  # C is 25 days old
    assert sum(n for _, _, n in data.status_rows) == data.total_items == 3
    assert data.before.items == 2 and data.kpis.items == 3  # C was created after 27 October


def test_changes_since_a_meeting(world):
    session, w = world
    ch = what_changed(session=session, since=date(2026, 2, 15), today=TODAY)
    assert ch.ids()["turned_red"] == [w.a]  # Green in February, behind schedule now
    assert set(ch.ids()["improved"]) == {w.a, w.b}
    assert ch.ids()["completed"] == [] and ch.ids()["new"] == [w.c]  # C was created in November
    late = what_changed(session=session, since=date(2026, 10, 15), today=TODAY)
    assert set(late.ids()["no_update"]) == {w.a, w.b}
    assert {x.item.id: x.before.progress for x in late.groups["no_update"]}[w.a] == 60


def test_data_version_ignores_sign_ins_but_not_structure_edits(world):
    """A sign-in must not empty the Overview's cache; an edit without a progress update must."""
    from services.audit.trail import record_event

    session, w = world
    before = filtered.data_version(session=session)
    record_event(session=session, actor=w.users["secretariat"], action="sign_in", object_type="user")
    record_event(session=session, actor=w.users["secretariat"], action="failed_sign_in")
    session.commit()
    assert filtered.data_version(session=session) == before
    record_event(session=session, actor=w.users["secretariat"], action="edit_item", object_type="item",
                 object_id=w.c)
    session.commit()
    assert filtered.data_version(session=session) != before
