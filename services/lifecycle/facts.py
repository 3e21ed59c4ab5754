"""What the data shows about each agreement, read in a few grouped queries (no row per item):
its clock now, commitment coverage, stage of delivery, last activity and the dormant flag.
One function, `agreement_facts`, feeds the Agreements page, the Overview's expiry list, the
package page, the Excel Package sheet and the renewal brief, so they always agree."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Iterable, Optional

from sqlalchemy import case, func
from sqlmodel import Session, select

from models import ActionItem, Agreement, BodyAgreement, Category, CommitmentArea, ItemStatus, JointBody, Meeting
from services.lifecycle import clock as c
from services.rules import as_date

LIVE_ITEM = (~ActionItem.archived, ActionItem.status != ItemStatus.CANCELLED.value)


@dataclass(frozen=True)
class AgreementFacts:
    agreement_id: int
    status: str  # derived from the dates where they are known
    expiry: Optional[date]  # in effect now (after automatic renewals)
    notice_deadline: Optional[date]
    days_to_expiry: Optional[int]
    days_to_notice: Optional[int]
    areas: int
    covered: int  # areas with at least one live item
    coverage: Optional[float]  # 0-1; None with no areas ("not yet broken down")
    stage: str
    last_update: Optional[date]
    last_meeting: Optional[date]
    dormant: bool

    @property
    def broken_down(self) -> bool:
        return self.areas > 0


def _area_counts(session: Session, ids: list[int]) -> dict[int, int]:
    """agreement id -> live commitment areas."""
    stmt = (select(CommitmentArea.agreement_id, func.count()).where(~CommitmentArea.archived,
                                                                    CommitmentArea.agreement_id.in_(ids))
            .group_by(CommitmentArea.agreement_id))
    return dict(session.exec(stmt).all())


def _jwg_bodies(session: Session, ids: list[int]) -> dict[int, list[int]]:
    """Each live joint body overseeing one of the agreements (services/meetings) -> agreement ids."""
    bodies: dict[int, list[int]] = defaultdict(list)
    rows = session.exec(select(BodyAgreement.body_id, BodyAgreement.agreement_id)
                        .join(JointBody, JointBody.id == BodyAgreement.body_id)
                        .where(~JointBody.archived, BodyAgreement.agreement_id.in_(ids))).all()
    for body_id, agreement_id in rows:
        bodies[body_id].append(agreement_id)
    return bodies


@dataclass(frozen=True)
class _Rollup:
    covered: int = 0  # areas with a live item
    jwg_covered: int = 0  # joint-working-group areas with a live item
    last_update: Optional[date] = None
    delivered: bool = False
    named: bool = False


def _item_rollup(session: Session, ids: list[int]) -> dict[int, _Rollup]:
    """agreement id -> what its live items show, aggregated in SQL (one row per agreement)."""
    named = case((ActionItem.owner_name.is_not(None) | ActionItem.counterpart_focal_point.is_not(None), 1), else_=0)
    done = case((ActionItem.status == ItemStatus.COMPLETED.value, 1), else_=0)
    jwg = case((CommitmentArea.category == Category.JOINT_WORKING_GROUP.value, ActionItem.area_id), else_=None)
    stmt = (select(CommitmentArea.agreement_id, func.count(func.distinct(ActionItem.area_id)),
                   func.count(func.distinct(jwg)),
                   func.max(func.coalesce(ActionItem.last_update_at, ActionItem.created_at)),
                   func.max(done), func.max(named))
            .join(CommitmentArea, CommitmentArea.id == ActionItem.area_id)
            .where(*LIVE_ITEM, ~CommitmentArea.archived, CommitmentArea.agreement_id.in_(ids))
            .group_by(CommitmentArea.agreement_id))
    return {r[0]: _Rollup(r[1], r[2], as_date(_utc(r[3])), bool(r[4]), bool(r[5])) for r in session.exec(stmt).all()}


def _utc(value: object) -> object:
    """max() over a timestamp comes back as text on SQLite (no column type to convert it)."""
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def _meetings(session: Session, ids: list[int], bodies: dict[str, list[int]], today: date) -> dict[int, date]:
    """agreement id -> its last meeting held by today: meetings that recorded its items, and
    meetings of a body its joint-working-group area names (as meeting mode's body_agreements)."""
    last: dict[int, date] = {}

    def note(agreement_id: int, held: Optional[date]) -> None:
        if held and (agreement_id not in last or held > last[agreement_id]):
            last[agreement_id] = held

    by_items = (select(CommitmentArea.agreement_id, func.max(Meeting.held_on))
                .join(ActionItem, ActionItem.area_id == CommitmentArea.id)
                .join(Meeting, Meeting.id == ActionItem.meeting_id)
                .where(Meeting.held_on <= today, CommitmentArea.agreement_id.in_(ids))
                .group_by(CommitmentArea.agreement_id))
    for agreement_id, held in session.exec(by_items).all():
        note(agreement_id, held)
    if bodies:
        held_by_body = session.exec(select(Meeting.body_id, func.max(Meeting.held_on))
                                    .where(Meeting.held_on <= today, Meeting.body_id.in_(list(bodies)))
                                    .group_by(Meeting.body_id)).all()
        for body, held in held_by_body:
            for agreement_id in bodies[body]:
                note(agreement_id, held)
    return last


def agreement_facts(*, session: Session, agreements: Iterable, today: date,
                    dormant_days: int) -> dict[int, AgreementFacts]:
    """agreement id -> AgreementFacts for each of `agreements` (rows or any objects with the
    Agreement's id, signed_on and clock attributes)."""
    rows = list(agreements)
    ids = [a.id for a in rows]
    if not ids:
        return {}
    areas, items, bodies = _area_counts(session, ids), _item_rollup(session, ids), _jwg_bodies(session, ids)
    meetings = _meetings(session, ids, bodies, today)
    return {a.id: _facts_of(a, areas.get(a.id, 0), items.get(a.id, _Rollup()), meetings.get(a.id), today,
                            dormant_days) for a in rows}


@dataclass(frozen=True)
class ClockFacts:
    """The clock part of AgreementFacts alone (the same names): what an expiry list shows."""

    agreement_id: int
    status: str
    expiry: Optional[date]
    notice_deadline: Optional[date]
    days_to_expiry: Optional[int]
    days_to_notice: Optional[int]


def _clock_of(a: Agreement, today: date) -> ClockFacts:
    clock = c.Clock.of(a)
    expiry, _ = c.current_expiry(clock, today)
    deadline = c.notice_deadline(clock, today)
    return ClockFacts(agreement_id=a.id, status=c.derive_status(clock, today), expiry=expiry,
                      notice_deadline=deadline, days_to_expiry=c.days_until(expiry, today),
                      days_to_notice=c.days_until(deadline, today))


def agreement_clocks(*, agreements: Iterable, today: date) -> dict[int, ClockFacts]:
    """agreement id -> its clock now (status, expiry, notice deadline), with no query: the
    same values agreement_facts gives, for lists that show nothing else (the Overview's)."""
    return {a.id: _clock_of(a, today) for a in agreements}


def _facts_of(a: Agreement, areas: int, items: _Rollup, last_meeting: Optional[date], today: date,
              dormant_days: int) -> AgreementFacts:
    now = _clock_of(a, today)
    status, expiry, deadline = now.status, now.expiry, now.notice_deadline
    stage = c.stage_of(c.StageFacts(
        status=status, focal_points=items.named, joint_body=items.jwg_covered > 0 or last_meeting is not None,
        met=last_meeting is not None, delivered=items.delivered))
    return AgreementFacts(
        agreement_id=a.id, status=status, expiry=expiry, notice_deadline=deadline,
        days_to_expiry=now.days_to_expiry, days_to_notice=now.days_to_notice,
        areas=areas, covered=items.covered, coverage=c.coverage(areas, items.covered), stage=stage,
        last_update=items.last_update, last_meeting=last_meeting,
        dormant=c.is_dormant(last_update=items.last_update, last_meeting=last_meeting, signed_on=a.signed_on,
                             status=status, today=today, days=dormant_days),
    )


def expiring_within(facts: Iterable, *, days: int) -> list:
    """Agreements in force (or renewed) whose expiry or notice deadline falls in the next
    `days` days, soonest first. A deadline already passed with the expiry still ahead counts.
    `facts`: AgreementFacts or ClockFacts; the same kind comes back."""
    live = (f for f in facts if f.status in ("in_force", "renewed", "signed"))
    due = [f for f in live if f.days_to_expiry is not None and 0 <= f.days_to_expiry <= days]
    return sorted(due, key=lambda f: (min(x for x in (f.days_to_notice, f.days_to_expiry) if x is not None),
                                      f.agreement_id))


def coverage_by_agreement(*, session: Session, agreement_ids: list[int], today: date) -> dict[int, Optional[float]]:
    """agreement id -> commitment coverage (0-1; None with no areas), as the pages show it."""
    rows = session.exec(select(Agreement).where(Agreement.id.in_(agreement_ids))).all() if agreement_ids else []
    facts = agreement_facts(session=session, agreements=rows, today=today, dormant_days=1)
    return {i: f.coverage for i, f in facts.items()}
