"""The load check: many officials signed in at once, for a bounded time, on loopback only.

    python manage.py load-check --sessions 50 --seconds 120

starts two dashboard processes on a new PostgreSQL database with the sample data (on the
server of --pg or BENCH_DATABASE_URL; dropped afterwards) behind nginx with the deployment's
site (deploy/mou-tracker.nginx.conf), or is pointed at a running one with --url (its database
is DATABASE_URL). Each session is an official (demo.focal and demo.secretariat in turn: roles
that may update items) looping over Action items, one item, a saved progress update and the
Overview (bench/load_session.py). --browsers of them run in one headless Chromium, a browser
context each (what an official sees, drawing included); the others are tabs without a browser
that speak Streamlit's protocol (bench/load_protocol.py): fifty Chromium contexts need far more
than this machine's two cores (see the README), and the server's work is the same.

Printed and written to bench/results/load-check.md: page views and saves, p50/p95/max seconds
per page and client, errors by kind (stale-version refusals apart), sessions per process, the
load average and who used the CPU, and lost updates: saves the page confirmed whose row is not
in the database afterwards (each save's note is unique), which must be 0."""
from __future__ import annotations

import asyncio
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional
from urllib.parse import urlsplit

from sqlalchemy.engine import Engine
from sqlmodel import func, select

from bench.cpu_use import CpuSampler
from bench.live import CHROMIUM, CHROMIUM_ARGS, NGINX, deployment
from bench.load_protocol import LoadTab
from bench.load_report import LoadReport
from bench.load_session import STEP_TIMEOUT_S, Official, Tally, run_official, warm_up
from bench.runner import RESULTS_DIR
from core.db import make_engine, new_session
from models import ProgressUpdate
from services.seeding.facts import ensure_system_user
from services.seeding.sample import issue_demo_passwords

MAX_SESSIONS, MAX_SECONDS = 100, 900
ACCOUNTS = ("demo.focal", "demo.secretariat")
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
RESULTS = RESULTS_DIR / "load-check.md"


@dataclass(frozen=True)
class Plan:
    sessions: int
    seconds: int
    think_s: float = 2.0
    browsers: int = 1  # sessions in Chromium; the others speak the protocol


@dataclass
class Target:
    base: str  # the address the sessions open
    engine: Engine  # its database
    passwords: dict[str, str]
    backends: list[str]  # each process's own address, to warm it up
    description: str
    forwarded: bool = False  # give each session an address of its own (X-Forwarded-For)
    app_pids: set[int] = field(default_factory=set)


def check_request(plan: Plan, *, url: Optional[str], server_url: Optional[str]) -> None:
    """Refuse what the check must not do: too many sessions or seconds, an address that is not
    this machine's loopback, or no PostgreSQL server to start on."""
    if not 1 <= plan.sessions <= MAX_SESSIONS:
        raise ValueError(f"--sessions must be from 1 to {MAX_SESSIONS}.")
    if not 0 <= plan.browsers <= plan.sessions:
        raise ValueError("--browsers must be from 0 to --sessions.")
    if not 5 <= plan.seconds <= MAX_SECONDS:
        raise ValueError(f"--seconds must be from 5 to {MAX_SECONDS}.")
    if url is not None and urlsplit(url).hostname not in LOOPBACK:
        raise ValueError(f"--url must be on this machine's loopback (127.0.0.1, localhost or ::1), not {url}.")
    if url is None and not (server_url or "").startswith("postgresql"):
        raise ValueError("Give --pg postgresql+psycopg://USER@HOST/DB (or set BENCH_DATABASE_URL): the check "
                         "creates a database of its own on that server and drops it afterwards; or --url.")
    needed = {CHROMIUM: "Debian's chromium"} if plan.browsers else {}
    if url is None:
        needed[NGINX] = "Debian's nginx"
    for path, what in needed.items():
        if not Path(path).exists():
            raise ValueError(f"{path} not found: install {what}.")


def run_load_check(plan: Plan, *, url: Optional[str] = None, server_url: Optional[str] = None,
                   out: Optional[Path] = RESULTS, folder: Optional[Path] = None) -> LoadReport:
    """Run the check (see the module's docstring); print the table and write it to `out`."""
    check_request(plan, url=url, server_url=server_url)
    if url is not None:
        engine = make_engine()  # the running dashboard's database: DATABASE_URL
        with new_session(engine) as s:
            passwords = issue_demo_passwords(session=s, actor=ensure_system_user(session=s),
                                             now=datetime.now(timezone.utc))
        if not set(ACCOUNTS) <= set(passwords):
            raise ValueError("The database at DATABASE_URL has no demo accounts: seed it with `manage.py seed --sample`.")
        base = url.rstrip("/")
        report = _measure(plan, Target(base, engine, passwords, [base], f"pointed at {base}"))
    else:
        with tempfile.TemporaryDirectory(prefix="load-check-") as tmp, \
                deployment(Path(folder or tmp), server_url, outer_balancer=True) as d:
            report = _measure(plan, Target(
                d.proxy, d.engine, d.passwords, [f"http://127.0.0.1:{p}" for p in d.ports],
                f"{len(d.ports)} dashboard processes on one PostgreSQL database behind nginx on loopback",
                forwarded=True, app_pids={proc.pid for proc in d.procs.values()}))
            report.sessions_by_port = d.sessions_by_port()  # every websocket closed: all logged
    text = report.markdown()
    print(text)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    return report


def _measure(plan: Plan, target: Target) -> LoadReport:
    tag = uuid.uuid4().hex[:8]
    officials = [Official(n, ACCOUNTS[n % 2], target.passwords[ACCOUNTS[n % 2]],
                          "Chromium" if n < plan.browsers else "protocol",
                          f"10.0.{n}.1" if target.forwarded else None) for n in range(plan.sessions)]
    before = _count_rows(target.engine)
    tally, sampler = Tally(), CpuSampler(app_pids=target.app_pids)
    # A loop of its own in a thread of its own: the caller may be running one already (a test
    # with Playwright's sync API open).
    with ThreadPoolExecutor(1) as pool:
        elapsed = pool.submit(asyncio.run, _drive(plan, target, officials, tag, tally, sampler)).result()
    report = LoadReport(target.description, plan.sessions, plan.browsers, plan.seconds, plan.think_s, elapsed, tally,
                        accounts=ACCOUNTS, load=sampler.load, cpu=sampler.used())
    report.rows_new = _count_rows(target.engine) - before
    with new_session(target.engine) as s:
        rows = dict(s.exec(select(ProgressUpdate.note, func.count()).where(ProgressUpdate.note.like(f"Load check {tag} %"))
                           .group_by(ProgressUpdate.note)).all())
    confirmed = set(tally.saved_notes)
    report.rows_written = sum(rows.values())
    report.lost = sorted(confirmed - set(rows))
    report.unconfirmed = len(set(rows) - confirmed)
    report.duplicated = sum(1 for n in rows.values() if n > 1)
    return report


def _count_rows(engine: Engine) -> int:
    with new_session(engine) as s:
        return s.exec(select(func.count()).select_from(ProgressUpdate)).one()


async def _drive(plan: Plan, target: Target, officials: list[Official], tag: str, tally: Tally,
                 sampler: CpuSampler) -> float:
    """After a warm-up of each process, every official at once (their starts spread over a
    short ramp, as people arrive) until `seconds` after the start; a session still busy a
    step's timeout after that is cut off. Returns the seconds from the start to the last end."""
    from playwright.async_api import async_playwright

    from bench.load_browser import BrowserTab

    ramp = min(20.0, plan.seconds / 4)
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS) if plan.browsers else None
        await warm_up([LoadTab(base, None) for base in target.backends], ACCOUNTS[1], target.passwords[ACCOUNTS[1]])
        started = time.monotonic()
        deadline = started + plan.seconds
        sampling = asyncio.create_task(sampler.run())

        async def official(who: Official) -> None:
            await asyncio.sleep(ramp * who.number / len(officials))
            tab = BrowserTab(browser, target.base, who.forwarded_for) if who.client == "Chromium" \
                else LoadTab(target.base, who.forwarded_for)
            await run_official(tab, who, deadline=deadline, think_s=plan.think_s, tag=tag, tally=tally)

        tasks = [asyncio.create_task(official(who)) for who in officials]
        done, late = await asyncio.wait(tasks, timeout=plan.seconds + 2 * STEP_TIMEOUT_S + 30)
        for task in late:
            task.cancel()
            tally.error("cut off at the time bound", "a session was still busy long after the end")
        for task in done:
            if task.exception() is not None:
                tally.error("session ended by an error", repr(task.exception()))
        sampling.cancel()
        sampler.sample()  # before the browser's processes end
        ended = time.monotonic()
        if browser is not None:
            await browser.close()
    return ended - started
