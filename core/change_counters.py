"""Counters that database triggers move in the same transaction as the change they count.

The 'structure' counter moves with every INSERT, UPDATE or DELETE on the tables the Overview's
slow-changing parts read (agreements, commitment areas, organisations, counterparts): the area
labels, the agreements table and the expiry list are kept until it moves, so a progress update,
which writes none of these tables, leaves them kept. A trigger counts every writer (the
application, an import, a script at an SQL prompt), and a transaction that commits late still
moves the counter when it commits; a maximum of ids could miss it.

Created by migration 0006_i19_change_counters. On SQLite a batch migration that rebuilds one of
these tables drops its triggers, so it must call create() again (tests/unit/test_change_counters.py
checks the triggers at head on both stores)."""
from __future__ import annotations

from sqlalchemy.engine import Connection

STRUCTURE = "structure"
STRUCTURE_TABLES = ("agreement", "commitmentarea", "organisation", "agreementcounterpart")
_BUMP = f"UPDATE changecounter SET value = value + 1 WHERE name = '{STRUCTURE}'"
_OPS = ("insert", "update", "delete")


def _sqlite(table: str) -> list[str]:
    return [f"CREATE TRIGGER {table}_counts_{op} AFTER {op.upper()} ON {table} BEGIN {_BUMP}; END" for op in _OPS]


def _postgresql(table: str) -> list[str]:
    # One bump per statement: an import that writes 500 areas moves the counter once.
    return [f"CREATE TRIGGER {table}_counts AFTER INSERT OR UPDATE OR DELETE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION changecounter_structure()"]


def create(conn: Connection) -> None:
    """Install the counter row and the triggers (idempotent: existing ones are replaced)."""
    drop(conn)
    if not conn.exec_driver_sql(f"SELECT 1 FROM changecounter WHERE name = '{STRUCTURE}'").first():
        conn.exec_driver_sql(f"INSERT INTO changecounter (name, value) VALUES ('{STRUCTURE}', 0)")
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(
            "CREATE OR REPLACE FUNCTION changecounter_structure() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN {_BUMP}; RETURN NULL; END $$")
    build = _postgresql if conn.dialect.name == "postgresql" else _sqlite
    for table in STRUCTURE_TABLES:
        for statement in build(table):
            conn.exec_driver_sql(statement)


def drop(conn: Connection) -> None:
    for table in STRUCTURE_TABLES:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {table}_counts ON {table}")
        else:
            for op in _OPS:
                conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {table}_counts_{op}")
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("DROP FUNCTION IF EXISTS changecounter_structure()")


def installed(conn: Connection) -> set[str]:
    """The names of the counting triggers present (for tests)."""
    if conn.dialect.name == "postgresql":
        rows = conn.exec_driver_sql(
            "SELECT tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE NOT t.tgisinternal AND c.relnamespace = to_regnamespace(current_schema())::oid")
    else:
        rows = conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'")
    return {r[0] for r in rows if "_counts" in r[0]}
