"""The Overview's figures: KPIs now and 30 days ago, what the charts draw, the item tables.
Everything returned is plain data (picklable), so the page can cache it on a data version."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Iterable, Optional

import numpy as np
from sqlmodel import Session, select

from models import ActionItem, Agreement, CommitmentArea, ItemStatus, Milestone, Organisation, RAG
from services.overview import filtered, history, item_arrays, kept_items, trends
from services import rules
from services import labels
from services.overview.filtered import Filters
from services.store.kept import structure_version
from services.i18n.content import display
from services.items.states import AgreementRollup, ItemState, rollup

GANTT_MAX = 25
TABLE_MAX = 100


def is_open(s: ItemState) -> bool:
    return rules.is_open(s.status)


@dataclass(frozen=True)
class Kpis:
    agreements_in_force: int
    items: int
    percent_complete: Optional[float]
    overdue: int
    at_risk: int
    stale: int


def kpis_from(states: list[ItemState], *, today: date, in_force: int,
              rags: Optional[dict[int, Optional[str]]] = None) -> Kpis:
    """The KPI tiles for `states` on `today`; `rags` (item id -> s.rag(today)) when the
    caller has them already."""
    overdue = at_risk = stale = 0
    for s in states:
        if rules.is_overdue(status=s.status, due=s.due, today=today):
            overdue += 1
        elif (rags[s.id] if rags is not None else s.rag(today)) in (RAG.RED, RAG.AMBER):
            at_risk += 1
        if is_open(s) and rules.is_stale(s.last_update, today):
            stale += 1
    return Kpis(agreements_in_force=in_force, items=len(states), percent_complete=rollup(states),
                overdue=overdue, at_risk=at_risk, stale=stale)


def compute_kpis(*, session: Session, today: date, filters: Filters = Filters()) -> Kpis:
    states = filtered.current_states(session=session, filters=filters)
    in_force = filtered.agreements_in_force(session=session, filters=filters, when=today)
    return kpis_from(states, today=today, in_force=in_force)


def kpis_as_of(*, session: Session, when: date, filters: Filters = Filters()) -> Kpis:
    """The same figures as they stood at the end of `when`, rebuilt from the history."""
    states = filtered.states_as_of(session=session, filters=filters, when=when)
    in_force = filtered.agreements_in_force(session=session, filters=filters, when=when)
    return kpis_from(states, today=when, in_force=in_force)


@dataclass(frozen=True)
class AreaProgress:
    agreement: str
    area: str
    progress: Optional[float]
    expected: Optional[float]
    items: int


def area_progress(states: Iterable[ItemState], labels: dict, *, today: date) -> list[AreaProgress]:
    """Weighted progress per area, with the progress the schedule expects by today.

    One pass with running sums per area (10,000 items at M): the progress is
    rules.weighted_progress's own sums (cancelled items and weights <= 0 left out, None when
    nothing counts), in the same order, so the same floats; a test holds them equal."""
    sums: dict[int, list] = {}
    for s in states:
        a = sums.get(s.area_id)
        if a is None:
            a = sums[s.area_id] = [0, 0.0, 0.0, 0.0, 0.0]  # items, weight, weighted progress, dated weight, weighted expected
        a[0] += 1
        if s.status != ItemStatus.CANCELLED and s.weight > 0:
            a[1] += s.weight
            a[2] += s.progress * s.weight
            e = rules.expected_progress(s.start, s.due, today)
            if e is not None:
                a[3] += s.weight
                a[4] += s.weight * e
    out = []
    for area_id, (n, weight, done, dated, expected) in sums.items():
        code, title, position = labels[area_id]
        out.append(((code, position, area_id), AreaProgress(code, title, done / weight if weight else None,
                                                            expected / dated if dated else None, n)))
    return [a for _, a in sorted(out, key=lambda pair: pair[0])]


@dataclass
class ItemLine:
    id: int
    title: str
    agreement: str
    lead: str
    owner: str
    start: Optional[date]
    due: Optional[date]
    status: str
    progress: int
    rag: Optional[str]
    last_update: Optional[date]


def item_lines(*, session: Session, states: list[ItemState], today: date, lang: str = "en") -> list[ItemLine]:
    """Titles (in `lang`, or marked as another's) and owners for a few chosen items, in the order given."""
    by_id = {s.id: s for s in states}
    if not by_id:
        return []
    rows = session.exec(
        select(ActionItem.id, ActionItem.title, Agreement.code, Organisation.acronym, ActionItem.owner_name,
               ActionItem.title_ms, ActionItem.title_zh)
        .join(CommitmentArea, CommitmentArea.id == ActionItem.area_id)
        .join(Agreement, Agreement.id == CommitmentArea.agreement_id)
        .outerjoin(Organisation, Organisation.id == ActionItem.lead_org_id)
        .where(ActionItem.id.in_(list(by_id)))
    ).all()
    found = {r[0]: r for r in rows}
    return [
        ItemLine(id=s.id, title=display(found[s.id], "title", lang), agreement=found[s.id][2], lead=found[s.id][3] or "",
                 owner=found[s.id][4] or "", start=s.start, due=s.due, status=s.status,
                 progress=s.progress, rag=s.rag(today), last_update=s.last_update)
        for s in states if s.id in found
    ]


def relevance(s: ItemState, today: date, rag: Optional[str] = None, *, rated: bool = False) -> tuple:
    """Overdue first, then Red, Amber, the rest; the earliest due date first within each.
    `rag` is s.rag(today) when `rated` (the caller computed it already)."""
    overdue = rules.is_overdue(status=s.status, due=s.due, today=today)
    rag = rag if rated else s.rag(today)
    return (not overdue, labels.RAG_ORDER.index(labels.rag_key(rag)), s.due or date.max, s.id)


@dataclass
class OverviewData:
    today: date
    kpis: Kpis
    before: Kpis
    status_rows: list[tuple[str, str, int]]
    areas: list[AreaProgress]
    rag_counts: dict[str, int]
    gantt: list[ItemLine]
    milestones: list[tuple[int, date, str, bool]]
    monthly: list[tuple[str, float]]
    activity: list[tuple[str, str, int]]
    overdue: list[ItemLine] = field(default_factory=list)
    overdue_total: int = 0
    stale: list[ItemLine] = field(default_factory=list)
    stale_total: int = 0
    total_items: int = 0


def kpis_before(*, session: Session, facts: trends.ItemFacts, when: date, in_force: int) -> Kpis:
    """kpis_as_of for the items in `facts`, kept while nothing it reads has moved: the
    history before `when` (its marker) and what the items bring to it (ids, weights, dates).
    A save moves neither, so the rerun after one reuses the figures."""
    kept = history.states_as_of(session=session, when=when)
    # facts.shape names the items' ids, weights and dates (and so their creation days) cheaply.
    shape = facts.shape or tuple((s.id, s.weight, s.start, s.due, facts.created[s.id]) for s in facts.now)
    key = ("kpis_before", when, kept.cut, kept.upto_id, kept.upto_ts, in_force, shape)
    return history.memo(session, key, lambda: kpis_from(
        trends.states_as_of(session=session, facts=facts, when=when), today=when, in_force=in_force))


def overview_data(*, session: Session, filters: Filters, today: date, days_back: int = 30,
                  lang: str = "en", version: Optional[tuple] = None) -> OverviewData:
    """Titles of areas and items are in `lang` (marked when they fall back to another).
    The items and their ratings are kept between saves, also as columns
    (services/overview/kept_items.py, item_arrays.py): the counts, orders and sums are array
    operations; the history figures join them to the kept history (trends.py). So a rerun
    after a save reads and rates little more than the items it changed. `version`:
    filtered.data_version as the page read it this rerun (kept_items' `seen`)."""
    kept = kept_items.kept_items(session=session, filters=filters, today=today, seen=version)
    facts, a = kept.facts, kept.arrays
    in_force = filtered.agreements_in_force(session=session, filters=filters, when=today)
    ranked = item_arrays.relevance_order(a)
    overdue_total = int(a.overdue.sum())
    stale = item_arrays.stale_order(a)
    gantt_rows, overdue_rows, stale_rows = ranked[:GANTT_MAX], ranked[:min(overdue_total, TABLE_MAX)], stale[:TABLE_MAX]
    # The three tables' titles and owners in one read; each list in its own order, as item_lines gives it.
    ids = a.ids[np.concatenate((gantt_rows, overdue_rows, stale_rows))].tolist()
    lines = {li.id: li for li in item_lines(session=session, states=[facts.by_id[i] for i in dict.fromkeys(ids)],
                                             today=today, lang=lang)}
    pick = lambda rows: [lines[i] for i in a.ids[rows].tolist() if i in lines]  # noqa: E731
    gantt = pick(gantt_rows)
    when = today - timedelta(days=days_back)
    areas = _area_columns(session, lang)
    last_areas = history.memo(session, ("area_rows", filters, lang), dict)  # the previous answer, reused
    months = history.update_months(session=session)  # read once for the curve and the heatmap
    return OverviewData(
        today=today, kpis=Kpis(agreements_in_force=in_force, items=len(a.ids),
                               percent_complete=item_arrays.weighted_progress(a), overdue=overdue_total,
                               at_risk=int(a.at_risk.sum()), stale=len(stale)),
        before=kpis_before(session=session, facts=facts, when=when,
                           in_force=filtered.agreements_in_force(session=session, filters=filters, when=when)),
        status_rows=item_arrays.status_counts(a, areas),
        areas=_area_progress(a, areas, last=last_areas),
        rag_counts=item_arrays.rag_counts(a),
        gantt=gantt, milestones=milestones_of(session=session, item_ids=[g.id for g in gantt]),
        monthly=trends.monthly_progress(session=session, facts=facts, filters=filters, today=today, arrays=a,
                                        history_months=months),
        activity=trends.update_activity(session=session, facts=facts, filters=filters, today=today, arrays=a,
                                        history_months=months),
        overdue=pick(overdue_rows), overdue_total=overdue_total, stale=pick(stale_rows),
        stale_total=len(stale), total_items=len(a.ids),
    )


def agreement_rollups(*, session: Session, today: date, lang: str = "en",
                      version: Optional[tuple] = None) -> dict[int, AgreementRollup]:
    """agreement id -> its live items' count and weighted progress (states.rollup_by_agreement's
    figures) from the kept items, without a pass over them in SQL (`version` as overview_data's).
    Raises nothing of its own."""
    a = kept_items.kept_items(session=session, filters=Filters(), today=today, rescan=False, seen=version).arrays
    areas = _area_columns(session, lang)
    at, size, c = areas.code[a.area], len(areas.codes), a.counted
    items = np.bincount(at, minlength=size).tolist()
    weight = np.bincount(at[c], weights=a.weight[c], minlength=size).tolist()
    done = np.bincount(at[c], weights=a.progress[c] * a.weight[c], minlength=size).tolist()
    ids = history.memo(session, ("agreement_ids", structure_version(session=session)),
                       lambda: dict(session.exec(select(Agreement.code, Agreement.id)).all()))
    return {ids[code]: AgreementRollup(items[k], done[k] / weight[k] if weight[k] else None)
            for k, code in enumerate(areas.codes) if items[k]}


def _area_columns(session: Session, lang: str) -> item_arrays.AreaColumns:
    """The areas' codes, positions and titles as columns, kept with the area labels."""
    names = filtered.area_labels(session=session, lang=lang)
    return history.memo(session, ("area_columns", structure_version(session=session), lang),
                        lambda: item_arrays.area_columns(names))


def _area_progress(a: item_arrays.Arrays, areas: item_arrays.AreaColumns,
                   last: Optional[dict] = None) -> list[AreaProgress]:
    """area_progress's figures from the columns (the same sums in the same order), by
    agreement code, position and area id. `last` holds the previous answer for the same
    filters and language: an area whose sums are unchanged keeps its AreaProgress, so the
    rerun after a save builds one or two of them, not one per area (20,000 at L), and the
    answers kept for several data versions share them."""
    ids, items, weight, done, dated, expected = item_arrays.area_sums(a)
    order = np.lexsort((ids, areas.position[ids], areas.code[ids]))
    ids, items, weight, done, dated, expected = (x[order] for x in (ids, items, weight, done, dated, expected))
    sums = (ids, items, weight, done, dated, expected)
    before = last.get("answer") if last is not None else None
    if before is not None and before[0] is areas and len(before[1][0]) == len(ids):
        rows = list(before[2])
        moved = np.zeros(len(ids), bool)
        for new, old in zip(sums, before[1]):
            moved |= new != old
        redo = np.flatnonzero(moved).tolist()
    else:
        rows, redo = [None] * len(ids), range(len(ids))
    ids, items, weight, done, dated, expected = (x.tolist() for x in sums)
    for k in redo:
        i = ids[k]
        rows[k] = AreaProgress(areas.codes[areas.code[i]], areas.title[i], done[k] / weight[k] if weight[k] else None,
                               expected[k] / dated[k] if dated[k] else None, items[k])
    if last is not None:
        last["answer"] = (areas, sums, rows)
    return rows


def status_rows(states: Iterable[ItemState], area_names: dict[int, tuple]) -> list[tuple[str, str, int]]:
    """(agreement code, status, item count) for `states`, by code (filtered.status_by_agreement's
    rows, counted from the items already read; `area_names` as filtered.area_labels)."""
    counts = Counter((area_names[s.area_id][0], s.status) for s in states)
    return sorted((code, status, n) for (code, status), n in counts.items())


def milestones_of(*, session: Session, item_ids: list[int]) -> list[tuple[int, date, str, bool]]:
    if not item_ids:
        return []
    rows = session.exec(
        select(Milestone.item_id, Milestone.due_date, Milestone.title, Milestone.completed_on)
        .where(Milestone.item_id.in_(item_ids), Milestone.due_date.is_not(None))
    ).all()
    return [(i, d, t, c is not None) for i, d, t, c in rows]


@dataclass
class AgreementCharts:
    areas: list[AreaProgress]
    items: list[ItemLine]
    milestones: list[tuple[int, date, str, bool]]
    total: int


def agreement_charts(*, session: Session, code: str, today: date, limit: int = GANTT_MAX,
                     lang: str = "en") -> AgreementCharts:
    """What the agreement page draws: its areas' progress and its items' timeline, titled in `lang`."""
    states = filtered.current_states(session=session, filters=Filters(agreements=(code,)))
    ranked = sorted(states, key=lambda s: relevance(s, today))[:limit]
    items = item_lines(session=session, states=ranked, today=today, lang=lang)
    return AgreementCharts(
        areas=area_progress(states, filtered.area_labels(session=session, lang=lang), today=today),
        items=items, milestones=milestones_of(session=session, item_ids=[i.id for i in items]),
        total=len(states),
    )
