"""The kept items as columns (numpy arrays, one row per item in id order), so the Overview's
counts, orders and sums over 100,000 items are array operations, not Python loops.

Built once per day from the kept items and their ratings (services/overview/kept_items.py),
then changed row by row as items change. Every sum that must equal its Python reference
(rules.weighted_progress, figures.area_progress) adds in item id order, one item after
another, as np.bincount does: the same floats."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Iterable, Optional

import numpy as np

from models import ItemStatus
from services import labels
from services.items.states import ItemState

NO_DUE = date.max.toordinal()
NO_UPDATE = date.min.toordinal()
STATUSES: list[str] = list(labels.STATUS_ORDER)
RAGS: list[str] = list(labels.RAG_ORDER)


@dataclass
class Arrays:
    """One row per kept item, in id order; `row` maps an item id to its row."""

    ids: np.ndarray  # int64
    area: np.ndarray  # int64 area id
    status: np.ndarray  # int8, index in STATUSES
    progress: np.ndarray  # float64, percent
    weight: np.ndarray  # float64
    counted: np.ndarray  # bool: not cancelled and weight > 0 (rules.weighted_progress)
    overdue: np.ndarray  # bool
    at_risk: np.ndarray  # bool: Red or Amber and not overdue
    stale: np.ndarray  # bool: open and not updated for more than rules.STALE_AFTER_DAYS
    rag: np.ndarray  # int8, index in RAGS
    expected: np.ndarray  # float64, percent; NaN where rules.expected_progress is None
    due: np.ndarray  # int64 ordinal; NO_DUE when none
    last: np.ndarray  # int64 ordinal of the last update; NO_UPDATE when none
    created_month: np.ndarray  # int64 YYYYMM of the creation day
    lead: np.ndarray  # int64 lead organisation id; -1 when none
    row: dict[int, int]

    def copy(self) -> "Arrays":
        """The columns copied; `row` shared: it is never changed in place (build() makes a new one)."""
        return Arrays(**{k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in vars(self).items()})


def build(states: Iterable[ItemState], rated: dict, created: dict[int, date],
          lead: dict[int, Optional[int]]) -> Arrays:
    """Arrays of `states` (in the order given: id order) with their ratings (kept_items.Rated)."""
    states = list(states)
    n = len(states)
    a = Arrays(
        ids=np.zeros(n, np.int64), area=np.zeros(n, np.int64), status=np.zeros(n, np.int8),
        progress=np.zeros(n), weight=np.zeros(n), counted=np.zeros(n, bool), overdue=np.zeros(n, bool),
        at_risk=np.zeros(n, bool), stale=np.zeros(n, bool), rag=np.zeros(n, np.int8), expected=np.zeros(n),
        due=np.zeros(n, np.int64), last=np.zeros(n, np.int64), created_month=np.zeros(n, np.int64),
        lead=np.zeros(n, np.int64), row={s.id: k for k, s in enumerate(states)},
    )
    for k, s in enumerate(states):
        put(a, k, s, rated[s.id], created[s.id], lead[s.id])
    return a


def put(a: Arrays, k: int, s: ItemState, r, created: date, lead: Optional[int]) -> None:  # noqa: ANN001
    """Row `k` of `a` from item `s` and its rating `r`."""
    a.ids[k], a.area[k], a.status[k] = s.id, s.area_id, STATUSES.index(s.status)
    a.progress[k], a.weight[k] = s.progress, s.weight
    a.counted[k] = s.status != ItemStatus.CANCELLED and s.weight > 0
    a.overdue[k], a.stale[k] = r.overdue, r.stale
    a.at_risk[k] = not r.overdue and r.rag in (labels.RAG.RED, labels.RAG.AMBER)
    a.rag[k] = RAGS.index(labels.rag_key(r.rag))
    a.expected[k] = np.nan if r.expected is None else r.expected
    a.due[k] = s.due.toordinal() if s.due else NO_DUE
    a.last[k] = s.last_update.toordinal() if s.last_update else NO_UPDATE
    a.created_month[k] = created.year * 100 + created.month
    a.lead[k] = -1 if lead is None else lead


def in_order_sum(values: np.ndarray) -> float:
    """The sum of `values` added one after another, as a Python loop adds them."""
    return float(np.bincount(np.zeros(len(values), np.int64), weights=values, minlength=1)[0]) if len(values) else 0.0


def weighted_progress(a: Arrays) -> Optional[float]:
    """rules.weighted_progress of the items: None when nothing counts."""
    weight = in_order_sum(a.weight[a.counted])
    return in_order_sum(a.progress[a.counted] * a.weight[a.counted]) / weight if weight else None


def relevance_order(a: Arrays) -> np.ndarray:
    """Rows by figures.relevance: overdue first, then Red, Amber, the rest; earliest due date; id."""
    return np.lexsort((a.ids, a.due, a.rag, ~a.overdue))


def stale_order(a: Arrays) -> np.ndarray:
    """Rows of the stale items, the longest without an update first (then by id)."""
    rows = np.flatnonzero(a.stale)
    return rows[np.lexsort((a.ids[rows], a.last[rows]))]


def rag_counts(a: Arrays) -> dict[str, int]:
    """RAG key -> number of items (labels.NO_RAG for none)."""
    return {RAGS[k]: int(n) for k, n in enumerate(np.bincount(a.rag, minlength=len(RAGS))) if n}


@dataclass(frozen=True)
class AreaColumns:
    """Per area id (row = area id): the index of its agreement's code in `codes` (sorted), its
    position, and its title; from filtered.area_labels."""

    codes: list[str]
    code: np.ndarray  # int64
    position: np.ndarray  # int64
    title: dict[int, str]


def area_columns(names: dict[int, tuple[str, str, int]]) -> AreaColumns:
    """AreaColumns of `names` (area id -> (agreement code, title, position))."""
    codes = sorted({code for code, _t, _p in names.values()})
    index = {c: k for k, c in enumerate(codes)}
    size = max(names, default=0) + 1
    code, position = np.zeros(size, np.int64), np.zeros(size, np.int64)
    ids = np.fromiter(names, np.int64, len(names))
    code[ids] = [index[c] for c, _t, _p in names.values()]
    position[ids] = [p for _c, _t, p in names.values()]
    return AreaColumns(codes, code, position, {i: t for i, (_c, t, _p) in names.items()})


def status_counts(a: Arrays, areas: AreaColumns) -> list[tuple[str, str, int]]:
    """(agreement code, status, item count), by code then status (labels.STATUS_ORDER)."""
    n = np.bincount(areas.code[a.area] * len(STATUSES) + a.status, minlength=len(areas.codes) * len(STATUSES))
    cells = np.flatnonzero(n)
    # Whole columns at once (codes and statuses picked by index arrays), zipped into rows:
    # ~19,000 rows at L, where indexing them one by one took ~20 ms.
    codes = np.asarray(areas.codes, dtype=object)[cells // len(STATUSES)].tolist()
    statuses = np.asarray(STATUSES, dtype=object)[cells % len(STATUSES)].tolist()
    return list(zip(codes, statuses, n[cells].tolist()))


def area_sums(a: Arrays) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per area (ascending id): ids, items, weight, weighted progress, dated weight, weighted
    expected, each summed in item order as figures.area_progress sums them."""
    areas, which = np.unique(a.area, return_inverse=True)
    size = len(areas)
    items = np.bincount(which, minlength=size)
    c = a.counted
    weight = np.bincount(which[c], weights=a.weight[c], minlength=size)
    done = np.bincount(which[c], weights=a.progress[c] * a.weight[c], minlength=size)
    d = c & ~np.isnan(a.expected)
    dated = np.bincount(which[d], weights=a.weight[d], minlength=size)
    expected = np.bincount(which[d], weights=a.weight[d] * a.expected[d], minlength=size)
    return areas, items, weight, done, dated, expected
