"""A small, fully known history for the dashboard, meeting and pack tests.

Item A (digital economy MoU, led by KD): 20% on 10 Feb 2026, 60% on 1 Oct 2026.
Item B (AI MoU, led by MDEC, supported by KD): 10% on 5 Mar 2026; due 30 Jun 2026, so overdue.
Item C (digital economy MoU, led by KD): created 1 Nov 2026, no update, starts 1 Dec 2026."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone

from sqlmodel import Session, select

from models import ActionItem, Agreement, CommitmentArea, ItemSupport, Organisation, Role
from services.items.progress import update_progress
from services.seeding.facts import ensure_system_user, seed_facts
from tests.conftest import make_user

TODAY = date(2026, 11, 26)


def at(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, 10, tzinfo=timezone.utc)


@dataclass
class Scenario:
    a: int
    b: int
    c: int
    users: dict


def _area(session: Session, code: str) -> CommitmentArea:
    return session.exec(select(CommitmentArea).join(Agreement).where(Agreement.code == code)
                        .order_by(CommitmentArea.position)).first()


def _org(session: Session, acronym: str) -> int:
    return session.exec(select(Organisation.id).where(Organisation.acronym == acronym)).one()


def _item(session, area, lead, title, start, due, created, category="policy_regulation") -> ActionItem:
    item = ActionItem(area_id=area.id, title=title, lead_org_id=lead, start_date=start, due_date=due,
                      created_at=created, category=category)
    session.add(item)
    session.commit()
    return item


def _update(session, actor, item, progress, when) -> None:
    update_progress(session=session, actor=actor, item_id=item.id, expected_version=item.version,
                    status="in_progress", progress=progress, note="Scenario update", now=when)


def build_scenario(session: Session) -> Scenario:
    system = ensure_system_user(session=session)
    session.commit()
    seed_facts(session=session, actor=system)
    users = {role.value: make_user(session, f"s_{role.value}", role, "MDEC" if role == Role.FOCAL_POINT else "KD")
             for role in Role}
    sec = users["secretariat"]
    kd, mdec = _org(session, "KD"), _org(session, "MDEC")
    de, ai = _area(session, "MY-CN-DE-2025"), _area(session, "MY-CN-AI-2025")
    a = _item(session, de, kd, "Item A", date(2026, 1, 1), date(2026, 12, 31), at(2026, 1, 1))
    b = _item(session, ai, mdec, "Item B", date(2026, 1, 1), date(2026, 6, 30), at(2026, 1, 1), "technical_exchange")
    c = _item(session, de, kd, "Item C", date(2026, 12, 1), date(2027, 6, 1), at(2026, 11, 1))
    session.add(ItemSupport(item_id=b.id, organisation_id=kd))
    session.commit()
    _update(session, sec, a, 20, at(2026, 2, 10))
    _update(session, sec, b, 10, at(2026, 3, 5))
    _update(session, sec, a, 60, at(2026, 10, 1))
    return Scenario(a.id, b.id, c.id, users)
