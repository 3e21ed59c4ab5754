"""The Overview's history figures from one read of the filtered items and the kept history
(services/overview/history.py): the KPIs' states 30 days earlier, the progress curve and the
activity heatmap. Each returns what its reference in services/overview/filtered.py returns
(states_as_of, monthly_progress, update_activity: the same SQL-only definitions, which
tests/unit/test_overview_trends.py compares against);
only the updates written since the history was read are read again per call."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Optional

import numpy as np
from sqlmodel import Session, select

from models import ItemStatus, Organisation
from services.items.states import ItemState
from services.overview import history, item_arrays
from services.overview.filtered import Filters
from services.overview.kept_items import ItemFacts, kept_items


def item_facts(*, session: Session, filters: Filters) -> ItemFacts:
    """The live items matching `filters` (as filtered.current_states), in id order: kept
    between saves and brought up to date by services/overview/kept_items.py."""
    return kept_items(session=session, filters=filters, today=None).facts


def states_as_of(*, session: Session, facts: ItemFacts, when: date) -> list[ItemState]:
    """Each item as it stood at the end of `when` (filtered.states_as_of), from the kept
    last-update-before reading; items created later are left out."""
    kept = history.states_as_of(session=session, when=when)
    out = []
    for s in facts.now:
        created = facts.created[s.id]
        if created > when:
            continue
        status = kept.status.get(s.id)
        out.append(ItemState(
            id=s.id, area_id=s.area_id, status=status or ItemStatus.NOT_STARTED.value,
            progress=kept.progress[s.id] if status else 0, weight=s.weight, start=s.start, due=s.due,
            last_update=kept.last_update[s.id] if status else created,
        ))
    return out


@dataclass(frozen=True)
class _Columns:
    """What the trends read of each item, as columns in id order."""

    ids: np.ndarray  # int64
    weight: np.ndarray  # float64
    counted: np.ndarray  # bool: not cancelled
    created_month: np.ndarray  # int64 YYYYMM
    lead: np.ndarray  # int64; -1 when none
    row: dict[int, int]  # item id -> its position


def _columns(facts: ItemFacts, arrays: Optional[item_arrays.Arrays]) -> _Columns:
    cancelled = item_arrays.STATUSES.index(ItemStatus.CANCELLED.value)
    if arrays is not None:
        return _Columns(arrays.ids, arrays.weight, arrays.status != cancelled, arrays.created_month,
                        arrays.lead, arrays.row)
    now = facts.now
    return _Columns(
        ids=np.fromiter((s.id for s in now), np.int64, len(now)),
        weight=np.fromiter((s.weight for s in now), np.float64, len(now)),
        counted=np.fromiter((s.status != ItemStatus.CANCELLED.value for s in now), bool, len(now)),
        created_month=np.fromiter((int(facts.created_month[s.id].replace("-", "")) for s in now), np.int64, len(now)),
        lead=np.fromiter((-1 if facts.lead[s.id] is None else facts.lead[s.id] for s in now), np.int64, len(now)),
        row={s.id: k for k, s in enumerate(now)},
    )


def monthly_progress(*, session: Session, facts: ItemFacts, filters: Filters, today: date,
                     arrays: Optional[item_arrays.Arrays] = None,
                     history_months: Optional[tuple] = None) -> list[tuple[str, float]]:
    """Portfolio weighted % complete at the end of each month (filtered.monthly_progress).
    `arrays`: the same items as columns (kept_items), when the caller has them;
    `history_months`: history.update_months' answer, when the caller read it already."""
    c = _columns(facts, arrays)
    kept, since = history_months or history.update_months(session=session)
    inside = c.counted & (c.ids < kept.moves.shape[0])
    rows, w = c.ids[inside], c.weight[inside]
    moves: dict[str, float] = {}
    if len(rows) and kept.months:
        # einsum's own loop, not the matrix product: `@` goes to the BLAS library, whose
        # worker threads then spin on every core for a while (at L they doubled the process's
        # CPU time for the whole rerun, on a server where the database needs those cores).
        sums = np.einsum("i,ij->j", w, kept.moves[rows])
        seen = kept.counts[rows].sum(axis=0)
        moves = {m: float(v) for m, v, n in zip(kept.months, sums, seen) if n > 0}
    for item_id, m, delta, _n in since:
        k = c.row.get(item_id)
        if k is not None and c.counted[k]:
            moves[m] = moves.get(m, 0.0) + float(c.weight[k]) * delta
    # Summed per month in id order (np.bincount adds one item after another): a loop's floats.
    months, which = np.unique(c.created_month[c.counted], return_inverse=True)
    sums = np.bincount(which, weights=c.weight[c.counted], minlength=len(months))
    weights = {f"{m // 100:04d}-{m % 100:02d}": w for m, w in zip(months.tolist(), sums.tolist())}
    total = done = 0.0
    out = []
    for m in sorted(set(moves) | set(weights)):
        done += moves.get(m, 0.0)
        total += weights.get(m, 0.0)
        if total > 0:
            out.append((m, done / total))
    lo = filters.date_from.strftime("%Y-%m") if filters.date_from else ""
    hi = filters.date_to.strftime("%Y-%m") if filters.date_to else "9999"
    return [(m, v) for m, v in out if lo <= m <= hi]


def update_activity(*, session: Session, facts: ItemFacts, filters: Filters, today: date,
                    months: int = 12, arrays: Optional[item_arrays.Arrays] = None,
                    history_months: Optional[tuple] = None) -> list[tuple[str, str, int]]:
    """(lead organisation acronym, 'YYYY-MM', number of updates) (filtered.update_activity).
    `arrays`: the same items as columns (kept_items), when the caller has them;
    `history_months`: history.update_months' answer, when the caller read it already."""
    start = filters.date_from or (today.replace(day=1) - timedelta(days=31 * (months - 1))).replace(day=1)
    lo, hi = start.strftime("%Y-%m"), (filters.date_to or today).strftime("%Y-%m")
    acronyms = dict(session.exec(select(Organisation.id, Organisation.acronym)).all())
    c = _columns(facts, arrays)
    led = np.isin(c.lead, np.fromiter(acronyms, np.int64, len(acronyms)))
    kept, since = history_months or history.update_months(session=session)
    cells: dict[tuple[str, str], int] = defaultdict(int)
    shown = [k for k, m in enumerate(kept.months) if lo <= m <= hi]
    inside = led & (c.ids < kept.moves.shape[0])
    rows = c.ids[inside]
    if shown and len(rows):
        orgs, where = np.unique(c.lead[inside], return_inverse=True)
        counts = kept.counts[rows][:, shown]
        per_org = np.stack([np.bincount(where, weights=counts[:, j], minlength=len(orgs)) for j in range(len(shown))],
                           axis=1).astype(np.int64)
        for a, b in zip(*np.nonzero(per_org)):
            cells[(acronyms[int(orgs[a])], kept.months[shown[b]])] += int(per_org[a, b])
    for item_id, m, _delta, n in since:
        k = c.row.get(item_id)
        if k is not None and led[k] and lo <= m <= hi:
            cells[(acronyms[int(c.lead[k])], m)] += n
    return [(o, m, n) for (o, m), n in cells.items() if n > 0]
