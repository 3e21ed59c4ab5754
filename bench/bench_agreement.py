"""The agreement page at scale: the largest agreement of the run's database (its areas' progress,
its timeline, its area -> item breakdown and clock), the page's server-side script run under
AppTest, against the items page's baseline: every item and update read into pandas, as a page
built on DataFrames would on each run (the agreements list's roll-ups need every item). Target at M: <= 200 ms."""
from __future__ import annotations

import os

import streamlit as st
from sqlalchemy import text

from bench.bench_items import APP, load_everything, bench_user
from bench.runner import BenchResult, Context, benchmark, median
from core.settings import get_settings


def _largest(engine) -> tuple[str, int]:
    with engine.connect() as conn:
        return tuple(conn.execute(text(
            "SELECT g.code, count(*) FROM actionitem i JOIN commitmentarea a ON a.id = i.area_id "
            "JOIN agreement g ON g.id = a.agreement_id GROUP BY g.code ORDER BY count(*) DESC, g.code LIMIT 1")).one())


def _page(engine, user_id: int, code: str):
    """An AppTest on the agreement page showing `code`, already run once."""
    from streamlit.testing.v1 import AppTest

    os.environ["DATABASE_URL"] = engine.url.render_as_string(hide_password=False)
    get_settings.cache_clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.session_state["user_id"] = user_id
    at.query_params["agreement"] = code
    at.run()
    at.switch_page("views/agreements.py")
    at.run()
    if at.exception:
        raise RuntimeError(f"the agreement page failed: {at.exception[0].message}")
    return at


@benchmark("agreement_page")
def agreement_page(ctx: Context) -> BenchResult:
    engine = ctx.copy_engine()  # a user is added: never write to the shared database
    user_id = bench_user(engine)
    code, items = _largest(engine)
    at = _page(engine, user_id, code)
    try:
        shown = at.selectbox[0].value if at.selectbox else None
        if shown != code:
            raise RuntimeError(f"the agreement page showed {shown}, not {code}")
        times = ctx.timeit(at.run, repeat=max(ctx.repeat, 9), warmup=1)
        assert not at.exception, at.exception
    finally:
        st.cache_resource.clear()
        get_settings.cache_clear()
    baseline = ctx.timeit(lambda: load_everything(engine), repeat=max(ctx.repeat, 3))
    return BenchResult(
        median_s=median(times), baseline_s=median(baseline), extra={"items": items},
        notes=f"AppTest rerun of app.py + the agreement page for {code} ({items:,} items, the largest); "
              "baseline: every item and update read into pandas (the list's roll-ups need them all)",
    )
