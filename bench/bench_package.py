"""The package page at scale: every agreement of the run's database in one package (M: 500
agreements, 10,000 items), the page's server-side script run under AppTest. Target <= 300 ms."""
from __future__ import annotations

import os

from sqlalchemy import text

from bench.bench_items import bench_user
from bench.bench_overview import _apptest_on, _runs, _touch
from bench.runner import BenchResult, Context, benchmark, median
from core.db import new_session
from core.settings import ROOT, get_settings
from services.lifecycle.package import package_view

TARGET_S = 0.300


def _one_package(engine) -> int:
    """All agreements into one package that states as many as it records."""
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO agreementpackage (name, stated_total) "
                          "SELECT 'Benchmark visit', count(*) FROM agreement"))
        package_id = conn.execute(text("SELECT max(id) FROM agreementpackage")).scalar_one()
        conn.execute(text("UPDATE agreement SET package_id = :p"), {"p": package_id})
    return package_id


@benchmark("package_page")
def package_page(ctx: Context) -> BenchResult:
    saved = os.environ.get("DATABASE_URL")
    engine = ctx.copy_engine()
    package_id = _one_package(engine)
    try:
        app = _apptest_on(engine, ROOT / "app.py")
        app.session_state["user_id"] = bench_user(engine)
        app.query_params["package"] = str(package_id)
        app.run()
        app.switch_page("views/package.py")
        page = _runs(ctx, app)
        rows = len(app.dataframe[0].value)
        after_write = ctx.timeit(lambda _: app.run(), setup=lambda: _touch(engine))
        if rows < 2 or app.title[0].value != "Package of a visit":
            raise RuntimeError(f"not the package page meant ({rows} rows)")
        with new_session(engine) as session:
            service = ctx.timeit(lambda: package_view(session=session, package_id=package_id, today=ctx.today,
                                                      dormant_days=90), warmup=1)
    finally:
        if saved is None:
            os.environ.pop("DATABASE_URL", None)
        else:
            os.environ["DATABASE_URL"] = saved
        get_settings.cache_clear()
    return BenchResult(median_s=median(page), baseline_s=TARGET_S,
                       extra={"agreements": rows, "service_s": median(service), "after_write_s": median(after_write)},
                       notes=f"{rows} agreements in one package; the page's script (server time, the view cached on "
                             f"the data version), ratio against the 300 ms target; the run after a save (cache miss) "
                             f"{median(after_write) * 1e3:.0f} ms; package_view alone {median(service) * 1e3:.0f} ms")
