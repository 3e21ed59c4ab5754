"""The benchmark runner: a registry, a prepared database per run, a table and latest.json.

Adding a benchmark is one decorated function in a new bench/bench_<topic>.py, found and
imported automatically:

    from bench.runner import BenchResult, Context, benchmark, median

    @benchmark("items_page")
    def items_page(ctx: Context) -> BenchResult:
        with new_session(ctx.engine) as session:   # the shared database: read only
            times = ctx.timeit(lambda: list_items(session=session, today=ctx.today))
        return BenchResult(median_s=median(times))

Benchmarks that write use ctx.copy_engine() (a private copy of the loaded database) or
ctx.fresh_engine() (an empty migrated one), never ctx.engine.

With BENCH_DATABASE_URL=postgresql+psycopg://... the databases are PostgreSQL schemas in that
database instead of SQLite files: each engine's connections set search_path to a schema of
its own (bench_<pid>_<n>, named in the URL's options so a subprocess or AppTest reading
DATABASE_URL lands in the same one), and every schema is dropped when the run ends, so the
database is left as it was found.
"""
from __future__ import annotations

import importlib
import json
import multiprocessing
import os
import pkgutil
import shutil
import sqlite3
import statistics
import sys
import time
import traceback
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Optional

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url
from sqlmodel import SQLModel

from core.db import make_engine
from core.migrate import upgrade_head
from services.seeding.synthetic import SCALES, generate_synthetic

BENCH_DIR = Path(__file__).resolve().parent
RESULTS_DIR = BENCH_DIR / "results"
DEFAULT_REPEAT = {"S": 5, "M": 3, "L": 1}


@dataclass
class BenchResult:
    median_s: float
    baseline_s: Optional[float] = None
    ratio: Optional[float] = None  # median / baseline, filled in when a baseline is given
    notes: str = ""
    extra: dict[str, Any] = field(default_factory=dict)  # e.g. {"peak_mb": 212.0}

    def __post_init__(self) -> None:
        if self.ratio is None and self.baseline_s:
            self.ratio = self.median_s / self.baseline_s


@dataclass(frozen=True)
class Benchmark:
    name: str  # may hold "{scale}", e.g. "load_{scale}" registers load_S, load_M, load_L
    fn: Callable[["Context"], BenchResult]
    scales: tuple[str, ...]


REGISTRY: dict[str, Benchmark] = {}


def benchmark(name: str, scales: Iterable[str] = ("S", "M", "L")) -> Callable:
    def register(fn: Callable[["Context"], BenchResult]) -> Callable:
        known = REGISTRY.get(name)
        if known and known.fn.__qualname__ != fn.__qualname__:
            raise ValueError(f"benchmark {name!r} is registered twice")
        REGISTRY[name] = Benchmark(name, fn, tuple(scales))
        return fn
    return register


def median(times: list[float]) -> float:
    return statistics.median(times)


class Context:
    """What a benchmark gets: the scale, today, the repeat count and its databases."""

    def __init__(self, *, scale: str, today: date, repeat: int, workdir: Path, seed: int = 1,
                 database_url: Optional[str] = None):
        self.scale, self.today, self.repeat, self.seed = scale, today, repeat, seed
        self.workdir = workdir
        self.database_url = database_url  # a PostgreSQL database to make schemas in; None: SQLite
        self._schemas: list[str] = []
        self._engines: list[Engine] = []
        self._shared: Optional[Engine] = None
        self._count = 0

    @property
    def sizes(self) -> tuple[int, int, int]:
        return SCALES[self.scale]

    @property
    def engine(self) -> Engine:
        """The run's loaded database, built at first use and shared: read from it only."""
        if self._shared is None:
            started = time.perf_counter()
            self._shared = self.fresh_engine()
            self.load(self._shared, label=f"shared database, scale {self.scale}")
            _say(f"shared database ready in {time.perf_counter() - started:.1f} s")
        return self._shared

    @property
    def dialect(self) -> str:
        return "postgresql" if self.database_url else "sqlite"

    def fresh_engine(self) -> Engine:
        """A new, empty, migrated database of the benchmark's own (SQLite file or PG schema)."""
        engine = self._track_schema(self._new_schema()) if self.database_url else self._track(self._new_path())
        upgrade_head(engine)
        return engine

    def copy_engine(self) -> Engine:
        """A private copy of the loaded database, for benchmarks that write."""
        if self.database_url:
            return self._copy_schema()
        path = self._new_path()
        with self.engine.connect() as conn:
            dest = sqlite3.connect(path)
            conn.connection.driver_connection.backup(dest)
            dest.close()
        return self._track(path)

    def _new_path(self) -> Path:
        self._count += 1
        return self.workdir / f"db{self._count}.sqlite"

    def _track(self, path: Path) -> Engine:
        engine = make_engine(f"sqlite:///{path}")
        self._engines.append(engine)
        return engine

    def _new_schema(self) -> str:
        self._count += 1
        schema = f"bench_{os.getpid()}_{self._count}"
        with self._admin() as admin, admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        self._schemas.append(schema)
        return schema

    def _track_schema(self, schema: str) -> Engine:
        url = make_url(self.database_url).update_query_dict({"options": f"-csearch_path={schema}"})
        engine = make_engine(url.render_as_string(hide_password=False))
        self._engines.append(engine)
        return engine

    def _copy_schema(self) -> Engine:
        """A new schema migrated to head, then every table's rows copied in SQL from the
        shared one (the same migrations made both, so the columns line up), sequences moved on."""
        source = self.engine.url.query["options"].split("=", 1)[1]
        engine = self.fresh_engine()
        target = engine.url.query["options"].split("=", 1)[1]
        # The change counters last, replacing the row the migration made: the triggers move
        # them while the other tables are copied in.
        tables = sorted(SQLModel.metadata.sorted_tables, key=lambda t: t.name == "changecounter")
        with engine.begin() as conn:
            for table in tables:
                if table.name == "changecounter":
                    conn.execute(text(f'DELETE FROM "{target}"."{table.name}"'))
                conn.execute(text(f'INSERT INTO "{target}"."{table.name}" SELECT * FROM "{source}"."{table.name}"'))
                if "id" in table.columns and table.columns["id"].autoincrement in (True, "auto"):
                    conn.execute(text(
                        f"SELECT setval(pg_get_serial_sequence('\"{target}\".\"{table.name}\"', 'id'), "
                        f'(SELECT COALESCE(MAX(id), 0) + 1 FROM "{target}"."{table.name}"), false)'))
        _analyze(engine)
        return engine

    def _admin(self) -> AbstractContextManager[Engine]:
        return _throwaway_engine(self.database_url)

    def load(self, engine: Engine, *, label: str = "") -> dict[str, int]:
        counts = generate_synthetic(engine=engine, scale=self.scale, today=self.today,
                                    seed=self.seed, progress=self.progress(label or self.scale))
        _analyze(engine)
        return counts

    def progress(self, label: str) -> Callable[[int, int], None]:
        """A progress reporter on stderr, for loads long enough to wonder about."""
        shown = [-1]

        def report(done: int, total: int) -> None:
            tenth = done * 10 // max(total, 1)
            if total >= 100_000 and tenth != shown[0]:
                shown[0] = tenth
                live = done < total and sys.stderr.isatty()
                _say(f"  {label}: {done:,}/{total:,} updates", end="\r" if live else "\n")
        return report

    def timeit(self, fn: Callable, repeat: Optional[int] = None, *,
               setup: Optional[Callable] = None, warmup: int = 0) -> list[float]:
        """Seconds per run of fn(); with setup, fn(setup()) and setup is not timed."""
        times = []
        for i in range(warmup + (repeat or self.repeat)):
            arg = setup() if setup else None
            started = time.perf_counter()
            fn(arg) if setup else fn()
            if i >= warmup:
                times.append(time.perf_counter() - started)
        return times

    def measure_in_child(self, fn: Callable[[], Any]) -> tuple[float, float]:
        """(seconds, peak MB) of fn() in a forked child; VmHWM is read inside the child
        because getrusage there reports the parent's peak. The peak includes what this
        process held when it forked; touch ctx.engine first if fn reads it, or the child
        builds (and throws away) the shared database itself."""
        mp = multiprocessing.get_context("fork")
        receive, send = mp.Pipe(duplex=False)
        child = mp.Process(target=_child_main, args=(fn, send, self._engines))
        child.start()
        outcome = receive.recv()
        child.join()
        if isinstance(outcome, str):
            raise RuntimeError(f"benchmark child failed:\n{outcome}")
        return outcome

    def close(self) -> None:
        """Dispose of every engine; on PostgreSQL drop every schema the run made."""
        for engine in self._engines:
            engine.dispose()
        if self._schemas:
            with self._admin() as admin:
                for schema in self._schemas:  # one transaction each: a schema's tables take many locks
                    with admin.begin() as conn:
                        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            self._schemas.clear()


def _analyze(engine: Engine) -> None:
    """Planner statistics for tables just filled in bulk (PostgreSQL's autovacuum would take
    them a while later; a server that has run for a day has them). SQLite: nothing."""
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:  # table by table: a bare ANALYZE covers every schema
            for table in SQLModel.metadata.sorted_tables:
                conn.execute(text(f'ANALYZE "{table.name}"'))


@contextmanager
def _throwaway_engine(url: str) -> Iterator[Engine]:
    """An engine on `url` for a few statements (creating and dropping schemas), disposed after."""
    engine = create_engine(url)
    try:
        yield engine
    finally:
        engine.dispose()


def _child_main(fn: Callable, send, engines: list[Engine]) -> None:
    try:
        for engine in engines:  # pooled connections belong to the parent
            engine.dispose(close=False)
        started = time.perf_counter()
        fn()
        send.send((time.perf_counter() - started, _vmhwm_mb()))
    except BaseException:  # noqa: BLE001 - the parent waits for an answer either way
        send.send(traceback.format_exc())


def _vmhwm_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _say(message: str, end: str = "\n") -> None:
    print(message, end=end, file=sys.stderr, flush=True)


def discover() -> list[str]:
    """Import every bench/bench_*.py; returns the errors of those that fail to import."""
    errors = []
    for module in pkgutil.iter_modules([str(BENCH_DIR)]):
        if module.name.startswith("bench_"):
            try:
                importlib.import_module(f"bench.{module.name}")
            except Exception:  # noqa: BLE001 - one broken module must not stop the others
                errors.append(f"bench/{module.name}.py:\n{traceback.format_exc()}")
    return errors


def _selected(scale: str, only: Optional[list[str]]) -> tuple[list[tuple[str, Benchmark]], list[str]]:
    runnable = {b.name.format(scale=scale): b for b in REGISTRY.values() if scale in b.scales}
    unknown = [name for name in only or [] if name not in runnable]
    names = [n for n in runnable if not only or n in only]
    return [(n, runnable[n]) for n in sorted(names)], unknown


def main(scale: str = "S", only: Optional[Iterable[str] | str] = None,
         repeat: Optional[int] = None, *, today: Optional[date] = None) -> int:
    """Run the benchmarks at `scale`, print a table, update bench/results/latest.json."""
    if scale not in SCALES:
        _say(f"unknown scale {scale!r}; choose from {', '.join(SCALES)}")
        return 2
    only = [only] if isinstance(only, str) else list(only) if only else None
    failures = discover()
    for failure in failures:
        _say(f"could not import {failure}")
    chosen, unknown = _selected(scale, only)
    if unknown:
        available = ", ".join(n for n, _ in _selected(scale, None)[0])
        _say(f"no benchmark {', '.join(unknown)} at scale {scale}; available: {available}")
        return 2
    workdir = RESULTS_DIR / "tmp" / f"run-{datetime.now():%Y%m%d-%H%M%S}-{os.getpid()}"
    workdir.mkdir(parents=True, exist_ok=True)
    database_url = os.environ.get("BENCH_DATABASE_URL") or None
    if database_url and not database_url.startswith("postgresql"):
        _say("BENCH_DATABASE_URL must be a postgresql+psycopg:// URL (unset: SQLite files)")
        return 2
    ctx = Context(scale=scale, today=today or date.today(), repeat=repeat or DEFAULT_REPEAT.get(scale, 3),
                  workdir=workdir, database_url=database_url)
    if database_url:
        _say(f"benchmarks on PostgreSQL: {make_url(database_url).render_as_string(hide_password=True)}")
    results: dict[str, Optional[BenchResult]] = {}
    try:
        for name, bench in chosen:
            results[name] = _run_one(name, bench, ctx)
    finally:
        ctx.close()
        shutil.rmtree(workdir, ignore_errors=True)
    print(format_table(results))
    write_results(results, scale=scale, repeat=ctx.repeat, store=ctx.dialect)
    return 1 if failures or None in results.values() else 0


def _run_one(name: str, bench: Benchmark, ctx: Context) -> Optional[BenchResult]:
    _say(f"running {name} ...")
    try:
        return bench.fn(ctx)
    except Exception:  # noqa: BLE001 - report it and go on with the others
        _say(f"{name} failed:\n{traceback.format_exc()}")
        return None


def _fmt_s(seconds: Optional[float]) -> str:
    if seconds is None:
        return "-"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} us"
    return f"{seconds * 1e3:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def format_table(results: dict[str, Optional[BenchResult]]) -> str:
    header = ("benchmark", "median", "baseline", "ratio", "notes")
    rows = [header]
    for name, r in results.items():
        if r is None:
            rows.append((name, "FAILED", "-", "-", "see the error above"))
            continue
        ratio = f"{r.ratio:.2f}x" if r.ratio is not None else "-"
        rows.append((name, _fmt_s(r.median_s), _fmt_s(r.baseline_s), ratio, r.notes))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row[:4], widths)) + "  " + row[4]
             for row in rows]
    lines.insert(1, "-" * max(len(line) for line in lines))
    return "\n".join(line.rstrip() for line in lines)


def write_results(results: dict[str, Optional[BenchResult]], *, scale: str, repeat: int,
                  store: str = "sqlite") -> Path:
    """Merge into latest.json, so a run of one benchmark keeps the others' last figures;
    a failed benchmark's old figure is dropped rather than left to mislead."""
    path = RESULTS_DIR / "latest.json"
    data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    run_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    for name, r in results.items():
        if store != "sqlite":  # beside the SQLite figures, not in their place
            name = f"{name} ({store})"
        if r is None:
            data.pop(name, None)
            continue
        data[name] = {"median_s": r.median_s, "baseline_s": r.baseline_s, "ratio": r.ratio,
                      "scale": scale, "repeat": repeat, "notes": r.notes, **r.extra,
                      "store": store, "run_at": run_at}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path
