"""The Overview's history figures from the kept history (services/overview/trends.py) equal
their SQL-only references (services/overview/filtered.py), before and after writes, with a
backdated update, on SQLite and PostgreSQL; the capped charts still count every item."""
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlmodel import Session, select

from models import ActionItem, Agreement, ProgressUpdate
from services.items.progress import update_progress
from services.lifecycle.facts import agreement_clocks, agreement_facts
from services.overview import charts, filtered, history, trends
from services import rules
from services.overview.figures import AreaProgress, area_progress, kpis_as_of, kpis_before
from services.overview.filtered import Filters
from services.items.states import area_agreement_map, item_states, rollup, rollup_by_agreement
from services.seeding.synthetic import generate_synthetic
from tests.unit.scenario import TODAY, build_scenario

FILTERS = [
    Filters(),
    Filters(agreements=("MY-CN-DE-2025",)),
    Filters(orgs=("KD",)),
    Filters(categories=("technical_exchange",)),
    Filters(date_from=date(2026, 3, 1), date_to=date(2026, 10, 31)),
]


def same_as_reference(session: Session, today: date, filters: Filters) -> None:
    facts = trends.item_facts(session=session, filters=filters)
    assert sorted(facts.now, key=lambda s: s.id) == sorted(
        filtered.current_states(session=session, filters=filters), key=lambda s: s.id)
    fast = trends.monthly_progress(session=session, facts=facts, filters=filters, today=today)
    ref = filtered.monthly_progress(session=session, filters=filters)
    assert [m for m, _ in fast] == [m for m, _ in ref]
    assert [v for _, v in fast] == pytest.approx([v for _, v in ref])
    assert sorted(trends.update_activity(session=session, facts=facts, filters=filters, today=today)) == sorted(
        filtered.update_activity(session=session, filters=filters, today=today))
    for days in (0, 30, 200):
        when = today - timedelta(days=days)
        assert sorted(trends.states_as_of(session=session, facts=facts, when=when), key=lambda s: s.id) == sorted(
            filtered.states_as_of(session=session, filters=filters, when=when), key=lambda s: s.id)


@pytest.fixture
def world(store_engine):
    with Session(store_engine, expire_on_commit=False) as session:
        yield session, build_scenario(session)


@pytest.mark.store
@pytest.mark.parametrize("filters", FILTERS)
def test_trends_equal_the_sql_references(world, filters):
    session, _ = world
    same_as_reference(session, TODAY, filters)


@pytest.mark.store
def test_a_save_is_added_to_the_kept_months_without_reading_them_again(world):
    session, w = world
    same_as_reference(session, TODAY, Filters())
    kept, since = history.update_months(session=session)
    assert since == []
    sec = w.users["secretariat"]
    item = session.get(ActionItem, w.b)
    update_progress(session=session, actor=sec, item_id=w.b, expected_version=item.version,
                    status="in_progress", progress=45, note="Recovery plan agreed.",
                    now=datetime(2026, 11, 20, 9, tzinfo=timezone.utc))
    again, since = history.update_months(session=session)
    assert again is kept and [(i, m, d) for i, m, d, _n in since] == [(w.b, "2026-11", 35.0)]
    same_as_reference(session, TODAY, Filters())


@pytest.mark.store
def test_a_backdated_update_replaces_the_kept_state_as_of(world):
    session, w = world
    when = date(2026, 5, 1)
    before = history.states_as_of(session=session, when=when)
    assert history.states_as_of(session=session, when=when) is before  # kept while nothing moves
    # An update timestamped in the past (as an import or a seed could write it).
    session.add(ProgressUpdate(item_id=w.b, ts=datetime(2026, 4, 1, 9, tzinfo=timezone.utc), author_id=w.users["secretariat"].id,
                               status_before="in_progress", status_after="in_progress", progress_before=10,
                               progress_after=30, source="import"))
    session.commit()
    after = history.states_as_of(session=session, when=when)
    assert after is not before and after.progress[w.b] == 30
    same_as_reference(session, TODAY, Filters())


@pytest.mark.store
def test_synthetic_portfolio_trends_equal_the_references(store_engine):
    today = date(2026, 11, 26)
    generate_synthetic(engine=store_engine, scale="S", today=today, sizes=(6, 120, 1_500))
    with Session(store_engine, expire_on_commit=False) as session:
        code = session.exec(select(Agreement.code).where(Agreement.code.startswith("SYN-"))).first()
        for filters in (Filters(), Filters(agreements=(code,)), Filters(orgs=("KD", "MDEC"))):
            same_as_reference(session, today, filters)


def test_clock_facts_are_agreement_facts_clock(store_engine):
    with Session(store_engine, expire_on_commit=False) as session:
        build_scenario(session)
        rows = session.exec(select(Agreement)).all()
        full = agreement_facts(session=session, agreements=rows, today=TODAY, dormant_days=90)
        for agreement_id, clock in agreement_clocks(agreements=rows, today=TODAY).items():
            f = full[agreement_id]
            assert (clock.status, clock.expiry, clock.notice_deadline, clock.days_to_expiry, clock.days_to_notice) == (
                f.status, f.expiry, f.notice_deadline, f.days_to_expiry, f.days_to_notice)


def test_status_chart_draws_the_largest_agreements_and_says_what_it_left_out():
    rows = [(f"AG-{k:02d}", "in_progress", k + 1) for k in range(35)] + [("AG-00", "completed", 100)]
    fig = charts.status_by_agreement(rows)
    names = list({t.name: t for t in fig.data}["In progress"].x)
    assert len(names) == charts.AGREEMENTS_MAX
    assert "AG-00" in names and names == sorted(names)  # the largest, in code order
    assert not {"AG-01", "AG-02", "AG-03", "AG-04", "AG-05"} & set(names)
    drawn = sum(sum(t.y) for t in fig.data)
    assert drawn == sum(n for _a, _s, n in rows) - (2 + 3 + 4 + 5 + 6)
    assert fig.layout.title.subtitle.text == (
        "The 30 agreements with the most items; 5 others with 20 items are not drawn")
    assert not charts.status_by_agreement(rows[:10]).layout.title.subtitle.text


def test_area_chart_draws_those_furthest_behind_schedule():
    areas = [AreaProgress("AG", f"Area {k}", progress=50.0, expected=50.0 + k, items=1) for k in range(50)]
    fig = charts.area_progress(areas)
    drawn = list(fig.data[0].y)
    assert len(drawn) == charts.AREAS_MAX
    assert drawn[0] == "AG · Area 10" and drawn[-1] == "AG · Area 49"  # the 40 most behind, in order
    assert fig.layout.title.subtitle.text == "Showing 40 of 50 areas: furthest behind schedule first"
    few = charts.area_progress(areas[:5])
    assert len(few.data[0].y) == 5 and not few.layout.title.subtitle.text


@pytest.mark.store
def test_kpis_before_equal_kpis_as_of_and_are_kept_across_a_save(world):
    session, w = world
    when = date(2026, 10, 27)
    facts = trends.item_facts(session=session, filters=Filters())
    in_force = filtered.agreements_in_force(session=session, filters=Filters(), when=when)
    first = kpis_before(session=session, facts=facts, when=when, in_force=in_force)
    assert first == kpis_as_of(session=session, when=when)
    item = session.get(ActionItem, w.a)
    update_progress(session=session, actor=w.users["secretariat"], item_id=w.a, expected_version=item.version,
                    status="in_progress", progress=70, note="Draft text agreed.",
                    now=datetime(2026, 11, 25, 9, tzinfo=timezone.utc))
    facts = trends.item_facts(session=session, filters=Filters())
    assert kpis_before(session=session, facts=facts, when=when, in_force=in_force) is first  # the save moved nothing
    session.get(ActionItem, w.a).weight = 3.0  # an edit the history joins to: figured again
    session.commit()
    facts = trends.item_facts(session=session, filters=Filters())
    again = kpis_before(session=session, facts=facts, when=when, in_force=in_force)
    assert again is not first and again == kpis_as_of(session=session, when=when)


@pytest.mark.store
def test_agreement_rollups_in_sql_equal_the_rule_in_python(store_engine):
    generate_synthetic(engine=store_engine, scale="S", today=TODAY, sizes=(6, 120, 600))
    with Session(store_engine, expire_on_commit=False) as session:
        session.get(ActionItem, 3).status = "cancelled"
        session.get(ActionItem, 5).weight = 0.0
        session.get(ActionItem, 7).weight = 2.5
        session.commit()
        per: dict[int, list] = {}
        area_to = area_agreement_map(session)
        for s in item_states(session):
            per.setdefault(area_to[s.area_id], []).append(s)
        sums = rollup_by_agreement(session)
        assert set(sums) == set(per)
        for agreement_id, states in per.items():
            assert sums[agreement_id].items == len(states)
            assert sums[agreement_id].progress == pytest.approx(rollup(states))


@pytest.mark.store
def test_area_progress_sums_equal_the_rule_per_area(store_engine):
    generate_synthetic(engine=store_engine, scale="S", today=TODAY, sizes=(6, 120, 600))
    with Session(store_engine, expire_on_commit=False) as session:
        session.get(ActionItem, 3).status = "cancelled"
        session.get(ActionItem, 5).weight = 0.0
        session.commit()
        states = filtered.current_states(session=session, filters=Filters())
        areas = area_progress(states, filtered.area_labels(session=session), today=TODAY)
        by_label = {(a.agreement, a.area): a for a in areas}
        labels_of = filtered.area_labels(session=session)
        for area_id in {s.area_id for s in states}:
            group = [s for s in states if s.area_id == area_id]
            counted = [(s.weight, rules.expected_progress(s.start, s.due, TODAY)) for s in group
                       if s.status != "cancelled" and s.weight > 0]
            dated = [(w, e) for w, e in counted if e is not None]
            got = by_label[labels_of[area_id][:2]]
            assert (got.items, got.progress) == (len(group), rollup(group))
            assert got.expected == (sum(w * e for w, e in dated) / sum(w for w, _ in dated) if dated else None)
