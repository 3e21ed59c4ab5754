"""Many officials saving at once through update_progress, on SQLite (a WAL file) and on
PostgreSQL: no update is lost, no error but a stale-version refusal reaches a user, and every
refusal names who changed the item. (The full size, 20 writers x 100 updates, is the
benchmark bench/bench_concurrency.py; this is the same run at a smaller size.)"""
from __future__ import annotations


import pytest

from core.db import new_session
from services.seeding.facts import ensure_system_user, seed_facts
from services.seeding.sample import seed_sample
from bench.bench_concurrency import run_writers
from tests.conftest import TODAY


@pytest.mark.store
def test_concurrent_progress_updates_lose_nothing(store_engine):
    with new_session(store_engine) as s:
        system = ensure_system_user(session=s)
        seed_facts(session=s, actor=system)
        seed_sample(session=s, actor=system, today=TODAY)
        s.commit()
    result = run_writers(store_engine, writers=6, updates=12)
    assert result["errors"] == []
    assert result["saved"] == 6 * 12 == result["written"]
    assert all(who == "Writer.Admin" for who in result["refusals"]), set(result["refusals"])
