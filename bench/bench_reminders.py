"""send_reminders_dry_run: `manage.py send-reminders --dry-run` as the operator runs it (a new
process: start-up, planning, every mail built with the email package and printed) on a copy
of the loaded database with ~500 users: 460 focal points in three languages spread over the
organisations, 30 secretariat, 10 viewers who asked for a daily digest; agreements expiring
within a year; an update request for a body's next meeting. Target at M: <= 10 s."""
from __future__ import annotations

import os
import resource
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from sqlmodel import select

from bench.runner import BenchResult, Context, benchmark, median
from core.db import new_session
from models import Agreement, Meeting, Organisation, Role, User
from services.errors import ValidationFailed
from services.meetings.bodies import list_bodies
from services.reminders.requests import request_updates

ROOT = Path(__file__).resolve().parents[1]
TARGET_S = 10.0
LANGS = ("ms", "en", "zh")


def _people(session, org_ids: list[int]) -> User:
    plan = [(Role.FOCAL_POINT, 460, None), (Role.SECRETARIAT, 30, None), (Role.VIEWER, 10, "daily")]
    secretariat = None
    n = 0
    for role, count, frequency in plan:
        for _ in range(count):
            n += 1
            user = User(username=f"bench.user{n}", display_name=f"Bench User {n}", role=role.value,
                        organisation_id=org_ids[n % len(org_ids)], email=f"user{n}@example.gov.my",
                        language=LANGS[n % 3], digest_frequency=frequency)
            session.add(user)
            secretariat = secretariat or (user if role == Role.SECRETARIAT else None)
    session.commit()
    return secretariat


def prepare(ctx: Context):
    engine = ctx.copy_engine()
    with new_session(engine) as session:
        orgs = list(session.exec(select(Organisation.id).order_by(Organisation.id)).all())
        sec = _people(session, orgs)
        for i, a in enumerate(session.exec(select(Agreement).order_by(Agreement.id).limit(40)).all()):
            a.expires_on, a.status = ctx.today + timedelta(days=30 + 9 * i), "in_force"
            session.add(a)
        session.commit()
        for body in list_bodies(session=session):  # the first body whose agenda has items
            session.add(Meeting(body_id=body.id, held_on=ctx.today + timedelta(days=10)))
            session.commit()
            try:
                request_updates(session=session, actor=sec, body_id=body.id, today=ctx.today)
                break
            except ValidationFailed:
                continue
    return engine


@benchmark("send_reminders_dry_run", scales=("S", "M"))
def send_reminders_dry_run(ctx: Context) -> BenchResult:
    engine = prepare(ctx)
    env = {**os.environ, "DATABASE_URL": engine.url.render_as_string(hide_password=False), "AUTO_MIGRATE": "false"}
    last, cpu = {}, []

    def run() -> None:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        done = subprocess.run([sys.executable, "manage.py", "send-reminders", "--dry-run"], cwd=ROOT, env=env,
                              capture_output=True, text=True, check=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        last["summary"] = done.stdout[done.stdout.rfind("Dry run:"):].strip()

    times = ctx.timeit(run)
    lines = last["summary"].splitlines()
    # CPU seconds of the child beside the wall clock: on a shared machine the wall clock also
    # counts the time spent waiting for a core.
    notes = f"target {TARGET_S:.0f} s; CPU {median(cpu):.2f} s; " + "; ".join(s.strip() for s in lines[:4])
    return BenchResult(median_s=median(times), notes=notes,
                       extra={"target_s": TARGET_S, "cpu_s": round(median(cpu), 3),
                              "share_of_target": round(median(times) / TARGET_S, 3)})
