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
from sqlalchemy import String, and_, type_coerce
from sqlmodel import Session, func, select

from models import ActionItem, ItemStatus, Organisation
from services.items.states import ItemState, joined_to_agreement
from services.overview import history
from services.overview.filtered import Filters, item_conditions
from services.overview.months import utc_day


@dataclass(frozen=True)
class ItemFacts:
    """One read of the filtered live items: what now, 30 days earlier and the trends need."""

    now: list[ItemState]
    created: dict[int, date]  # item id -> the UTC day it was created
    created_month: dict[int, str]  # item id -> 'YYYY-MM' of that day
    lead: dict[int, Optional[int]]  # item id -> lead organisation id


def item_facts(*, session: Session, filters: Filters) -> ItemFacts:
    """The live items matching `filters` (as filtered.current_states), in one query; the
    timestamps come as UTC days in text (the row conversion was most of this read's time)."""
    # Through the connection: plain rows, without the ORM's per-row loading (a third of the time).
    # The dates come as the driver gives them (SQLite: text; PostgreSQL: dates): SQLAlchemy's
    # own text-to-date step cost more than the query itself at 10,000 items.
    rows = session.connection().execute(joined_to_agreement(select(
        ActionItem.id, ActionItem.area_id, ActionItem.status, ActionItem.progress, ActionItem.weight,
        type_coerce(ActionItem.start_date, String), type_coerce(ActionItem.due_date, String),
        utc_day(func.coalesce(ActionItem.last_update_at, ActionItem.created_at)),
        utc_day(ActionItem.created_at), ActionItem.lead_org_id,
    )).where(and_(*item_conditions(filters)))).all()
    day = date.fromisoformat
    now = [ItemState(id=r[0], area_id=r[1], status=r[2], progress=r[3], weight=r[4], start=_day(r[5]), due=_day(r[6]),
                     last_update=day(r[7])) for r in rows]
    return ItemFacts(now=now, created={r[0]: day(r[8]) for r in rows}, created_month={r[0]: r[8][:7] for r in rows},
                     lead={r[0]: r[9] for r in rows})


def _day(value: object) -> Optional[date]:
    """A date column's value as read untyped: a date already, ISO text, or None."""
    return date.fromisoformat(value) if isinstance(value, str) else value


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
