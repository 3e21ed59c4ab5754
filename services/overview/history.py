"""The part of the progress history that cannot change, read once and kept per engine.

Progress updates are append-only (migration 0003_i14's triggers refuse UPDATE and DELETE),
so what the updates written before an instant say about that instant never changes, unless
an update is later written with an earlier timestamp (a seed or an import could). Two such
readings are kept, each with the highest update id it read:

- the months: per item and month, the sum of progress moves and the number of updates (what
  the progress curve and the activity heatmap add up), up to the highest update id read;
  each use adds the updates written since (a range of the primary key, however they are
  timestamped), and the reading is taken anew once those pass REREAD_AFTER;
- the state as of a past date: per item, its last update before the end of that date (what
  the KPIs' "30 days earlier" need).

Each use checks a cheap change marker first: is the last update it read still there with
the same timestamp (a restore under a running process throws the reading away)? The state
as of a date also asks: is there an update with a higher id than the reading saw,
timestamped before its cut (a primary-key range: only the updates written since)? Item attributes
(weight, status, archived, filters) are never kept here: callers join these per-item
figures to the items they select now."""
from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass
from datetime import date, datetime
from typing import Optional

import numpy as np
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from models import ActionItem, ProgressUpdate
from services.overview.months import end_of, year_month
from services.rules import as_date
from services.store import kept

_LOCK = threading.Lock()
_KEPT: "weakref.WeakKeyDictionary[Engine, dict]" = weakref.WeakKeyDictionary()


REREAD_AFTER = 20_000  # updates written since the months were read
CHUNK = 5_000  # ids per IN (...): under SQLite's and psycopg's parameter limits


@dataclass(frozen=True)
class Months:
    """Per item (row = item id) and month (column): progress moves and update counts."""

    cut: Optional[datetime]  # always None: every update up to upto_id, whatever its time
    upto_id: int
    upto_ts: Optional[datetime]
    months: tuple[str, ...]  # 'YYYY-MM', ascending
    moves: np.ndarray  # float64 [max item id + 1, len(months)]: sum(after - before), points
    counts: np.ndarray  # int32, same shape: number of updates


@dataclass
class StatesAsOf:
    """Per item (row = item id): its last update before `cut`; status '' where it had none."""

    cut: datetime
    upto_id: int
    upto_ts: Optional[datetime]
    status: dict[int, str]
    progress: dict[int, int]
    # Updates up to this id have been seen to leave the reading as it is (timestamped after
    # the cut): the check reads only those written since it last looked.
    checked_id: int
    last_update: dict[int, date]


def update_months(*, session: Session) -> tuple[Months, list[tuple[int, str, float, int]]]:
    """The kept months and the updates written since, one (item id, 'YYYY-MM', moves, 1)
    row each; the months are read again when there are more than REREAD_AFTER of those.
    Raises nothing of its own; SQL errors pass through."""
    kept = _kept(session, ("months", None), _read_months)
    newest = session.exec(select(func.max(ProgressUpdate.id))).one() or 0
    if newest - kept.upto_id > REREAD_AFTER:
        kept = _kept(session, ("months", None), _read_months, again=True)
    # Row by row, not grouped: a GROUP BY would tempt SQLite into the (item_id, ts) index and
    # a scan of every update; in id order it reads only the primary key's range since upto_id.
    rows = session.exec(
        select(ProgressUpdate.item_id, year_month(ProgressUpdate.ts),
               ProgressUpdate.progress_after - func.coalesce(ProgressUpdate.progress_before, 0))
        .where(ProgressUpdate.id > kept.upto_id).order_by(ProgressUpdate.id)
    ).all()
    return kept, [(i, m, float(d or 0), 1) for i, m, d in rows]


def states_as_of(*, session: Session, when: date) -> StatesAsOf:
    """Each item's last update before the end of `when` (UTC), kept like closed_months."""
    return _kept(session, ("as_of", end_of(when)), _read_states_as_of)


def _kept(session: Session, key: tuple, read, *, again: bool = False):  # noqa: ANN001
    engine = session.get_bind()
    with _LOCK:
        per_engine = _KEPT.setdefault(engine, {})
        found = per_engine.get(key)
    if found is not None and not again and _still_valid(session, found):
        return found
    fresh = read(session, key[1])
    with _LOCK:
        # One date's reading per kind: yesterday's is of no more use.
        for old in [k for k in per_engine if k[0] == key[0]]:
            del per_engine[old]
        per_engine[key] = fresh
    return fresh


def _still_valid(session: Session, kept: Months | StatesAsOf) -> bool:
    if isinstance(kept, StatesAsOf):
        # The updates since, in id order (the primary key's range): "ts < cut" in the WHERE
        # would tempt SQLite into the ts index and a scan of nearly every update.
        since = session.exec(select(ProgressUpdate.id, ProgressUpdate.ts).where(ProgressUpdate.id > kept.checked_id)
                             .order_by(ProgressUpdate.id)).all()
        if any(ts < kept.cut for _i, ts in since):
            return False
        if since:
            kept.checked_id = since[-1][0]
    if not kept.upto_id:
        return True
    return session.exec(select(ProgressUpdate.ts).where(ProgressUpdate.id == kept.upto_id)).first() == kept.upto_ts


def _marker(session: Session) -> tuple[int, Optional[datetime]]:
    """The newest update's id and timestamp: a reading covers the updates up to it (ids are
    not in time order: a seed or an import writes histories item by item)."""
    upto = session.exec(select(func.max(ProgressUpdate.id))).one() or 0
    ts = session.exec(select(ProgressUpdate.ts).where(ProgressUpdate.id == upto)).first() if upto else None
    return upto, ts


def _per_item_month():
    month = year_month(ProgressUpdate.ts).label("month")
    return select(
        ProgressUpdate.item_id, month,
        func.sum(ProgressUpdate.progress_after - func.coalesce(ProgressUpdate.progress_before, 0)), func.count(),
    ).group_by(ProgressUpdate.item_id, month)


def _read_months(session: Session, cut: None) -> Months:
    upto, upto_ts = _marker(session)
    rows = session.exec(_per_item_month().where(ProgressUpdate.id <= upto)).all()
    months = tuple(sorted({m for _i, m, _d, _n in rows}))
    column = {m: k for k, m in enumerate(months)}
    size = max((i for i, _m, _d, _n in rows), default=0) + 1
    moves = np.zeros((size, len(months)), dtype=np.float64)
    counts = np.zeros((size, len(months)), dtype=np.int32)
    for item_id, m, delta, n in rows:
        moves[item_id, column[m]] = float(delta or 0)
        counts[item_id, column[m]] = n
    return Months(cut=None, upto_id=upto, upto_ts=upto_ts, months=months, moves=moves, counts=counts)


def _read_states_as_of(session: Session, cut: datetime) -> StatesAsOf:
    """Two steps: each item's last update id before the cut (one index probe per item on
    (item_id, ts, id), no sort), then those rows by primary key. Joined in one statement,
    PostgreSQL hashed the whole update table against the probes."""
    upto, upto_ts = _marker(session)
    last_id = (
        select(ProgressUpdate.id)
        .where(ProgressUpdate.item_id == ActionItem.id, ProgressUpdate.ts < cut, ProgressUpdate.id <= upto)
        .order_by(ProgressUpdate.ts.desc(), ProgressUpdate.id.desc()).limit(1)
        .correlate(ActionItem).scalar_subquery()
    )
    ids = [i for i in session.exec(select(last_id).select_from(ActionItem)).all() if i is not None]
    rows = []
    for lo in range(0, len(ids), CHUNK):
        rows += session.exec(select(ProgressUpdate.item_id, ProgressUpdate.status_after, ProgressUpdate.progress_after,
                                    ProgressUpdate.ts).where(ProgressUpdate.id.in_(ids[lo:lo + CHUNK]))).all()
    return StatesAsOf(
        cut=cut, upto_id=upto, upto_ts=upto_ts, checked_id=upto,
        status={i: s for i, s, _p, _t in rows}, progress={i: p for i, _s, p, _t in rows},
        last_update={i: as_date(ts) for i, _s, _p, ts in rows},
    )


def memo(session: Session, key: tuple, compute):  # noqa: ANN001, ANN201
    """compute(), kept per engine under `key` (hashable; it must name everything the value
    depends on, the kept readings' markers included): services/store/kept.py's memo."""
    return kept.memo(session, key, compute)


def forget(engine: Engine) -> None:
    """Drop what is kept for `engine` (tests; a restore under a running process)."""
    with _LOCK:
        _KEPT.pop(engine, None)
    kept.forget(engine)
