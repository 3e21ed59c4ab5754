"""Meetings at scale: the pack, the minutes and marking a meeting held (its snapshot) for a joint
body that oversees 31 agreements."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import text

from bench.bench_items import bench_user
from bench.runner import BenchResult, Context, benchmark, median
from core.db import new_session

PACK_BODY = "Benchmark review group"
PACK_AGREEMENTS = 31


def _body_with_meeting(ctx: Context):
    """A private database with a body over the first 31 agreements and a meeting today."""
    engine = ctx.copy_engine()
    with engine.begin() as conn:
        # Booleans as bound values: PostgreSQL refuses 0 and 1 for a boolean column.
        conn.execute(text("INSERT INTO jointbody (name_en, archived, is_sample) VALUES (:b, :no, :yes)"),
                     {"b": PACK_BODY, "no": False, "yes": True})
        body_id = conn.execute(text("SELECT id FROM jointbody WHERE name_en = :b"), {"b": PACK_BODY}).scalar_one()
        conn.execute(text("INSERT INTO bodyagreement (body_id, agreement_id) SELECT :b, id FROM agreement "
                          "ORDER BY id LIMIT :n"), {"b": body_id, "n": PACK_AGREEMENTS})
        conn.execute(text("INSERT INTO meeting (body_id, held_on, is_sample) VALUES (:b, :d, :yes)"),
                     {"b": body_id, "d": ctx.today.replace(day=1), "yes": True})
        conn.execute(text("INSERT INTO meeting (body_id, held_on, is_sample, venue) VALUES (:b, :d, :yes, 'Putrajaya')"),
                     {"b": body_id, "d": ctx.today, "yes": True})
        meeting_id = conn.execute(text("SELECT max(id) FROM meeting")).scalar_one()
    return engine, body_id, meeting_id


@benchmark("meeting_pack")
def meeting_pack(ctx: Context) -> BenchResult:
    """The pack as the meeting-mode page and `manage.py meeting-pack` build it (with the package slide)."""
    from functools import partial

    from services.lifecycle.pack_slide import package_slide
    from services.meetings.pack import build_meeting_pack

    engine, body_id, _ = _body_with_meeting(ctx)
    sizes: list[int] = []

    def build() -> None:
        with new_session(engine) as session:
            extra = partial(package_slide, session=session, today=ctx.today, lang="en")
            sizes.append(len(build_meeting_pack(session=session, today=ctx.today, body_id=body_id, extra=extra)))
    times = ctx.timeit(build, warmup=1)
    return BenchResult(median_s=median(times), extra={"bytes": sizes[-1]},
                       notes=f"{PACK_AGREEMENTS} agreements, {sizes[-1] / 1e3:.0f} kB; target <= 5 s")


@benchmark("mark_held")
def mark_held(ctx: Context) -> BenchResult:
    """Marking the meeting held takes the snapshot of every item of the 31 agreements."""
    from models import User
    from services.meetings.snapshot import mark_held as mark

    engine, _, meeting_id = _body_with_meeting(ctx)
    user_id = bench_user(engine)
    counts: list[int] = []

    def run() -> None:
        with new_session(engine) as session:
            session.execute(text("DELETE FROM snapshotitem"))
            session.execute(text("DELETE FROM meetingsnapshot"))
            session.execute(text("UPDATE meeting SET held_at = NULL WHERE id = :m"), {"m": meeting_id})
            session.commit()
            mark(session=session, actor=session.get(User, user_id), meeting_id=meeting_id, today=ctx.today,
                 now=datetime.now(timezone.utc))
            counts.append(session.execute(text("SELECT count(*) FROM snapshotitem")).scalar_one())
    times = ctx.timeit(run, warmup=1)
    return BenchResult(median_s=median(times), extra={"items": counts[-1]},
                       notes=f"snapshot of {counts[-1]} items of {PACK_AGREEMENTS} agreements; target <= 2 s")


@benchmark("minutes")
def minutes(ctx: Context) -> BenchResult:
    from models import User
    from services.meetings.minutes import build_minutes
    from services.meetings.snapshot import take_snapshot

    engine, _, meeting_id = _body_with_meeting(ctx)
    user_id = bench_user(engine)
    with new_session(engine) as session:
        take_snapshot(session=session, actor=session.get(User, user_id), meeting_id=meeting_id, reason="held",
                      now=datetime.now(timezone.utc))
    sizes: list[int] = []

    def build() -> None:
        with new_session(engine) as session:
            sizes.append(len(build_minutes(session=session, meeting_id=meeting_id, lang="ms+zh", today=ctx.today)))
    times = ctx.timeit(build, warmup=1)
    return BenchResult(median_s=median(times), extra={"bytes": sizes[-1]},
                       notes=f"two languages side by side, {PACK_AGREEMENTS} agreements, {sizes[-1] / 1e3:.0f} kB; "
                             "target <= 5 s")
