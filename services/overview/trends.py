"""The Overview's history figures from one read of the filtered items and the kept history
(services/overview/history.py): the KPIs' states 30 days earlier, the progress curve and the
activity heatmap. Each returns what its reference in services/overview/filtered.py returns
(states_as_of, monthly_progress, update_activity: the same SQL-only definitions, which
tests/unit/test_overview_trends.py compares against);
only the updates written since the history was read are read again per call."""
from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

import numpy as np
from sqlmodel import Session, select

from models import ItemStatus, Organisation
from services.items.states import ItemState
from services.overview import history
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


def _rows_of(kept: history.Months, ids: list[int]) -> np.ndarray:
    """Row numbers of `ids` in the kept arrays (items newer than the reading have none)."""
    return np.array([i for i in ids if i < kept.moves.shape[0]], dtype=np.int64)


def monthly_progress(*, session: Session, facts: ItemFacts, filters: Filters, today: date) -> list[tuple[str, float]]:
    """Portfolio weighted % complete at the end of each month (filtered.monthly_progress)."""
    counted = [s for s in facts.now if s.status != ItemStatus.CANCELLED.value]
    kept, since = history.update_months(session=session)
    ids = np.fromiter((s.id for s in counted), dtype=np.int64, count=len(counted))
    ws = np.fromiter((s.weight for s in counted), dtype=np.float64, count=len(counted))
    inside = ids < kept.moves.shape[0]
    rows, w = ids[inside], ws[inside]
    moves: dict[str, float] = {}
    if len(rows) and kept.months:
        sums = w @ kept.moves[rows]
        seen = kept.counts[rows].sum(axis=0)
        moves = {m: float(v) for m, v, n in zip(kept.months, sums, seen) if n > 0}
    if since:
        weight = {s.id: s.weight for s in counted}
        for item_id, m, delta, _n in since:
            if item_id in weight:
                moves[m] = moves.get(m, 0.0) + weight[item_id] * delta
    weights: dict[str, float] = defaultdict(float)
    for s in counted:
        weights[facts.created_month[s.id]] += s.weight
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
                    months: int = 12) -> list[tuple[str, str, int]]:
    """(lead organisation acronym, 'YYYY-MM', number of updates) (filtered.update_activity)."""
    start = filters.date_from or (today.replace(day=1) - timedelta(days=31 * (months - 1))).replace(day=1)
    lo, hi = start.strftime("%Y-%m"), (filters.date_to or today).strftime("%Y-%m")
    acronyms = dict(session.exec(select(Organisation.id, Organisation.acronym)).all())
    led = {i: o for i, o in facts.lead.items() if o in acronyms}
    kept, since = history.update_months(session=session)
    cells: dict[tuple[str, str], int] = defaultdict(int)
    shown = [k for k, m in enumerate(kept.months) if lo <= m <= hi]
    rows = _rows_of(kept, list(led))
    if shown and len(rows):
        orgs = sorted(set(led.values()))
        where = {o: k for k, o in enumerate(orgs)}
        per_org = np.zeros((len(orgs), len(shown)), dtype=np.int64)
        np.add.at(per_org, np.array([where[led[i]] for i in rows.tolist()]), kept.counts[rows][:, shown])
        for a, b in zip(*np.nonzero(per_org)):
            cells[(acronyms[orgs[a]], kept.months[shown[b]])] += int(per_org[a, b])
    for item_id, m, _delta, n in since:
        if item_id in led and lo <= m <= hi:
            cells[(acronyms[led[item_id]], m)] += n
    return [(o, m, n) for (o, m), n in cells.items() if n > 0]
