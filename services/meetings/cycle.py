"""The meeting cycle: the update window before a body's next meeting, the items whose update is
due, and the points carried over from the last meeting to the next agenda."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Optional

from sqlalchemy import or_
from sqlmodel import Session, select

from core.settings import get_settings
from models import ActionItem, CommitmentArea, Decision, ItemStatus, ItemSupport, JointBody, Meeting, ProgressUpdate
from models import SnapshotItem
from services.meetings.bodies import body_agreements, list_bodies
from services.meetings.changes import start_of
from services.meetings.register import last_meeting, next_meeting, snapshot_of

CLOSED = (ItemStatus.COMPLETED.value, ItemStatus.CANCELLED.value)


def window_closes(meeting: Meeting, *, window_days: Optional[int] = None) -> date:
    """The last day for updates before `meeting`: UPDATE_WINDOW_DAYS (default 3) days before it."""
    days = get_settings().update_window_days if window_days is None else window_days
    return meeting.held_on - timedelta(days=days)


def baseline_moment(*, session: Session, meeting: Optional[Meeting]) -> Optional[datetime]:
    """When the last meeting's picture was taken: its snapshot, else the start of its day."""
    if meeting is None:
        return None
    snap = snapshot_of(session=session, meeting_id=meeting.id)
    return snap.taken_at if snap is not None else start_of(meeting.held_on)


def _open_item_ids(session: Session, body_id: int, organisation_id: Optional[int] = None) -> set[int]:
    agreements = [a.id for a in body_agreements(session=session, body_id=body_id)]
    stmt = (select(ActionItem.id).join(CommitmentArea, CommitmentArea.id == ActionItem.area_id)
            .where(CommitmentArea.agreement_id.in_(agreements), ~ActionItem.archived,
                   ActionItem.status.not_in(CLOSED)))
    if organisation_id is not None:
        supported = select(ItemSupport.item_id).where(ItemSupport.organisation_id == organisation_id)
        stmt = stmt.where(or_(ActionItem.lead_org_id == organisation_id, ActionItem.id.in_(supported)))
    return set(session.exec(stmt).all())


def _touched_since(session: Session, ids: set[int], moment: Optional[datetime]) -> set[int]:
    """The ids among `ids` updated (or created) at or after `moment`; all of them for no moment."""
    if moment is None or not ids:
        return set(ids) if moment is None else set()
    updated = session.exec(select(ProgressUpdate.item_id).where(ProgressUpdate.item_id.in_(ids),
                                                                ProgressUpdate.ts >= moment).distinct()).all()
    created = session.exec(select(ActionItem.id).where(ActionItem.id.in_(ids), ActionItem.created_at >= moment)).all()
    return set(updated) | set(created)


def not_updated_for_meeting(*, session: Session, body_id: Optional[int], today: date) -> Optional[set[int]]:
    """Once the window before the body's next meeting has closed: the open items of its agreements
    with no update since the last meeting. None while the window is open or nothing is planned."""
    if body_id is None:
        return None
    upcoming = next_meeting(session=session, body_id=body_id, today=today)
    if upcoming is None or today <= window_closes(upcoming):
        return None
    ids = _open_item_ids(session, body_id)
    moment = baseline_moment(session=session, meeting=last_meeting(session=session, body_id=body_id, before=today))
    return ids - _touched_since(session, ids, moment)


def carried_over(*, session: Session, body_id: Optional[int], today: date) -> set[int]:
    """Items on the last meeting's agenda (as presented) and items of its decisions: the next
    agenda carries those still open (the agenda checks they are open)."""
    previous = last_meeting(session=session, body_id=body_id, before=today)
    if previous is None:
        return set()
    ids = set(session.exec(select(Decision.item_id).where(Decision.meeting_id == previous.id,
                                                          Decision.item_id.is_not(None))).all())
    snap = snapshot_of(session=session, meeting_id=previous.id)
    if snap is not None:
        ids |= set(session.exec(select(SnapshotItem.item_id).where(SnapshotItem.snapshot_id == snap.id,
                                                                   SnapshotItem.on_agenda)).all())
    return ids


@dataclass(frozen=True)
class UpdateDue:
    body: JointBody
    meeting_on: date
    closes_on: date
    item_ids: list[int]


def updates_due(*, session: Session, organisation_id: int, today: date) -> list[UpdateDue]:
    """For My items: each body whose next meeting's window is still open and that has open items
    of this organisation not updated since the body's last meeting; soonest meeting first."""
    out = []
    for body in list_bodies(session=session):
        upcoming = next_meeting(session=session, body_id=body.id, today=today)
        if upcoming is None or today > window_closes(upcoming):
            continue
        ids = _open_item_ids(session, body.id, organisation_id)
        moment = baseline_moment(session=session, meeting=last_meeting(session=session, body_id=body.id, before=today))
        due = sorted(ids - _touched_since(session, ids, moment))
        if due:
            out.append(UpdateDue(body, upcoming.held_on, window_closes(upcoming), due))
    return sorted(out, key=lambda u: (u.meeting_on, u.body.name_en))
