"""Generating and loading the synthetic data, against a floor of the same rows, ready made,
inserted bare: sqlite3 executemany on SQLite, one psycopg COPY per table on PostgreSQL."""
from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from pathlib import Path

from sqlmodel import select

from bench.runner import BenchResult, Context, benchmark, median
from core.db import new_session
from models import CommitmentArea, Organisation
from services.seeding.facts import ensure_system_user, seed_facts

ITEM_COLUMNS = (
    "id", "area_id", "title", "description", "category", "lead_org_id", "owner_name",
    "start_date", "due_date", "status", "progress", "weight", "priority", "created_at",
    "last_update_at", "archived", "is_sample", "version",
)
UPDATE_COLUMNS = (
    "item_id", "ts", "author_id", "status_before", "status_after", "progress_before",
    "progress_after", "note", "source", "is_sample",
)


@benchmark("load_{scale}")
def load(ctx: Context) -> BenchResult:
    """Generating and loading the run's scale into a fresh, migrated SQLite file (the
    migration is not timed; seeding the facts is, as part of the load)."""
    _, n_items, n_updates = ctx.sizes
    times = ctx.timeit(lambda engine: ctx.load(engine, label=f"load_{ctx.scale}"),
                       setup=ctx.fresh_engine)
    floor = ctx.timeit(lambda job: _bare_insert(*job),
                       setup=lambda: _bare_job(ctx, n_items, n_updates))
    rows = n_items + n_updates
    return BenchResult(
        median_s=median(times), baseline_s=median(floor), extra={"rows": rows},
        notes=f"{n_items:,} items + {n_updates:,} updates, {rows / median(times):,.0f} rows/s; "
              f"baseline: {'bare psycopg COPY' if ctx.dialect == 'postgresql' else 'bare sqlite3 executemany'}"
              " of ready tuples",
    )


def _bare_job(ctx: Context, n_items: int, n_updates: int) -> tuple[str, list, list]:
    """A migrated file with the facts seeded (for the foreign keys), and the rows to insert
    built beforehand: the floor measures inserting, nothing else."""
    engine = ctx.fresh_engine()
    with new_session(engine) as session:
        system = ensure_system_user(session=session)
        seed_facts(session=session, actor=system)
        areas = list(session.exec(select(CommitmentArea.id)).all())
        orgs = list(session.exec(select(Organisation.id)).all())
    path = engine.url.database if ctx.dialect == "sqlite" else engine.url.render_as_string(hide_password=False)
    engine.dispose()
    start = date(2025, 5, 1)
    days = [str(start + timedelta(days=d)) for d in range(500)]
    stamps = [f"{day} 09:30:00.000000" for day in days]
    items = [
        (i, areas[i % len(areas)], f"[Synthetic] Action item {i}", "Synthetic data.",
         "other", orgs[i % len(orgs)], "Sample Officer Lim", days[i % 500],
         days[(i + 200) % 500], "in_progress", 50, 1.0, "medium", stamps[i % 500],
         stamps[(i + 100) % 500], 0, 1, 1)
        for i in range(1, n_items + 1)
    ]
    updates = [
        (1 + k % n_items, stamps[k % 500], system.id, "in_progress", "in_progress", 45, 50,
         "Draft circulated for comment.", "seed", 1)
        for k in range(n_updates)
    ]
    return path, items, updates


def _bare_insert(path: str | Path, items: list, updates: list) -> None:
    if str(path).startswith("postgresql"):
        _bare_copy(str(path), items, updates)
        return
    conn = sqlite3.connect(path)
    # The same settings as core.db gives the application's connections.
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=ON")
    with conn:
        for table, columns, rows in (("actionitem", ITEM_COLUMNS, items),
                                     ("progressupdate", UPDATE_COLUMNS, updates)):
            marks = ", ".join("?" * len(columns))
            conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)
    conn.close()


def _bare_copy(url: str, items: list, updates: list) -> None:
    """The PostgreSQL floor: psycopg's COPY of the ready tuples, in one transaction."""
    import psycopg
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    conn = psycopg.connect(host=parsed.host, port=parsed.port or 5432, user=parsed.username,
                           password=parsed.password, dbname=parsed.database, options=parsed.query.get("options"))
    with conn, conn.cursor() as cur:
        for table, columns, rows in (("actionitem", ITEM_COLUMNS, items),
                                     ("progressupdate", UPDATE_COLUMNS, updates)):
            with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
    conn.close()
