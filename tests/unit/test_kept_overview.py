"""What the Overview keeps between saves follows every kind of write, on SQLite and PostgreSQL:
the items and their ratings (services/overview/kept_items.py) equal a fresh read after a
progress update, an edit, an archive and restore, a new item, a change of supporting
organisation, and when the day turns; the parts kept until the structure counter moves
(core/change_counters.py: area labels, the agreements table) follow every write to
agreements, areas, organisations and counterparts, from the services or from raw SQL, and a
progress update leaves the counter alone."""
from datetime import date, timedelta

import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from core import change_counters
from models import ActionItem, Agreement, CommitmentArea
from services.agreements.options import load_options
from services.agreements.registry import list_agreements
from services.agreements.setup import create_item, edit_item, set_archived
from services.items.progress import update_progress
from services.overview import filtered, kept_items
from services.items.states import rollup_by_agreement
from services import rules
from services.overview.figures import (
    GANTT_MAX, TABLE_MAX, agreement_rollups, area_progress, compute_kpis, item_lines, kpis_as_of, overview_data,
    relevance, status_rows,
)
from services.overview.filtered import Filters
from services.store.kept import structure_version
from tests.unit.scenario import TODAY, build_scenario
from tests.unit.test_overview_trends import FILTERS

pytestmark = pytest.mark.store


@pytest.fixture
def world(store_engine):
    with Session(store_engine, expire_on_commit=False) as session:
        yield session, build_scenario(session)


def same_as_a_fresh_read(session: Session, filters: Filters, today=TODAY) -> None:
    kept = kept_items.kept_items(session=session, filters=filters, today=today)
    fresh = sorted(filtered.current_states(session=session, filters=filters), key=lambda s: s.id)
    assert kept.facts.now == fresh
    assert kept.rated == {s.id: kept_items.rate(s, today) for s in fresh}
    data = overview_data(session=session, filters=filters, today=today)
    assert data.kpis == compute_kpis(session=session, today=today, filters=filters)
    assert data.before == kpis_as_of(session=session, when=today - timedelta(days=30), filters=filters)
    assert sorted(data.status_rows) == sorted(filtered.status_by_agreement(session=session, filters=filters))
    assert data.areas == area_progress(fresh, filtered.area_labels(session=session), today=today)
    ranked = sorted(fresh, key=lambda s: relevance(s, today))
    overdue = [s for s in ranked if rules.is_overdue(status=s.status, due=s.due, today=today)]
    stale = sorted((s for s in fresh if rules.is_open(s.status) and rules.is_stale(s.last_update, today)),
                   key=lambda s: (s.last_update or date.min, s.id))
    assert data.gantt == item_lines(session=session, states=ranked[:GANTT_MAX], today=today)
    assert data.overdue == item_lines(session=session, states=overdue[:TABLE_MAX], today=today)
    assert data.stale == item_lines(session=session, states=stale[:TABLE_MAX], today=today)
    assert (data.overdue_total, data.stale_total) == (len(overdue), len(stale))
    sql = rollup_by_agreement(session)
    kept_rollups = agreement_rollups(session=session, today=today)
    assert {k: v.items for k, v in kept_rollups.items()} == {k: v.items for k, v in sql.items() if v.items}
    assert {k: v.progress for k, v in kept_rollups.items()} == pytest.approx(
        {k: v.progress for k, v in sql.items() if v.items})


def _item(session: Session, item_id: int) -> ActionItem:
    session.expire_all()
    return session.get(ActionItem, item_id)


@pytest.mark.parametrize("share", [1.0, kept_items.REREAD_SHARE])
@pytest.mark.parametrize("filters", FILTERS)
def test_the_kept_items_follow_every_kind_of_write(world, monkeypatch, filters, share):
    """With a re-read share of 1.0 every write is taken in item by item (the scenario's three
    items are too few for the default share, which reads them all again)."""
    session, w = world
    monkeypatch.setattr(kept_items, "REREAD_SHARE", share)
    sec = w.users["secretariat"]
    same_as_a_fresh_read(session, filters)  # kept from here on
    update_progress(session=session, actor=sec, item_id=w.a, expected_version=_item(session, w.a).version,
                    status="in_progress", progress=85, note="Kept?", now=None)
    same_as_a_fresh_read(session, filters)
    edit_item(session=session, actor=sec, item_id=w.b, expected_version=_item(session, w.b).version,
              data={"weight": 3.0, "due_date": TODAY - timedelta(days=3)})
    same_as_a_fresh_read(session, filters)
    area_c = _item(session, w.c).area_id
    set_archived(session=session, actor=sec, kind="area", object_id=area_c, archived=True)
    same_as_a_fresh_read(session, filters)
    set_archived(session=session, actor=sec, kind="area", object_id=area_c, archived=False)
    same_as_a_fresh_read(session, filters)
    new = create_item(session=session, actor=sec, data={
        "area_id": _item(session, w.b).area_id, "title": "A new item", "category": "technical_exchange",
        "lead_org_id": _item(session, w.a).lead_org_id, "start_date": TODAY - timedelta(days=10),
        "due_date": TODAY + timedelta(days=50)})
    same_as_a_fresh_read(session, filters)
    set_archived(session=session, actor=sec, kind="item", object_id=w.a, archived=True)
    same_as_a_fresh_read(session, filters)
    set_archived(session=session, actor=sec, kind="item", object_id=w.a, archived=False)  # back in the middle
    same_as_a_fresh_read(session, filters)
    # Supporting organisations are not on the item's row: the version does not move, the
    # Organisation filter's membership does.
    edit_item(session=session, actor=sec, item_id=new.id, expected_version=_item(session, new.id).version,
              data={"supporting_org_ids": [_item(session, w.a).lead_org_id]})
    same_as_a_fresh_read(session, filters)


@pytest.mark.parametrize("filters", [*FILTERS, Filters(agreements=("MY-CN-DE-2025", "MY-CN-AI-2025"), orgs=("KD",))])
def test_the_scan_finds_the_items_the_joined_read_finds(world, filters):
    """The (id, version) scan reads the item table alone (archived areas and agreements, and
    the agreements chosen, as subqueries): the same items as the joined read, as areas and
    agreements are archived and restored."""
    session, w = world
    sec = w.users["secretariat"]

    def same() -> None:
        ids, versions = kept_items._scan(session, filters)
        fresh = sorted(filtered.current_states(session=session, filters=filters), key=lambda s: s.id)
        assert ids.tolist() == [s.id for s in fresh]
        assert versions.tolist() == [_item(session, s.id).version for s in fresh]

    same()
    area_c = _item(session, w.c).area_id
    agreement_b = session.get(CommitmentArea, _item(session, w.b).area_id).agreement_id
    for kind, object_id in (("area", area_c), ("agreement", agreement_b)):
        set_archived(session=session, actor=sec, kind=kind, object_id=object_id, archived=True)
        same()
    for kind, object_id in (("area", area_c), ("agreement", agreement_b)):
        set_archived(session=session, actor=sec, kind=kind, object_id=object_id, archived=False)
        same()


def test_the_ratings_are_worked_out_again_when_the_day_turns(world):
    session, _ = world
    same_as_a_fresh_read(session, Filters())
    for days in (1, 40, 400):
        same_as_a_fresh_read(session, Filters(), today=TODAY + timedelta(days=days))


@pytest.mark.parametrize("share, reads", [(1.0, "the item"), (0.2, "all")])
def test_a_save_reads_only_the_item_it_changed(world, monkeypatch, share, reads):
    """One item of the scenario's three is a third of them: past a re-read share of 0.2,
    under one of 1.0."""
    session, w = world
    monkeypatch.setattr(kept_items, "REREAD_SHARE", share)
    kept_items.kept_items(session=session, filters=Filters(), today=TODAY)
    asked = []
    read = kept_items._read
    monkeypatch.setattr(kept_items, "_read", lambda s, f, ids=None: asked.append(ids) or read(s, f, ids))
    update_progress(session=session, actor=w.users["secretariat"], item_id=w.b,
                    expected_version=_item(session, w.b).version, status="in_progress", progress=40, note="One.",
                    now=None)
    kept = kept_items.kept_items(session=session, filters=Filters(), today=TODAY)
    assert asked == ([[w.b]] if reads == "the item" else [None])
    assert {s.id: s.progress for s in kept.facts.now}[w.b] == 40


def test_an_answer_stays_as_read_after_the_next_save(world, monkeypatch):
    """The kept dicts and arrays are handed out without a copy and copied before the next
    change (copy on write): an answer a page still reads never changes under it."""
    session, w = world
    monkeypatch.setattr(kept_items, "REREAD_SHARE", 1.0)
    first = kept_items.kept_items(session=session, filters=Filters(), today=TODAY)
    before = (list(first.facts.now), dict(first.facts.created), dict(first.facts.lead), dict(first.rated),
              first.arrays.progress.copy(), first.arrays.rag.copy())
    again = kept_items.kept_items(session=session, filters=Filters(), today=TODAY, rescan=False)
    assert again.arrays is first.arrays and again.rated is first.rated  # nothing changed: nothing copied
    update_progress(session=session, actor=w.users["secretariat"], item_id=w.b,
                    expected_version=_item(session, w.b).version, status="in_progress", progress=40, note="One.",
                    now=None)
    after = kept_items.kept_items(session=session, filters=Filters(), today=TODAY)
    assert {s.id: s.progress for s in after.facts.now}[w.b] == 40
    assert after.arrays.progress[after.arrays.row[w.b]] == 40
    lead_a = _item(session, w.a).lead_org_id
    assert first.facts.lead[w.b] != lead_a
    edit_item(session=session, actor=w.users["secretariat"], item_id=w.b, expected_version=_item(session, w.b).version,
              data={"lead_org_id": lead_a})
    moved = kept_items.kept_items(session=session, filters=Filters(), today=TODAY)
    assert moved.facts.lead[w.b] == lead_a and moved.arrays.lead[moved.arrays.row[w.b]] == lead_a
    assert (list(first.facts.now), dict(first.facts.created), dict(first.facts.lead), dict(first.rated)) == before[:4]
    assert (first.arrays.progress == before[4]).all() and (first.arrays.rag == before[5]).all()


def test_a_save_builds_only_its_areas_figures_again(world):
    """The areas' figures of the previous answer are reused where their sums did not move:
    the saved item's area gets a new AreaProgress (equal to a fresh read), the other keeps its own."""
    session, w = world
    first = overview_data(session=session, filters=Filters(), today=TODAY).areas
    update_progress(session=session, actor=w.users["secretariat"], item_id=w.b,
                    expected_version=_item(session, w.b).version, status="in_progress", progress=40, note="One.",
                    now=None)
    fresh = sorted(filtered.current_states(session=session, filters=Filters()), key=lambda s: s.id)
    after = overview_data(session=session, filters=Filters(), today=TODAY).areas
    assert after == area_progress(fresh, filtered.area_labels(session=session), today=TODAY)
    moved = {k for k, (x, y) in enumerate(zip(first, after)) if x != y}
    assert len(moved) == 1 and len(after) == 2
    assert all(after[k] is first[k] for k in range(len(after)) if k not in moved)


def test_status_rows_count_what_the_sql_groups(world):
    session, _ = world
    states = filtered.current_states(session=session, filters=Filters())
    assert status_rows(states, filtered.area_labels(session=session)) == sorted(
        filtered.status_by_agreement(session=session, filters=Filters()))


def test_the_counting_triggers_are_there_at_head(world):
    session, _ = world
    with session.get_bind().connect() as conn:
        names = change_counters.installed(conn)
    if session.get_bind().dialect.name == "postgresql":
        assert names == {f"{t}_counts" for t in change_counters.STRUCTURE_TABLES}
    else:
        assert names == {f"{t}_counts_{op}" for t in change_counters.STRUCTURE_TABLES
                         for op in ("insert", "update", "delete")}


STRUCTURE_SQL = [
    "UPDATE commitmentarea SET title_en = 'Renamed area' WHERE id = (SELECT MIN(id) FROM commitmentarea)",
    "UPDATE agreement SET title_en = 'Renamed agreement' WHERE id = (SELECT MIN(id) FROM agreement)",
    "UPDATE organisation SET name_en = 'Renamed organisation' WHERE id = (SELECT MIN(id) FROM organisation)",
    "DELETE FROM agreementcounterpart WHERE agreement_id = (SELECT MIN(agreement_id) FROM agreementcounterpart)",
]


@pytest.mark.parametrize("sql", STRUCTURE_SQL)
def test_any_writer_of_the_structure_moves_the_counter(world, sql):
    session, _ = world
    before = structure_version(session=session)
    session.exec(text(sql))
    session.commit()
    assert structure_version(session=session) == before + 1


def test_a_progress_update_leaves_the_counter_and_the_kept_labels(world):
    session, w = world
    before = structure_version(session=session)
    labels = filtered.area_labels(session=session)
    update_progress(session=session, actor=w.users["secretariat"], item_id=w.a,
                    expected_version=_item(session, w.a).version, status="in_progress", progress=70, note="x",
                    now=None)
    assert structure_version(session=session) == before
    assert filtered.area_labels(session=session) is labels  # kept, not read again


def test_the_kept_labels_and_agreement_rows_follow_a_rename(world):
    session, w = world
    area = session.exec(select(CommitmentArea).order_by(CommitmentArea.id)).first()
    agreement = session.get(Agreement, area.agreement_id)
    assert filtered.area_labels(session=session)[area.id][1] == area.title_en
    rows = {r.code: r for r in list_agreements(session=session, today=TODAY)}
    session.exec(text("UPDATE commitmentarea SET title_en = 'Renamed area' WHERE id = :i").bindparams(i=area.id))
    session.exec(text("UPDATE agreement SET title_en = 'Renamed agreement' WHERE id = :i").bindparams(i=agreement.id))
    session.commit()
    session.expire_all()  # the ORM does not see raw SQL: the page's next session would read afresh
    assert filtered.area_labels(session=session)[area.id][1] == "Renamed area"
    renamed = {r.code: r for r in list_agreements(session=session, today=TODAY)}
    assert renamed[agreement.code].title == "Renamed agreement"
    assert renamed[agreement.code].items == rows[agreement.code].items


def test_the_agreement_rows_follow_a_progress_update_without_the_counter(world):
    session, w = world
    code = session.exec(select(Agreement.code).join(CommitmentArea).where(
        CommitmentArea.id == _item(session, w.b).area_id)).one()
    first = {r.code: r for r in list_agreements(session=session, today=TODAY)}
    update_progress(session=session, actor=w.users["secretariat"], item_id=w.b,
                    expected_version=_item(session, w.b).version, status="in_progress", progress=90, note="x",
                    now=None)
    then = {r.code: r for r in list_agreements(session=session, today=TODAY)}
    assert then[code].progress > first[code].progress
    assert then[code].progress == rollup_by_agreement(session)[then[code].id].progress
    # The other agreements' rows are the previous answer's (shared, not built again).
    assert all(then[c] is first[c] for c in first if c != code)


def test_the_kept_filter_options_follow_the_structure(world):
    """load_options is kept until the counter moves: a renamed area and a new organisation show."""
    session, _ = world
    first = load_options(session=session)
    assert load_options(session=session) is first  # kept
    area = session.exec(select(CommitmentArea).order_by(CommitmentArea.id)).first()
    session.exec(text("UPDATE commitmentarea SET title_en = 'Renamed area' WHERE id = :i").bindparams(i=area.id))
    session.exec(text("INSERT INTO organisation (acronym, name_en, country, kind) "
                      "VALUES ('NEWORG', 'A new organisation', 'Malaysia', 'ministry')"))
    session.commit()
    session.expire_all()
    again = load_options(session=session)
    assert again.areas[area.id].endswith("Renamed area")
    assert "NEWORG" in again.orgs.values()
