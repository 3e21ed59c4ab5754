"""Many officials saving at once: 20 writers x 100 progress updates through update_progress on a
private copy of the loaded store, against the same 2,000 updates saved one after another by one
writer. Reports lost updates (must be 0), errors other than a stale-version refusal (must be 0)
and refusals (each names who changed the item; the writer retries with the version it was shown)."""
from __future__ import annotations

import threading
import time
from collections import Counter

from sqlmodel import func, select

from bench.runner import BenchResult, Context, benchmark
from core.db import new_session
from models import ActionItem, Organisation, ProgressUpdate, Role, User
from services.errors import StaleVersion
from services.items.progress import update_progress


def writer_user(engine) -> int:
    with new_session(engine) as s:
        kd = s.exec(select(Organisation.id).where(Organisation.acronym == "KD")).one()
        user = User(username="writer.admin", display_name="Writer.Admin", role=Role.SECRETARIAT.value,
                    organisation_id=kd)
        s.add(user)
        s.commit()
        return user.id


def run_writers(engine, *, writers: int, updates: int, shared_items: int = 2) -> dict:
    """Each writer saves `updates` progress updates, alternating between an item of its own and
    one of `shared_items` items every writer touches; a stale refusal is retried with the
    version it reports. Returns what happened, counted."""
    admin_id = writer_user(engine)
    with new_session(engine) as s:
        items = s.exec(select(ActionItem.id).where(~ActionItem.archived).order_by(ActionItem.id)).all()
        assert len(items) >= writers + shared_items
        before = s.exec(select(func.count()).select_from(ProgressUpdate)).one()
    own, shared = items[:writers], items[writers:writers + shared_items]
    saved, refusals, errors = Counter(), [], []

    def write(w: int) -> None:
        with new_session(engine) as s:
            for n in range(updates):
                item_id = own[w] if n % 2 == 0 else shared[n % len(shared)]
                for _attempt in range(50):
                    item = s.get(ActionItem, item_id)
                    s.refresh(item)
                    try:
                        update_progress(session=s, actor=s.get(User, admin_id), item_id=item_id,
                                        expected_version=item.version, status="in_progress",
                                        progress=(n % 99) + 1, note=f"writer {w} update {n}")
                        saved[item_id] += 1
                        break
                    except StaleVersion as exc:
                        s.rollback()
                        refusals.append(exc.changed_by)
                    except Exception as exc:  # noqa: BLE001 - any other error is what this test looks for
                        s.rollback()
                        errors.append(repr(exc))
                        return

    threads = [threading.Thread(target=write, args=(w,)) for w in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with new_session(engine) as s:
        after = s.exec(select(func.count()).select_from(ProgressUpdate)).one()
    return {"saved": sum(saved.values()), "written": after - before, "refusals": refusals, "errors": errors}




@benchmark("concurrent_writers")
def concurrent_writers(ctx: Context) -> BenchResult:
    writers, updates = (20, 100) if ctx.scale != "S" else (10, 20)
    started = time.perf_counter()
    result = run_writers(ctx.copy_engine(), writers=writers, updates=updates)
    together = time.perf_counter() - started
    started = time.perf_counter()
    run_writers(ctx.copy_engine(), writers=1, updates=writers * updates, shared_items=writers + 1)
    serial = time.perf_counter() - started
    lost = result["saved"] - result["written"]
    return BenchResult(
        median_s=together, baseline_s=serial,
        notes=f"{writers} writers x {updates} updates: {result['written']} saved, {lost} lost, "
              f"{len(result['errors'])} errors, {len(result['refusals'])} stale refusals retried",
        extra={"lost": lost, "errors": len(result["errors"]), "refusals": len(result["refusals"]),
               "updates_per_s": result["written"] / together},
    )
