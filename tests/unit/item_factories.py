"""Factories for action item tests: organisations by acronym, items with lead and support, updates."""
from __future__ import annotations

from datetime import date, datetime, timezone

from sqlmodel import Session, select

from models import ActionItem, CommitmentArea, ItemSupport, Organisation, ProgressUpdate

NOW = datetime(2026, 3, 1, 10, 0, tzinfo=timezone.utc)


def org_id(session: Session, acronym: str) -> int:
    return session.exec(select(Organisation.id).where(Organisation.acronym == acronym)).one()


def add_item(session: Session, lead: str = "MDEC", *, support: tuple[str, ...] = (), **kw) -> ActionItem:
    area = session.exec(select(CommitmentArea).order_by(CommitmentArea.id)).first()
    values = dict(area_id=area.id, title="Run a joint AI workshop", lead_org_id=org_id(session, lead),
                  start_date=date(2026, 1, 1), due_date=date(2026, 12, 31))
    values.update(kw)
    item = ActionItem(**values)
    session.add(item)
    session.flush()
    for acronym in support:
        session.add(ItemSupport(item_id=item.id, organisation_id=org_id(session, acronym)))
    session.commit()
    return item


def history(session: Session, item_id: int) -> list[ProgressUpdate]:
    return list(session.exec(select(ProgressUpdate).where(ProgressUpdate.item_id == item_id)
                             .order_by(ProgressUpdate.id)).all())
