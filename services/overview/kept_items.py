"""The Overview's read of the live items, kept per engine and filters between saves.

A save changes one item; reading all 10,000 (100,000 at L) again, and rating each one, was
most of the Overview's time after a save. What is kept here is refreshed from one narrow scan
of (id, version) under the same filters: every write to an item goes through the ORM, whose
version column moves on each UPDATE (services/items/batch.py moves it by hand), so an item
whose version is unchanged is unchanged. Items that left the filters (archived, or their area
or agreement archived) drop out of the scan; items that joined it are read. Only the changed
rows are read again and rated again, unless they are more than REREAD_SHARE of the items.

The per-item figures that depend on the day (RAG, overdue, stale, expected progress, the
order of relevance) are kept for one day and worked out again for all items when it turns."""
from __future__ import annotations

import itertools
import threading
import weakref
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Optional

import numpy as np
from sqlalchemy import String, and_, or_, type_coerce
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from models import ActionItem, Agreement, CommitmentArea, ProgressUpdate
from services import labels, rules
from services.items.states import ItemState, joined_to_agreement
from services.overview import item_arrays
from services.overview.filtered import Filters, data_version, filter_conditions, item_conditions
from services.overview.months import utc_day

REREAD_SHARE = 0.2  # more changed items than this share of all: read them all again
CHUNK = 5_000  # ids per IN (...): under SQLite's and psycopg's parameter limits
FILTERS_KEPT = 8  # filter choices kept per engine, the oldest dropped first

_LOCK = threading.Lock()
_KEPT: "weakref.WeakKeyDictionary[Engine, dict]" = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class ItemFacts:
    """One read of the filtered live items: what now, 30 days earlier and the trends need.
    `now` is in item id order."""

    now: list[ItemState]
    created: dict[int, date]  # item id -> the UTC day it was created
    created_month: dict[int, str]  # item id -> 'YYYY-MM' of that day
    lead: dict[int, Optional[int]]  # item id -> lead organisation id
    by_id: dict[int, ItemState] = field(default_factory=dict)  # item id -> its entry in `now`
    # Changes when an item joins or leaves, or its weight or dates change (not its status or
    # progress): what the figures as of a past date depend on, as a cheap key.
    shape: tuple = ()


@dataclass(frozen=True)
class Rated:
    """One item's figures on one day (services/rules.py's rules, worked out once)."""

    rag: Optional[str]
    overdue: bool
    stale: bool  # open and not updated for more than rules.STALE_AFTER_DAYS
    expected: Optional[float]  # rules.expected_progress, percent
    relevance: tuple  # figures.relevance's key: overdue first, then Red, Amber, the rest


@dataclass
class _Kept:
    versions: dict[int, int]
    states: dict[int, ItemState]
    created: dict[int, date]
    lead: dict[int, Optional[int]]
    created_month: dict[int, str]
    marker: tuple  # (newest update id, its timestamp) when read: a restore replaces it
    shape: Optional[int] = None  # hash of the items' ids, weights and dates; None: to be taken
    day: Optional[date] = None
    rated: dict[int, Rated] = field(default_factory=dict)
    arrays: Optional[item_arrays.Arrays] = None  # for `day`; None: to be built
    pending: set[int] = field(default_factory=set)  # items whose array rows are out of date
    scan: Optional[tuple[np.ndarray, np.ndarray]] = None  # the last (ids, versions) scan taken in
    seen: Optional[tuple] = None  # filtered.data_version when last brought up to date
    # The parts named here were handed out (kept_items' answer reads them as they are): _own()
    # copies each before its first change, so an answer never changes under its reader.
    shared: set[str] = field(default_factory=set)


HANDED_OUT = ("states", "created", "created_month", "lead", "rated", "arrays")


def _own(kept: _Kept, *parts: str) -> None:
    """Copy the `parts` of `kept` that kept_items handed out before changing them (copy on
    write: a rerun that changes nothing, as the agreement roll-ups after the figures, copies
    nothing; a save copies what it changes: an item's state, not its creation day)."""
    for name in kept.shared.intersection(parts):
        value = getattr(kept, name)
        setattr(kept, name, value.copy() if value is not None else None)
        kept.shared.discard(name)


@dataclass(frozen=True)
class KeptItems:
    """What overview_data reads: the items and each one's figures on `day`."""

    facts: ItemFacts
    rated: dict[int, Rated]
    arrays: Optional[item_arrays.Arrays]  # the same items as columns (None when no day was given)


def _columns():
    # The dates come as the driver gives them (SQLite: text; PostgreSQL: dates): SQLAlchemy's
    # own text-to-date step cost more than the query itself at 10,000 items.
    return (ActionItem.id, ActionItem.area_id, ActionItem.status, ActionItem.progress, ActionItem.weight,
            type_coerce(ActionItem.start_date, String), type_coerce(ActionItem.due_date, String),
            utc_day(func.coalesce(ActionItem.last_update_at, ActionItem.created_at)),
            utc_day(ActionItem.created_at), ActionItem.lead_org_id, ActionItem.version)


def _day(value: object) -> Optional[date]:
    """A date column's value as read untyped: a date already, ISO text, or None."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def _read(session: Session, filters: Filters, ids: Optional[list[int]] = None) -> list:
    """Rows of _columns() for the live items matching `filters` (only `ids` when given).
    Through the connection: plain rows, without the ORM's per-row loading."""
    stmt = joined_to_agreement(select(*_columns())).where(and_(*item_conditions(filters)))
    if ids is None:
        return session.connection().execute(stmt).all()
    rows = []
    for lo in range(0, len(ids), CHUNK):
        rows += session.connection().execute(stmt.where(ActionItem.id.in_(ids[lo:lo + CHUNK]))).all()
    return rows


def _marker(session: Session) -> tuple:
    newest = session.exec(select(func.max(ProgressUpdate.id))).one() or 0
    ts = session.exec(select(ProgressUpdate.ts).where(ProgressUpdate.id == newest)).first() if newest else None
    return newest, ts


def _still_there(session: Session, marker: tuple) -> bool:
    """Is the newest update of the reading still there, with its timestamp (not restored over)?"""
    upto, ts = marker
    return not upto or session.exec(select(ProgressUpdate.ts).where(ProgressUpdate.id == upto)).first() == ts


def _fresh(session: Session, filters: Filters) -> _Kept:
    kept = _Kept(versions={}, states={}, created={}, lead={}, created_month={}, marker=_marker(session))
    _take(kept, sorted(_read(session, filters), key=lambda r: r[0]))
    return kept


def _take(kept: _Kept, rows: list) -> None:
    """Put `rows` (of _columns()) into `kept`, replacing the same items' figures."""
    _own(kept, "states", "rated")
    day = date.fromisoformat
    for r in rows:
        kept.versions[r[0]] = r[10]
        old = kept.states.get(r[0])
        new = kept.states[r[0]] = ItemState(id=r[0], area_id=r[1], status=r[2], progress=r[3], weight=r[4],
                                            start=_day(r[5]), due=_day(r[6]), last_update=day(r[7]))
        if old is None or (old.weight, old.start, old.due) != (new.weight, new.start, new.due):
            kept.shape = None
        month = r[8][:7] if isinstance(r[8], str) else r[8].isoformat()[:7]
        for name, value in (("created", day(r[8])), ("created_month", month), ("lead", r[9])):
            part = getattr(kept, name)
            if r[0] not in part or part[r[0]] != value:  # mostly the same: copied only when not
                _own(kept, name)
                getattr(kept, name)[r[0]] = value
        kept.rated.pop(r[0], None)
        kept.pending.add(r[0])


def _scan_conditions(filters: Filters) -> list:
    """item_conditions(filters) on the item table alone: the areas whose items are not live
    (the area or its agreement archived: few) and the agreements chosen come as subqueries,
    which the database reads once and hashes, instead of joining 100,000 items to 20,000
    areas and 5,000 agreements (at L on PostgreSQL that join was half of the scan's time).
    The same items as the join: every item has an area and every area an agreement."""
    area = select(CommitmentArea.id).join(Agreement, Agreement.id == CommitmentArea.agreement_id)
    conds = [~ActionItem.archived, ActionItem.area_id.not_in(area.where(or_(CommitmentArea.archived, Agreement.archived)))]
    if filters.agreements:
        conds.append(ActionItem.area_id.in_(area.where(Agreement.code.in_(filters.agreements))))
    return conds + filter_conditions(replace(filters, agreements=()))


def _scan(session: Session, filters: Filters) -> tuple[np.ndarray, np.ndarray]:
    """(ids, versions) of the live items matching `filters`, by id. On PostgreSQL the pairs
    come as one text (string_agg): 100,000 rows cost more to fetch than to compare."""
    where = and_(*_scan_conditions(filters))
    if session.get_bind().dialect.name == "postgresql":
        pair = func.concat(ActionItem.id, ",", ActionItem.version)
        text = session.connection().execute(select(func.string_agg(pair, ",")).where(where)).scalar()
        flat = np.fromstring(text, dtype=np.int64, sep=",") if text else np.zeros(0, np.int64)
    else:
        rows = session.connection().execute(select(ActionItem.id, ActionItem.version).where(where)).all()
        flat = np.fromiter(itertools.chain.from_iterable(rows), np.int64, 2 * len(rows))
    ids, versions = flat[0::2], flat[1::2]
    order = np.argsort(ids, kind="stable")
    return ids[order], versions[order]


def _refresh(session: Session, filters: Filters, kept: _Kept) -> _Kept:
    """`kept` brought up to date by the (id, version) scan; a new reading when too much moved."""
    ids, versions = _scan(session, filters)
    if kept.scan is not None and np.array_equal(ids, kept.scan[0]):  # the same items: compare versions
        changed, gone = ids[versions != kept.scan[1]].tolist(), []
    else:
        now = dict(zip(ids.tolist(), versions.tolist()))
        changed = [i for i, v in now.items() if kept.versions.get(i) != v]
        gone = [i for i in kept.versions if i not in now]
    if len(changed) + len(gone) > REREAD_SHARE * max(len(ids), 1):
        return _fresh(session, filters)
    if gone:
        _own(kept, *HANDED_OUT)
        kept.shape = None
        kept.arrays = None
    for i in gone:
        for part in (kept.versions, kept.states, kept.created, kept.lead, kept.created_month, kept.rated):
            part.pop(i, None)
    if changed:
        joined = [i for i in changed if i not in kept.versions]
        rows = _read(session, filters, changed)
        if len(rows) != len(changed):  # archived between the scan and the read
            return _fresh(session, filters)
        _take(kept, rows)
        if joined:
            kept.arrays = None
        if joined and min(joined) < max(kept.versions):
            _resort(kept)
    kept.scan = (ids, versions)
    return kept


def _resort(kept: _Kept) -> None:
    """Item id order again, after items came back or joined in the middle."""
    for name in ("versions", "states", "created", "lead", "created_month"):
        part = getattr(kept, name)
        setattr(kept, name, {i: part[i] for i in sorted(part)})


def rate(s: ItemState, today: date) -> Rated:
    """`s`'s figures on `today`, by the rules in services/rules.py."""
    rag = s.rag(today)
    overdue = rules.is_overdue(status=s.status, due=s.due, today=today)
    return Rated(rag=rag, overdue=overdue, stale=rules.is_open(s.status) and rules.is_stale(s.last_update, today),
                 expected=rules.expected_progress(s.start, s.due, today),
                 relevance=(not overdue, labels.RAG_ORDER.index(labels.rag_key(rag)), s.due or date.max, s.id))


def kept_items(*, session: Session, filters: Filters, today: Optional[date], rescan: bool = True,
               seen: Optional[tuple] = None) -> KeptItems:
    """The live items matching `filters` (as filtered.current_states, in id order) and each
    one's figures on `today` (none when None), kept for the session's engine and brought up
    to date by the (id, version) scan. With `rescan` False the scan is skipped when nothing
    was written since the last one, as filtered.data_version tells (audited writes: a page's
    second use of the same items in one view). `seen`: filtered.data_version as the caller
    read it before this call (a page reads it once per rerun), else read here; an older one
    only makes the next call without `rescan` scan again.
    Raises nothing of its own; SQL errors pass through."""
    engine = session.get_bind()
    with _LOCK:
        per_engine = _KEPT.setdefault(engine, {})
        kept = per_engine.pop(filters, None)
    seen = data_version(session=session) if seen is None else seen
    if kept is None or not _still_there(session, kept.marker):
        kept = _fresh(session, filters)
    elif rescan or kept.seen != seen:
        kept = _refresh(session, filters, kept)
    kept.seen = seen
    if today is not None:
        _rate_all(kept, today)
    # Handed out as they are: the next change copies them first (_own), so these stay as read.
    facts = ItemFacts(now=list(kept.states.values()), created=kept.created, created_month=kept.created_month,
                      lead=kept.lead, by_id=kept.states, shape=(_shape(kept),))
    out = KeptItems(facts=facts, rated=kept.rated if today is not None else {},
                    arrays=kept.arrays if today is not None else None)
    kept.shared = set(HANDED_OUT)
    with _LOCK:
        per_engine[filters] = kept  # the newest last: the oldest goes first
        while len(per_engine) > FILTERS_KEPT:
            del per_engine[next(iter(per_engine))]
    return out


def _shape(kept: _Kept) -> int:
    """A hash of what the figures as of a past date read of the items (ids, weights, dates,
    creation days), taken again only after one of those changed: equal content, equal key."""
    if kept.shape is None:
        kept.shape = hash(tuple((s.id, s.weight, s.start, s.due, kept.created[s.id]) for s in kept.states.values()))
    return kept.shape


def _rate_all(kept: _Kept, today: date) -> None:
    """Every item rated on `today` and the arrays up to date (built afresh when the day turned
    or items joined or left; else the changed items' rows rewritten)."""
    if kept.day != today:
        kept.day, kept.rated, kept.arrays = today, {}, None
    if kept.pending:
        _own(kept, "rated", "arrays")  # ratings and array rows are rewritten in place below
    todo = kept.pending if kept.rated else kept.states  # unrated: only what changed, on the same day
    for i in list(todo):
        s = kept.states.get(i)
        if s is not None and i not in kept.rated:
            kept.rated[i] = rate(s, today)
    if kept.arrays is None:
        kept.arrays = item_arrays.build(kept.states.values(), kept.rated, kept.created, kept.lead)
    else:
        for i in kept.pending:
            item_arrays.put(kept.arrays, kept.arrays.row[i], kept.states[i], kept.rated[i], kept.created[i],
                            kept.lead[i])
    kept.pending.clear()


def forget(engine: Engine) -> None:
    """Drop what is kept for `engine` (tests; a restore under a running process)."""
    with _LOCK:
        _KEPT.pop(engine, None)
