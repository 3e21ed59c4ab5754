"""Synthetic data: exact counts, and the invariants the update service keeps, at a tiny scale.
Then the benchmark runner end to end on that scale."""
from __future__ import annotations

import json
import random
from datetime import date

import pytest
from sqlmodel import Session, func, select

from bench import runner
from models import ActionItem, Agreement, CommitmentArea, Organisation, ProgressUpdate
from services.errors import ValidationFailed
from services.seeding.synthetic import (
    EARLIEST_START, SCALES, SYNTHETIC_PREFIX, allocate_updates, generate_synthetic,
)
from tests.conftest import TODAY

TINY = (4, 40, 500)  # agreements, items, updates


@pytest.fixture
def loaded(store_engine, monkeypatch):
    monkeypatch.setitem(SCALES, "T", TINY)
    counts = generate_synthetic(engine=store_engine, scale="T", today=TODAY, seed=7)
    with Session(store_engine) as session:
        yield session, counts


def _count(session, model, *where):
    return session.exec(select(func.count()).select_from(model).where(*where)).one()


def _histories(session) -> dict[int, list[ProgressUpdate]]:
    by_item: dict[int, list[ProgressUpdate]] = {}
    for u in session.exec(select(ProgressUpdate).order_by(ProgressUpdate.item_id, ProgressUpdate.ts)):
        by_item.setdefault(u.item_id, []).append(u)
    return by_item


@pytest.mark.store
def test_counts_match(loaded):
    session, counts = loaded
    synthetic = Agreement.code.startswith("SYN-")
    assert counts["agreements"] == _count(session, Agreement, synthetic) == 4
    assert counts["items"] == _count(session, ActionItem) == 40
    assert counts["updates"] == _count(session, ProgressUpdate) == 500
    assert _count(session, ActionItem, ~ActionItem.is_sample) == 0
    assert _count(session, ProgressUpdate, ~ProgressUpdate.is_sample) == 0
    assert _count(session, Agreement, synthetic, Agreement.is_sample) == 4
    titles = session.exec(select(ActionItem.title)).all()
    assert all(t.startswith(SYNTHETIC_PREFIX) for t in titles)


@pytest.mark.store
def test_spread_over_areas_orgs_and_dates(loaded):
    session, _ = loaded
    per_agreement = session.exec(
        select(func.count(CommitmentArea.id)).join(Agreement, Agreement.id == CommitmentArea.agreement_id)
        .where(Agreement.code.startswith("SYN-")).group_by(Agreement.id)
    ).all()
    assert all(2 <= n <= 6 for n in per_agreement)
    orgs = set(session.exec(select(Organisation.id)).all())
    items = session.exec(select(ActionItem)).all()
    assert {i.lead_org_id for i in items} <= orgs
    assert len({i.area_id for i in items}) == sum(per_agreement)  # every area has an item
    assert all(EARLIEST_START <= i.start_date <= TODAY and i.start_date < i.due_date for i in items)
    assert len({i.status for i in items}) >= 3 and len({i.category for i in items}) >= 3


@pytest.mark.store
def test_item_state_is_its_last_update(loaded):
    session, _ = loaded
    histories = _histories(session)
    for item in session.exec(select(ActionItem)).all():
        history = histories.get(item.id, [])
        if not history:
            assert (item.status, item.progress, item.last_update_at) == ("not_started", 0, None)
            continue
        last = history[-1]
        assert (item.status, item.progress) == (last.status_after, last.progress_after)
        assert item.last_update_at == last.ts
        assert history[0].ts.date() >= item.start_date
        assert history[-1].ts.date() <= TODAY


@pytest.mark.store
def test_progress_is_100_exactly_when_completed(loaded):
    session, _ = loaded
    for item in session.exec(select(ActionItem)).all():
        assert (item.progress == 100) == (item.status == "completed")
    for u in session.exec(select(ProgressUpdate)).all():
        assert (u.progress_after == 100) == (u.status_after == "completed")


@pytest.mark.store
def test_updates_chain_before_and_after(loaded):
    session, _ = loaded
    for history in _histories(session).values():
        assert (history[0].status_before, history[0].progress_before) == ("not_started", 0)
        for prev, nxt in zip(history, history[1:]):
            assert (nxt.status_before, nxt.progress_before) == (prev.status_after, prev.progress_after)


@pytest.mark.store
def test_second_load_is_refused_and_ids_continue(loaded, store_engine):
    session, _ = loaded
    with pytest.raises(ValidationFailed, match="already loaded"):
        generate_synthetic(engine=store_engine, scale="T", today=TODAY)
    item = ActionItem(area_id=session.exec(select(CommitmentArea.id)).first(), title="Real item")
    session.add(item)
    session.commit()  # on PostgreSQL the sequence must have moved past the explicit ids
    assert item.id == 41


@pytest.mark.parametrize("caps,total", [
    ([5, 0, 3, 10], 18), ([5, 0, 3, 10], 3), ([1, 1, 1], 3), ([400] * 50, 1000), ([2, 900], 500),
])
def test_allocate_updates_is_exact_and_within_capacity(caps, total):
    counts = allocate_updates(random.Random(3), caps, total)
    assert sum(counts) == total
    assert all((c >= 1) == (cap > 0) and c <= cap for c, cap in zip(counts, caps))


@pytest.mark.parametrize("caps,total", [([5, 0, 3], 1), ([5, 0, 3], 9)])
def test_allocate_updates_refuses_what_cannot_fit(caps, total):
    with pytest.raises(ValidationFailed):
        allocate_updates(random.Random(3), caps, total)


def test_today_before_the_signing_is_refused(store_engine):
    with pytest.raises(ValidationFailed, match="earliest start"):
        generate_synthetic(engine=store_engine, scale="S", today=date(2025, 1, 1), sizes=TINY)


@pytest.fixture
def tiny_bench(tmp_path, monkeypatch):
    """The runner at scale S shrunk to TINY, writing into tmp_path."""
    monkeypatch.setitem(SCALES, "S", TINY)
    monkeypatch.setattr(runner, "RESULTS_DIR", tmp_path)
    return tmp_path


def test_bench_load_writes_latest_json(tiny_bench):
    assert runner.main(scale="S", only=["load_S"], repeat=1, today=TODAY) == 0
    result = json.loads((tiny_bench / "latest.json").read_text())["load_S"]
    assert result["median_s"] > 0 and result["baseline_s"] > 0
    assert result["ratio"] == pytest.approx(result["median_s"] / result["baseline_s"])
    assert result["scale"] == "S"
    assert not any((tiny_bench / "tmp").iterdir())  # the run's databases are removed


def test_runner_shares_the_loaded_database_and_reports_failures(tiny_bench, monkeypatch):
    def count_items(ctx):
        with Session(ctx.engine) as s:
            times = ctx.timeit(lambda: s.exec(select(func.count()).select_from(ActionItem)).one())
            assert s.exec(select(func.count()).select_from(ActionItem)).one() == TINY[1]
        with Session(ctx.copy_engine()) as s:  # a private copy takes writes
            s.add(ActionItem(area_id=1, title="extra"))
            s.commit()
        return runner.BenchResult(median_s=runner.median(times), extra={"peak_mb": 1.0})

    def broken(ctx):
        raise RuntimeError("boom")

    monkeypatch.setattr(runner, "REGISTRY", {})
    runner.benchmark("count_{scale}", scales=("S",))(count_items)
    runner.benchmark("broken", scales=("S",))(broken)
    (tiny_bench / "latest.json").write_text(json.dumps({"broken": {"median_s": 1}}))
    monkeypatch.setattr(runner, "discover", lambda: [])
    assert runner.main(scale="S", repeat=2, today=TODAY) == 1
    data = json.loads((tiny_bench / "latest.json").read_text())
    assert "broken" not in data and data["count_S"]["peak_mb"] == 1.0
    assert runner.main(scale="S", only=["nope"], today=TODAY) == 2


@pytest.mark.store
def test_remove_sample_also_removes_synthetic_agreements(loaded):
    """Synthetic rows are sample data: one admin action takes all of them out, facts stay."""
    from models import User
    from services.seeding.sample import has_sample, remove_sample

    session, _ = loaded
    admin = User(username="boss", display_name="Boss", role="admin")
    session.add(admin)
    session.commit()
    remove_sample(session=session, actor=admin)
    assert not has_sample(session)
    assert _count(session, Agreement, Agreement.code.startswith("SYN-")) == 0
    assert _count(session, ProgressUpdate) == 0
    assert _count(session, Agreement) == 3 and _count(session, CommitmentArea) == 14
