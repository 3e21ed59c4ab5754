"""Issue 19: an import killed (SIGKILL) while it applies 10,000 rows leaves nothing partial,
on SQLite (a WAL file) and on PostgreSQL. The import runs in a process of its own
(tests/unit/import_in_child.py), killed once when half its rows are done and once with every
row written but not committed; each time every table is exactly as before, and afterwards
the dashboard writes again: no lock left behind, no transaction left open."""
from __future__ import annotations

import select
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import func, select as sql_select

from bench.bench_excel import edited_items_sheet
from core.db import new_session
from models import ActionItem, ProgressUpdate, Role, User
from services.items.progress import update_progress
from services.seeding.synthetic import generate_synthetic
from services.store.backup import table_digests
from tests.conftest import TODAY, make_user
from tests.unit.import_in_child import holds
from tests.unit.excel_fixtures import NOW

ROWS = 10_000
ROOT = Path(__file__).resolve().parents[2]
IMPORTER = "sec.import"
CHILD_NAME = "killed-import"  # the child's application_name on PostgreSQL
CHILD_TIMEOUT_S = 180


@pytest.fixture
def big_store(store_engine: Engine) -> Engine:
    """10,000 synthetic items with one progress update each, and a secretariat user."""
    generate_synthetic(engine=store_engine, scale="S", today=TODAY, sizes=(200, ROWS, ROWS))
    with new_session(store_engine) as s:
        make_user(s, IMPORTER, Role.SECRETARIAT)
    return store_engine


def _child_url(engine: Engine) -> str:
    url = engine.url
    if url.get_backend_name() == "postgresql":  # to find the child's server session afterwards
        url = url.update_query_dict({"application_name": CHILD_NAME})
    return url.render_as_string(hide_password=False)


def _kill_child_at(engine: Engine, workbook: Path, stop: str, log: Path) -> dict[str, int]:
    """Start the import in a child process, wait until it says it stopped at `stop`, SIGKILL
    it; returns what its transaction held then (import_in_child.holds)."""
    with log.open("w") as errors:
        child = subprocess.Popen(
            [sys.executable, "-m", "tests.unit.import_in_child", _child_url(engine), IMPORTER, str(workbook), stop],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=errors, text=True)
    try:
        ready, _, _ = select.select([child.stdout], [], [], CHILD_TIMEOUT_S)
        line = child.stdout.readline().strip() if ready else ""
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.stdout.close()
    assert line.startswith("stopped "), f"the child did not stop at {stop!r}:\n{log.read_text()[-3000:]}"
    assert child.returncode == -signal.SIGKILL
    return {k: int(v) for k, v in (part.split("=") for part in line.split()[1:])}


def _server_let_go(engine: Engine) -> None:
    """PostgreSQL: the killed child's server session ends (its transaction rolled back, its
    locks released) once the server sees the connection gone; wait for that, briefly."""
    if engine.dialect.name != "postgresql":
        return
    deadline = time.monotonic() + 15
    with engine.connect() as conn:
        while conn.execute(text("SELECT count(*) FROM pg_stat_activity WHERE application_name = :n"),
                           {"n": CHILD_NAME}).scalar_one():
            assert time.monotonic() < deadline, "the killed import's session is still open on the server"
            time.sleep(0.05)


def _no_lock_left(engine: Engine) -> None:
    """SQLite: a write lock can be taken at once (no wait, no 'database is locked'), and the
    file is sound."""
    if engine.dialect.name != "sqlite":
        return
    conn = sqlite3.connect(engine.url.database, timeout=0, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        conn.close()


def _changed(engine: Engine, before: dict) -> list[str]:
    after = table_digests(engine)
    return [name for name in sorted(before.keys() | after.keys()) if before.get(name) != after.get(name)]


def _updates(engine: Engine) -> int:
    with new_session(engine) as s:
        return s.exec(sql_select(func.count()).select_from(ProgressUpdate)).one()


@pytest.mark.store
def test_a_killed_import_leaves_nothing_partial(big_store: Engine, tmp_path: Path) -> None:
    workbook = tmp_path / "every-item-moved-on.xlsx"
    workbook.write_bytes(edited_items_sheet(big_store, TODAY, rows=ROWS))
    before = table_digests(big_store)
    assert before["actionitem"][0] == ROWS == before["progressupdate"][0]

    with big_store.connect() as conn:
        start = holds(conn)
    # the whole import: a progress update and its audit event per row, the import's own event
    whole = {"updates": start["updates"] + ROWS, "events": start["events"] + ROWS + 1,
             "versions": start["versions"] + ROWS}

    for stop in ("halfway", "commit"):
        held = _kill_child_at(big_store, workbook, stop, tmp_path / f"child-{stop}.log")
        if stop == "commit":  # killed with the whole import written, in one uncommitted transaction
            assert held == whole
        _server_let_go(big_store)
        _no_lock_left(big_store)
        assert _changed(big_store, before) == [], f"killed at {stop!r}: tables changed"
        assert _updates(big_store) == ROWS

    # The dashboard reads and writes as before, on an item the killed import had updated.
    with new_session(big_store) as s:
        actor = s.exec(sql_select(User).where(User.username == IMPORTER)).one()
        item = s.exec(sql_select(ActionItem).order_by(ActionItem.id)).first()
        update_progress(session=s, actor=actor, item_id=item.id, expected_version=item.version,
                        status=item.status, progress=item.progress, note="After the killed import", now=NOW)
        s.commit()
    assert _updates(big_store) == ROWS + 1
