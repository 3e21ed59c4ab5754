"""Upgrades keep every row: a store made at each earlier migration, holding the sample data,
is upgraded to head with the same rows in every table and the same content in every column
the earlier schema had (on SQLite and on PostgreSQL). The data comes from a head store with
the sample data, written into the older schema column by column, so each new migration is
checked with real-shaped content without keeping old copies of the seed code."""
from __future__ import annotations

import hashlib

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, inspect, select, text

from core.db import new_session
from core.migrate import alembic_config, upgrade_head
from services.seeding.facts import ensure_system_user, seed_facts
from services.seeding.sample import seed_sample
from tests.conftest import TODAY

REVISIONS = [s.revision for s in reversed(list(ScriptDirectory.from_config(alembic_config()).walk_revisions()))]


def _upgrade(engine, revision: str) -> None:
    upgrade_head(engine, revision)


def _reset(engine) -> None:
    """Drop everything, so the same store can be rebuilt at another revision."""
    meta = MetaData()
    meta.reflect(bind=engine)
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.execute(text("PRAGMA foreign_keys=OFF"))
        meta.drop_all(conn)
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))


def _columns(engine) -> dict[str, list[str]]:
    insp = inspect(engine)
    return {t: [c["name"] for c in insp.get_columns(t)] for t in insp.get_table_names() if t != "alembic_version"}


def _digest(engine, columns: dict[str, list[str]]) -> dict[tuple[str, str], tuple[int, str]]:
    """{(table, column): (rows, SHA-256 of the column's values in primary-key order)}."""
    out = {}
    insp = inspect(engine)
    with engine.connect() as conn:
        for table, cols in sorted(columns.items()):
            pk = insp.get_pk_constraint(table).get("constrained_columns") or cols
            order = ", ".join(f'"{c}"' for c in pk)
            for col in cols:
                values = [str(v) for (v,) in conn.execute(text(f'SELECT "{col}" FROM "{table}" ORDER BY {order}'))]
                out[(table, col)] = (len(values), hashlib.sha256(repr(values).encode()).hexdigest())
    return out


@pytest.fixture
def head_rows(store_engine) -> dict[str, list[dict]]:
    """Every row of a head store holding the facts and the sample data."""
    with new_session(store_engine) as s:
        system = ensure_system_user(session=s)
        seed_facts(session=s, actor=system)
        seed_sample(session=s, actor=system, today=TODAY)
        s.commit()
    meta = MetaData()
    meta.reflect(bind=store_engine)
    with store_engine.connect() as conn:
        return {t.name: [dict(r._mapping) for r in conn.execute(select(t))]
                for t in meta.sorted_tables if t.name != "alembic_version"}


# Columns an upgrade replaces, with where their content goes: the older schema gets a value for
# them (head has none) and the content checks leave them out.
MOVED = {("meeting", "body"): "a joint body record (jointbody, meeting.body_id; migration 0003_i15)"}


def _placeholder(column):
    """A value for an older NOT NULL column that head no longer has."""
    return f"{column.table.name}.{column.name} (upgrade test)" if column.type.python_type is str else 0


def _load(conn, meta: MetaData, head_rows: dict[str, list[dict]]) -> None:
    for table in meta.sorted_tables:
        rows = head_rows.get(table.name, [])
        if not rows:
            continue
        # The head store's rows replace any a migration seeded (changecounter's row, 0006), as
        # the benchmarks' copy of a store does (bench/runner.py).
        conn.execute(table.delete())
        filled = [c for c in table.columns if c.name not in rows[0] and not c.nullable and c.server_default is None
                  and not c.primary_key]
        conn.execute(table.insert(), [{**{k: r[k] for k in (c.name for c in table.columns) if k in r},
                                       **{c.name: _placeholder(c) for c in filled}} for r in rows])


@pytest.mark.store
@pytest.mark.parametrize("revision", REVISIONS[:-1] or ["(no earlier revision)"])
def test_a_store_made_at_an_earlier_migration_upgrades_with_nothing_lost(store_engine, head_rows, revision):
    if revision not in REVISIONS:
        pytest.skip("only one migration exists")
    _reset(store_engine)
    _upgrade(store_engine, revision)
    old_columns = _columns(store_engine)
    meta = MetaData()
    meta.reflect(bind=store_engine)
    # Tables that point at each other (an agreement and its source document) cannot be loaded
    # in a foreign-key order: referential checks are off while the rows go in, as a restore does.
    with store_engine.connect() as conn:
        if store_engine.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()
        else:
            conn.exec_driver_sql("SET session_replication_role = replica")
            conn.commit()
        with conn.begin():
            _load(conn, meta, head_rows)
        if store_engine.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")
            conn.commit()
        else:
            conn.exec_driver_sql("SET session_replication_role = DEFAULT")
            conn.commit()
    before = _digest(store_engine, old_columns)
    assert sum(n for n, _ in before.values()) > 0
    upgrade_head(store_engine)
    new_columns = _columns(store_engine)
    assert set(old_columns) <= set(new_columns), "an upgrade dropped a table"
    kept = {t: [c for c in cols if c in new_columns[t]] for t, cols in old_columns.items()}
    after = _digest(store_engine, kept)
    assert after == {key: value for key, value in before.items() if key in after}
    # A column an upgrade drops must have moved its content elsewhere: name it here when one does.
    assert {key for key in before if key not in after} - set(MOVED) == set()
