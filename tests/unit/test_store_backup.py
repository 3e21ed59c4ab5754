"""Backup and restore of the whole store (services/store/backup.py, manage.py backup/restore):
the restored store has the same digest of every table, on SQLite and PostgreSQL; a non-empty
store is never overwritten without --force; a file of the wrong kind is refused."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from core.db import make_engine, new_session
from core.migrate import upgrade_head
from models import Role
from services.errors import PermissionDenied
from services.seeding.facts import ensure_system_user, seed_facts
from services.seeding.sample import seed_sample
from services.store.backup import (
    StoreRefused, backup_store, download_backup, is_empty, restore_store, table_digests,
)
from tests.conftest import TODAY, make_user, require_or_skip

ROOT = Path(__file__).resolve().parents[2]


def _fill(engine) -> None:
    upgrade_head(engine)
    with new_session(engine) as s:
        system = ensure_system_user(session=s)
        seed_facts(session=s, actor=system)
        seed_sample(session=s, actor=system, today=TODAY)
        s.commit()


@pytest.fixture
def sqlite_store(tmp_path):
    eng = make_engine(f"sqlite:///{tmp_path / 'live.db'}")
    _fill(eng)
    yield eng
    eng.dispose()


def test_sqlite_backup_restores_every_table_exactly(sqlite_store, tmp_path):
    before = table_digests(sqlite_store)
    assert before["actionitem"][0] > 0 and before["progressupdate"][0] > 0
    result = backup_store(engine=sqlite_store, out=tmp_path / "b.sqlite3")
    assert result.kind == "sqlite" and result.size_bytes > 0
    target = make_engine(f"sqlite:///{tmp_path / 'restored.db'}")
    assert is_empty(target)
    restore_store(engine=target, backup=result.path)
    assert table_digests(target) == before


def test_sqlite_backup_is_consistent_while_the_app_writes(sqlite_store, tmp_path):
    """A writer commits updates during the backup: the copy is a consistent store (integrity
    check passes; every update's item exists), not a torn file."""
    stop, writes = threading.Event(), []

    def write() -> None:
        while not stop.is_set():
            with sqlite_store.begin() as conn:
                conn.execute(text("UPDATE actionitem SET owner_name = :o WHERE id = (SELECT min(id) FROM actionitem)"),
                             {"o": f"busy {len(writes)}"})
            writes.append(1)

    writer = threading.Thread(target=write)
    writer.start()
    try:
        out = backup_store(engine=sqlite_store, out=tmp_path / "busy.sqlite3").path
    finally:
        stop.set()
        writer.join()
    assert writes, "the writer never committed during the backup"
    con = sqlite3.connect(out)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    orphans = con.execute("SELECT count(*) FROM progressupdate WHERE item_id NOT IN (SELECT id FROM actionitem)")
    assert orphans.fetchone()[0] == 0
    con.close()


def test_restore_refuses_a_store_with_data_unless_forced(sqlite_store, tmp_path):
    path = backup_store(engine=sqlite_store, out=tmp_path / "b.sqlite3").path
    with sqlite_store.begin() as conn:
        conn.execute(text("DELETE FROM progressupdate WHERE id = (SELECT max(id) FROM progressupdate)"))
    changed = table_digests(sqlite_store)
    with pytest.raises(StoreRefused, match="not empty"):
        restore_store(engine=sqlite_store, backup=path)
    assert table_digests(sqlite_store) == changed  # nothing touched
    restore_store(engine=sqlite_store, backup=path, force=True)
    assert table_digests(sqlite_store)["progressupdate"] != changed["progressupdate"]


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    bogus = tmp_path / "tracker.xlsx"
    bogus.write_bytes(b"PK\x03\x04 not a database")
    target = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    with pytest.raises(StoreRefused, match="not a SQLite backup"):
        restore_store(engine=target, backup=bogus)
    assert is_empty(target)


def test_only_an_administrator_downloads_a_backup_and_it_is_audited(sqlite_store, tmp_path):
    with new_session(sqlite_store) as s:
        viewer = make_user(s, "v.backup", Role.VIEWER)
        secretariat = make_user(s, "s.backup", Role.SECRETARIAT)
        admin = make_user(s, "a.backup", Role.ADMIN)
        for who in (viewer, secretariat, None):
            with pytest.raises(PermissionDenied):
                download_backup(session=s, engine=sqlite_store, actor=who, workdir=tmp_path)
        path = download_backup(session=s, engine=sqlite_store, actor=admin, workdir=tmp_path)
        s.commit()
        events = s.exec(text("SELECT action, username FROM auditevent WHERE action = 'download_backup'")).all()
    assert path.read_bytes().startswith(b"SQLite format 3")
    assert [tuple(e) for e in events] == [("download_backup", "a.backup")]


def test_the_command_line_backs_up_and_restores(sqlite_store, tmp_path):
    src = sqlite_store.url.database
    out, restored = tmp_path / "cli.sqlite3", tmp_path / "cli-restored.db"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{src}"}
    done = subprocess.run([sys.executable, "manage.py", "backup", "--out", str(out)], cwd=ROOT, env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    env["DATABASE_URL"] = f"sqlite:///{restored}"
    done = subprocess.run([sys.executable, "manage.py", "restore", str(out)], cwd=ROOT, env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert table_digests(make_engine(f"sqlite:///{restored}")) == table_digests(sqlite_store)
    again = subprocess.run([sys.executable, "manage.py", "restore", str(out)], cwd=ROOT, env=env,
                           capture_output=True, text=True)
    assert again.returncode != 0 and "not empty" in again.stderr and "Traceback" not in again.stderr


@pytest.fixture
def pg_databases():
    """Two fresh PostgreSQL databases (source and restore target), dropped afterwards."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        require_or_skip("TEST_DATABASE_URL is not set: PostgreSQL backup test not run")
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    names = [f"bk_{uuid.uuid4().hex[:10]}" for _ in range(2)]
    with admin.connect() as conn:
        for name in names:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    engines = [create_engine(make_url(url).set(database=name)) for name in names]
    yield engines
    for eng in engines:
        eng.dispose()
    with admin.connect() as conn:
        for name in names:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_postgresql_backup_restores_every_table_exactly(pg_databases, tmp_path):
    source, target = pg_databases
    _fill(source)
    before = table_digests(source)
    result = backup_store(engine=source, out=tmp_path / "b.pgdump")
    assert result.kind == "postgresql" and result.path.read_bytes().startswith(b"PGDMP")
    assert is_empty(target)
    restore_store(engine=target, backup=result.path)
    assert table_digests(target) == before
    with pytest.raises(StoreRefused, match="not empty"):
        restore_store(engine=target, backup=result.path)
