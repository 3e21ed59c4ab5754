"""The action items page and the progress update, against their naive baselines.

items_page: the items page's server-side script run (AppTest: app.py frame plus
views/items.py, "All items" and "My items" for a secretariat user), against loading every
item and update into pandas, which a naive page would do on every rerun.

update_commit: one progress update through services.items.update_progress (version check,
item change, history row, audit event, commit), against a bare SQLModel insert + commit."""
from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd
import streamlit as st
from sqlmodel import select

from bench.runner import BenchResult, Context, benchmark, median
from core.db import new_session
from core.settings import get_settings
from models import ActionItem, AppSetting, Organisation, ProgressUpdate, Role, User
from services.items.progress import update_progress

APP = Path(__file__).resolve().parents[1] / "app.py"


def bench_user(engine) -> int:
    with new_session(engine) as session:
        kd = session.exec(select(Organisation.id).where(Organisation.acronym == "KD")).one()
        user = User(username="bench.secretariat", display_name="Bench secretariat",
                    role=Role.SECRETARIAT.value, organisation_id=kd)
        session.add(user)
        session.commit()
        return user.id


def _page_app(engine, user_id: int, query: dict | None = None):
    """An AppTest on the items page, already run once (the engine is cached after that)."""
    from streamlit.testing.v1 import AppTest

    os.environ["DATABASE_URL"] = engine.url.render_as_string(hide_password=False)
    get_settings.cache_clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.session_state["user_id"] = user_id
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    at.switch_page("views/items.py")
    at.run()
    if at.exception:
        raise RuntimeError(f"the items page failed: {at.exception}")
    return at


def load_everything(engine) -> int:
    with engine.connect() as conn:
        items = pd.read_sql_table("actionitem", conn)
        updates = pd.read_sql_table("progressupdate", conn)
    return len(items) + len(updates)


@benchmark("items_page", scales=("S", "M", "L"))
def items_page(ctx: Context) -> BenchResult:
    engine = ctx.copy_engine()  # a user is added: never write to the shared database
    user_id = bench_user(engine)
    times, rows = _time_page(ctx, engine, user_id, None)
    red_times, red_rows = _time_page(ctx, engine, user_id, {"rag": "red"})  # RAG filters in Python
    baseline = ctx.timeit(lambda: load_everything(engine), repeat=max(ctx.repeat, 3))
    _, n_items, n_updates = ctx.sizes
    return BenchResult(
        median_s=median(times), baseline_s=median(baseline),
        extra={"rag_red_median_s": median(red_times), "rag_red_rows": red_rows},
        notes=f"AppTest rerun of app.py + items page ({rows} rows shown of {n_items:,}; "
              f"filtered to Red: {median(red_times) * 1e3:.0f} ms); "
              f"baseline: read {n_items:,} items + {n_updates:,} updates into pandas",
    )


def _time_page(ctx: Context, engine, user_id: int, query: dict | None) -> tuple[list[float], int]:
    at = _page_app(engine, user_id, query)
    try:
        rows = len(at.dataframe[0].value)
        times = ctx.timeit(at.run, repeat=max(ctx.repeat, 15), warmup=2)  # a busy machine: many runs
        assert not at.exception, at.exception
    finally:
        st.cache_resource.clear()
        get_settings.cache_clear()
    return times, rows


@benchmark("update_commit", scales=("S", "M", "L"))
def update_commit(ctx: Context) -> BenchResult:
    engine = ctx.copy_engine()
    user_id = bench_user(engine)
    with new_session(engine) as session:
        actor = session.get(User, user_id)
        ids = list(session.exec(select(ActionItem.id).where(
            ActionItem.status == "in_progress", ActionItem.progress < 90, ~ActionItem.archived)
            .order_by(ActionItem.id).limit(400)).all())
        queue = iter(ids * 5)  # each item moves up at most 5 points

        def next_item():
            item = session.get(ActionItem, next(queue))
            return item.id, item.version, item.progress

        def one_update(job) -> None:
            item_id, version, progress = job
            update_progress(session=session, actor=actor, item_id=item_id, expected_version=version,
                            status="in_progress", progress=progress + 1, note="Benchmark step",
                            now=datetime.now(timezone.utc))

        n = min(len(ids) * 5, 300)
        times = ctx.timeit(one_update, repeat=n, setup=next_item, warmup=5)
        counter = iter(range(10**9))
        bare = ctx.timeit(lambda: _bare_commit(session, next(counter)), repeat=n, warmup=5)
        written = session.exec(select(ProgressUpdate).where(ProgressUpdate.note == "Benchmark step")).all()
        assert len(written) == n + 5
    return BenchResult(
        median_s=median(times), baseline_s=median(bare),
        notes=f"{n} updates via update_progress (version check, item, history row, audit, commit); "
              "baseline: bare SQLModel insert + commit",
    )


def _bare_commit(session, i: int) -> None:
    session.add(AppSetting(key=f"bench.{i}", value="x"))
    session.commit()
