"""The progress history (`progressupdate`) and the audit trail (`auditevent`) are append-only
in the database itself: triggers refuse every UPDATE and DELETE (and, on PostgreSQL, TRUNCATE)
whoever sends it — the application, a script, or someone at an SQL prompt with the
application's rights. The one exception: removing the sample data deletes the history of
sample items (an item marked is_sample, or in a sample agreement).

Created by migration 0003_i14. A later migration that must rewrite these tables calls drop()
then create() in the same transaction; on SQLite, a batch migration that rebuilds either table
drops its triggers, so it must call create() again (tests/unit/test_append_only.py checks the
triggers at head on both stores). What an owner of the database can still do is in the README
("The record cannot be rewritten")."""
from __future__ import annotations

from sqlalchemy.engine import Connection

TABLES = ("progressupdate", "auditevent")
MESSAGE = "append-only table: rows cannot be changed or deleted"
# A progress update may be deleted only with its sample item (services.seeding.sample.remove_sample).
SAMPLE_ITEM = ("EXISTS (SELECT 1 FROM actionitem i JOIN commitmentarea a ON a.id = i.area_id "
               "JOIN agreement g ON g.id = a.agreement_id "
               "WHERE i.id = OLD.item_id AND (i.is_sample OR g.is_sample))")


def _sqlite(table: str) -> list[str]:
    exempt = f" WHEN NOT {SAMPLE_ITEM}" if table == "progressupdate" else ""
    return [
        f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table}: {MESSAGE}'); END",
        f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}{exempt} "
        f"BEGIN SELECT RAISE(ABORT, '{table}: {MESSAGE}'); END",
    ]


def _postgresql(table: str) -> list[str]:
    allow_sample = (f"IF TG_OP = 'DELETE' THEN IF {SAMPLE_ITEM} THEN RETURN OLD; END IF; END IF; "
                    if table == "progressupdate" else "")
    return [
        f"CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN {allow_sample}RAISE EXCEPTION '{table}: {MESSAGE}' USING ERRCODE = 'insufficient_privilege'; END $$",
        f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only()",
        f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {table}_append_only()",
    ]


def create(conn: Connection) -> None:
    """Install the triggers (idempotent: existing ones are replaced)."""
    drop(conn)
    build = _postgresql if conn.dialect.name == "postgresql" else _sqlite
    for table in TABLES:
        for statement in build(table):
            conn.exec_driver_sql(statement)


def drop(conn: Connection) -> None:
    for table in TABLES:
        if conn.dialect.name == "postgresql":
            for name in ("no_change", "no_truncate"):
                conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {table}_{name} ON {table}")
            conn.exec_driver_sql(f"DROP FUNCTION IF EXISTS {table}_append_only()")
        else:
            for name in ("no_update", "no_delete"):
                conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {table}_{name}")


def installed(conn: Connection) -> set[str]:
    """The names of the append-only triggers present (for tests and a health check)."""
    if conn.dialect.name == "postgresql":
        rows = conn.exec_driver_sql(
            "SELECT tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE c.relname IN ('progressupdate', 'auditevent') AND NOT t.tgisinternal "
            "AND c.relnamespace = to_regnamespace(current_schema())::oid")
    else:
        rows = conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'")
    return {r[0] for r in rows if r[0].startswith(TABLES)}
