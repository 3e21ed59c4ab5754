"""Read queries shared by the pages, reports and charts. Aggregation happens in SQL;
only the few columns the RAG rule needs are read per item."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Iterable, Optional

from sqlalchemy import and_, case, func
from sqlmodel import Session, select

from models import ActionItem, Agreement, CommitmentArea, ItemStatus
from services import rules


@dataclass(frozen=True)
class ItemState:
    id: int
    area_id: int
    status: str
    progress: int
    weight: float
    start: Optional[date]
    due: Optional[date]
    last_update: Optional[date]

    def rag(self, today: date) -> Optional[str]:
        return rules.compute_rag(
            status=self.status, progress=self.progress, start=self.start, due=self.due,
            last_update=self.last_update, today=today,
        )


STATE_COLUMNS = (ActionItem.id, ActionItem.area_id, ActionItem.status, ActionItem.progress, ActionItem.weight,
                 ActionItem.start_date, ActionItem.due_date, ActionItem.last_update_at, ActionItem.created_at)


def live_conditions() -> list:
    """WHERE clauses for a live item: it, its area and its agreement not archived (the query
    must join CommitmentArea and Agreement, as `joined_to_agreement` does)."""
    return [~ActionItem.archived, ~CommitmentArea.archived, ~Agreement.archived]


def joined_to_agreement(stmt):  # noqa: ANN001, ANN201
    """An ActionItem select joined to its area and agreement."""
    return (stmt.join(CommitmentArea, CommitmentArea.id == ActionItem.area_id)
            .join(Agreement, Agreement.id == CommitmentArea.agreement_id))


def state_from_row(r: tuple) -> ItemState:
    """An ItemState from a row of STATE_COLUMNS (last update: the newest update, else creation)."""
    return ItemState(id=r[0], area_id=r[1], status=r[2], progress=r[3], weight=r[4], start=r[5],
                     due=r[6], last_update=rules.as_date(r[7] or r[8]))


def item_states(session: Session, *, agreement_ids: Optional[Iterable[int]] = None,
                where: Iterable = ()) -> list[ItemState]:
    """Current state of every live item (not archived, in a live area and agreement), narrowed
    to `agreement_ids` and any further WHERE clauses (the Overview's filters). The one query for
    live item states: the Overview, the agreements register, meetings and the report use it."""
    stmt = joined_to_agreement(select(*STATE_COLUMNS)).where(and_(*live_conditions(), *where))
    if agreement_ids is not None:
        stmt = stmt.where(Agreement.id.in_(list(agreement_ids)))
    return [state_from_row(r) for r in session.exec(stmt).all()]


@dataclass(frozen=True)
class AgreementRollup:
    items: int  # live items
    progress: Optional[float]  # rules.weighted_progress of those items


def rollup_by_agreement(session: Session) -> dict[int, AgreementRollup]:
    """agreement id -> its live items' count and weighted progress, summed in SQL (one row
    per agreement, not one per item). The sums are rules.weighted_progress's own: cancelled
    items and weights <= 0 left out, None when nothing counts (a test holds them equal)."""
    counted = and_(ActionItem.status != ItemStatus.CANCELLED.value, ActionItem.weight > 0)
    stmt = joined_to_agreement(select(
        Agreement.id, func.count(ActionItem.id),
        func.sum(case((counted, ActionItem.progress * ActionItem.weight), else_=0)),
        func.sum(case((counted, ActionItem.weight), else_=0)),
    )).where(and_(*live_conditions())).group_by(Agreement.id)
    return {a: AgreementRollup(n, float(done) / float(weight) if weight else None)
            for a, n, done, weight in session.exec(stmt).all()}


def area_agreement_map(session: Session) -> dict[int, int]:
    rows = session.exec(select(CommitmentArea.id, CommitmentArea.agreement_id)).all()
    return {a: g for a, g in rows}


def rollup(states: Iterable[ItemState]) -> Optional[float]:
    return rules.weighted_progress(rules.Child(s.status, s.progress, s.weight) for s in states)
