"""The Overview page and the meeting pack.

overview_page: the Overview's server-side script run under AppTest on the run's database,
against a baseline page that reads every item and update into pandas and draws with
plotly.express on every run (bench/naive_overview.py), measured in the same run.
overview_after_write: the same page on the first run after a progress update is saved (the
cache keyed on the data version misses), against the same naive baseline, in the same run;
the cached figure is reported beside it.
meeting_pack: the PowerPoint pack for a body that follows 31 agreements."""
from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import text
from sqlmodel import select

from bench.bench_items import bench_user
from bench.runner import BenchResult, Context, benchmark, median
from core.db import new_session
from core.settings import ROOT, get_settings
from models import ActionItem, User
from services.items.progress import update_progress


def _apptest_on(engine, script: Path):
    """An AppTest of `script` reading `engine`'s database (as the dashboard would)."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    os.environ["DATABASE_URL"] = engine.url.render_as_string(hide_password=False)
    get_settings.cache_clear()
    st.cache_resource.clear()
    st.cache_data.clear()
    return AppTest.from_file(str(script), default_timeout=120)


def _runs(ctx: Context, at) -> list[float]:
    def run() -> None:
        at.run()
        if at.exception:
            raise RuntimeError(at.exception[0].message)
    return ctx.timeit(run, repeat=max(ctx.repeat, 7), warmup=1)


@benchmark("overview_page")
def overview_page(ctx: Context) -> BenchResult:
    saved = os.environ.get("DATABASE_URL")
    engine = ctx.copy_engine()  # written to below, to measure the run after a save
    try:
        app = _apptest_on(engine, ROOT / "app.py")
        app.session_state["user_id"] = bench_user(engine)  # signed in: the Overview, not sign-in
        cold = ctx.timeit(app.run, repeat=1)[0]  # the first run fills the caches
        page = _runs(ctx, app)
        charts = len(app.get("plotly_chart"))
        if charts != 6:
            raise RuntimeError(f"the Overview drew {charts} charts, not 6: not the page meant")
        after_write = ctx.timeit(lambda _: app.run(), setup=lambda: _touch(engine))
        naive = _runs(ctx, _apptest_on(engine, ROOT / "bench" / "naive_overview.py"))
    finally:
        if saved is None:
            os.environ.pop("DATABASE_URL", None)
        else:
            os.environ["DATABASE_URL"] = saved
        get_settings.cache_clear()
    return BenchResult(
        median_s=median(page), baseline_s=median(naive),
        extra={"first_run_s": cold, "after_write_s": median(after_write), "charts": charts},
        notes=f"{charts} charts, cached on the data version; the run after a save (cache miss) "
              f"{median(after_write) * 1e3:.0f} ms, the process's first run {cold * 1e3:.0f} ms; "
              "baseline: every row into pandas + plotly.express, every run",
    )


@benchmark("overview_after_write")
def overview_after_write(ctx: Context) -> BenchResult:
    """The Overview's rerun right after a real save (update_progress through the service),
    the time most views pay while officials save all day; the cached rerun beside it."""
    saved = os.environ.get("DATABASE_URL")
    engine = ctx.copy_engine()
    try:
        user_id = bench_user(engine)
        app = _apptest_on(engine, ROOT / "app.py")
        app.session_state["user_id"] = user_id
        app.run()  # the process's first run: engine, imports, caches
        saves = iter(_open_items(engine))
        after_write = ctx.timeit(lambda _: _run(app), repeat=max(ctx.repeat, 5), warmup=1,
                                 setup=lambda: _save(engine, user_id, next(saves)))
        cached = _runs(ctx, app)
        charts = len(app.get("plotly_chart"))
        if charts != 6:
            raise RuntimeError(f"the Overview drew {charts} charts, not 6: not the page meant")
        naive = _runs(ctx, _apptest_on(engine, ROOT / "bench" / "naive_overview.py"))
    finally:
        if saved is None:
            os.environ.pop("DATABASE_URL", None)
        else:
            os.environ["DATABASE_URL"] = saved
        get_settings.cache_clear()
    return BenchResult(
        median_s=median(after_write), baseline_s=median(naive),
        extra={"cached_s": median(cached), "after_write_runs_s": after_write},
        notes=f"first rerun after each save (update_progress); cached rerun {median(cached) * 1e3:.0f} ms; "
              "baseline: every row into pandas + plotly.express, every run",
    )


def _run(app) -> None:
    app.run()
    if app.exception:
        raise RuntimeError(app.exception[0].message)


def _open_items(engine) -> list[int]:
    with new_session(engine) as session:
        return list(session.exec(select(ActionItem.id).where(ActionItem.status == "in_progress",
                                                             ActionItem.progress < 90).limit(50)).all())


def _save(engine, user_id: int, item_id: int) -> None:
    """One progress update, as the item page saves it."""
    with new_session(engine) as session:
        item = session.get(ActionItem, item_id)
        update_progress(session=session, actor=session.get(User, user_id), item_id=item_id,
                        expected_version=item.version, status="in_progress", progress=item.progress + 5,
                        note="Benchmark save.", now=None)


def _touch(engine) -> None:
    """A write, as far as the data version can tell: one more audit event."""
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO auditevent (ts, action, detail) VALUES (CURRENT_TIMESTAMP, 'bench', 'touch')"))
