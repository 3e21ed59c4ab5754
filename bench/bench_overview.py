"""The Overview page and the meeting pack.

overview_page: the Overview's server-side script run under AppTest on the run's database,
against a baseline page that reads every item and update into pandas and draws with
plotly.express on every run (bench/naive_overview.py), measured in the same run.
meeting_pack: the PowerPoint pack for a body that follows 31 agreements."""
from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import text

from bench.bench_items import bench_user
from bench.runner import BenchResult, Context, benchmark, median
from core.settings import ROOT, get_settings



def _apptest_on(engine, script: Path):
    """An AppTest of `script` reading `engine`'s database (as the dashboard would)."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    os.environ["DATABASE_URL"] = str(engine.url)
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


def _touch(engine) -> None:
    """A write, as far as the data version can tell: one more audit event."""
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO auditevent (ts, action, detail) VALUES (CURRENT_TIMESTAMP, 'bench', 'touch')"))
