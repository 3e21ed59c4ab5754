"""The Overview's key figures."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Optional

from sqlmodel import Session, func, select

from models import Agreement, AgreementStatus, CommitmentArea, RAG
from services import rules
from services.queries import item_states, rollup


@dataclass(frozen=True)
class Kpis:
    agreements: int
    agreements_in_force: int
    areas: int
    items: int
    percent_complete: Optional[float]
    overdue: int
    at_risk: int
    stale: int


def compute_kpis(*, session: Session, today: date) -> Kpis:
    agreements = session.exec(
        select(Agreement.status, func.count()).where(~Agreement.archived).group_by(Agreement.status)
    ).all()
    by_status = dict(agreements)
    areas = session.exec(
        select(func.count()).select_from(CommitmentArea)
        .join(Agreement, Agreement.id == CommitmentArea.agreement_id)
        .where(~CommitmentArea.archived, ~Agreement.archived)
    ).one()
    states = item_states(session)
    overdue = at_risk = stale = 0
    for s in states:
        if rules.is_overdue(status=s.status, due=s.due, today=today):
            overdue += 1
        elif s.rag(today) in (RAG.RED, RAG.AMBER):
            at_risk += 1
        if s.status not in ("completed", "cancelled") and rules.is_stale(s.last_update, today):
            stale += 1
    return Kpis(
        agreements=sum(by_status.values()),
        agreements_in_force=by_status.get(AgreementStatus.IN_FORCE.value, 0),
        areas=areas, items=len(states), percent_complete=rollup(states),
        overdue=overdue, at_risk=at_risk, stale=stale,
    )
