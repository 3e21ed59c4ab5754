"""Backup and restore of the whole store, for the IT officer (`manage.py backup` / `restore`).

SQLite: the online backup API of Python's sqlite3 module, page by page, consistent while the
app keeps writing (WAL readers do not block it). PostgreSQL: `pg_dump --format=custom` and
`pg_restore`, the client tools of Debian's postgresql-client (their major version must be at
least the server's). A restore goes only into an empty store unless `force=True`.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from sqlalchemy import MetaData, inspect, select, text
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session

from models import User
from services.audit.trail import record_event
from services.errors import ServiceError
from services.i18n.translate import N_
from services.permissions import require_admin

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"


class StoreRefused(ServiceError):
    """A backup or restore that cannot go ahead; the message says what to do."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    kind: str  # "sqlite" or "postgresql"
    size_bytes: int


def _is_sqlite(engine: Engine) -> bool:
    return engine.url.get_backend_name() == "sqlite"


def _sqlite_path(engine: Engine) -> str:
    database = engine.url.database
    if not database or database == ":memory:":
        raise StoreRefused(N_("An in-memory database cannot be backed up or restored."))
    return database


def _pg_args(engine: Engine) -> tuple[list[str], dict[str, str]]:
    """Connection arguments for pg_dump / pg_restore, and the environment carrying the password."""
    url = make_url(engine.url)
    args = ["--host", url.host or "localhost", "--port", str(url.port or 5432),
            "--username", url.username or "postgres", "--dbname", url.database or ""]
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = url.password
    return args, env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise StoreRefused(N_("{tool} is not installed: install Debian's postgresql-client."), tool=name)
    return found


def backup_store(*, engine: Engine, out: Path) -> BackupResult:
    """Write a consistent copy of the whole store to `out` (overwritten).

    Raises StoreRefused for an in-memory store or a missing pg_dump, and when pg_dump fails."""
    out = Path(out)
    if _is_sqlite(engine):
        src = sqlite3.connect(_sqlite_path(engine))
        dst = sqlite3.connect(str(out))
        try:
            src.backup(dst, pages=1024)
        finally:
            dst.close()
            src.close()
        kind = "sqlite"
    else:
        args, env = _pg_args(engine)
        done = subprocess.run([_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(out), *args],
                              env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise StoreRefused(N_("pg_dump failed: {detail}"), detail=done.stderr.strip()[-300:])
        kind = "postgresql"
    return BackupResult(path=out, kind=kind, size_bytes=out.stat().st_size)


def download_backup(*, session: Session, engine: Engine, actor: Optional[User], workdir: Path) -> Path:
    """A fresh backup for an administrator to download (Users page): written under `workdir`,
    the download audited in the caller's transaction. Returns the file's path.

    Raises PermissionDenied for anyone but an active administrator, StoreRefused as backup_store."""
    require_admin(actor, N_("download a backup of the database"))
    suffix = ".sqlite3" if _is_sqlite(engine) else ".pgdump"
    result = backup_store(engine=engine, out=Path(workdir) / f"mou-tracker-backup{suffix}")
    record_event(session=session, actor=actor, action="download_backup", detail=f"{result.kind}, {result.size_bytes} bytes")
    return result.path


def is_empty(engine: Engine) -> bool:
    """True when the store has no table with a row (a fresh database, or one never migrated)."""
    meta = MetaData()
    meta.reflect(bind=engine)
    with engine.connect() as conn:
        return all(conn.execute(select(t).limit(1)).first() is None for t in meta.sorted_tables)


def restore_store(*, engine: Engine, backup: Path, force: bool = False) -> None:
    """Replace the store's content with a backup made by backup_store.

    Raises StoreRefused when the store holds data and force is False, when the file is not a
    backup of this kind of store, or when pg_restore fails."""
    backup = Path(backup)
    head = backup.read_bytes()[:16] if backup.exists() else b""
    if not force and not is_empty(engine):
        raise StoreRefused(N_("The database is not empty: restore into an empty database, or add --force "
                              "to replace everything in it."))
    if _is_sqlite(engine):
        if not head.startswith(SQLITE_MAGIC):
            raise StoreRefused(N_("{name} is not a SQLite backup of the tracker."), name=backup.name)
        engine.dispose()
        src = sqlite3.connect(str(backup))
        dst = sqlite3.connect(_sqlite_path(engine))
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()
        return
    if not head.startswith(PGDUMP_MAGIC):
        raise StoreRefused(N_("{name} is not a PostgreSQL backup of the tracker (pg_dump custom format)."),
                           name=backup.name)
    args, env = _pg_args(engine)
    engine.dispose()
    done = subprocess.run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
                           *args, str(backup)], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise StoreRefused(N_("pg_restore failed: {detail}"), detail=done.stderr.strip()[-300:])


def table_digests(engine: Engine) -> dict[str, tuple[int, str]]:
    """{table: (row count, SHA-256 of its rows in primary-key order)} for every table.

    Values are compared as text, so the same content gives the same digest before and after a
    backup, a restore or an upgrade (on one kind of store)."""
    out: dict[str, tuple[int, str]] = {}
    insp = inspect(engine)
    with engine.connect() as conn:
        for name in sorted(insp.get_table_names()):
            cols = [c["name"] for c in insp.get_columns(name)]
            pk = insp.get_pk_constraint(name).get("constrained_columns") or cols
            order = ", ".join(f'"{c}"' for c in pk)
            rows = conn.execute(text(f'SELECT * FROM "{name}" ORDER BY {order}'))
            h, n = hashlib.sha256(), 0
            for row in rows:
                h.update(repr(tuple(str(v) for v in row)).encode())
                n += 1
            out[name] = (n, h.hexdigest())
    return out
